package org.diffeomotion.rosnode;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.diffeomotion.model.ModelArtifacts;
import org.diffeomotion.model.MotionModel;
import org.diffeomotion.model.PoseMap;
import org.diffeomotion.model.Rollout;
import org.diffeomotion.model.So3;
import org.diffeomotion.model.TimeGrids;
import org.diffeomotion.model.testing.ModelFactory;
import org.diffeomotion.model.testing.ModelSpec;
import org.diffeomotion.ros1.RosTools;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * rviz draws a pose model's plan poses where and how they are: Debian's rviz 1.14 under Xvfb with
 * the shipped {@code launch/motion_generator_pose.rviz} (the view of {@code motion_generator.rviz},
 * the Path display's poses as magenta arrows along each pose's x axis), both started by {@code
 * roslaunch diffeo_motion motion_generator.launch rviz:=true rviz_config:=...} (the node executable
 * serving a pose model whose plan turns by about 120° about z), a start published with {@code
 * rostopic pub}, a screenshot taken with ImageMagick's {@code import}. Each arrow is projected from
 * the closed form ({@link PoseMap#toPose} of the rollout, the pose's x axis {@code R(q) e_x}):
 * every magenta pixel must lie on a projected arrow, and every arrow away from the goal must have
 * magenta pixels near 70 % of its length, which identity (or any wrong) orientations do not give.
 */
@Tag("integration")
@Timeout(value = 420, unit = TimeUnit.SECONDS)
class RvizPoseIntegrationTest {
  /** From launch/motion_generator_pose.rviz: TopDownOrtho scale [px/m] and focal point [m]. */
  private static final double SCALE = 500;

  private static final double VIEW_X = 0.5;
  private static final double VIEW_Y = 0.3;

  /** The arrows: shaft + head length [m] and the head's radius [m] (the config). */
  private static final double ARROW_LENGTH = 0.06 + 0.03;

  private static final double HEAD_RADIUS = 0.01;

  /** Pixels of rasterisation and anti-aliasing a drawn point may be off by. */
  private static final double NEAR_PX = 4;

  private static final int POINTS = 10;

  @Test
  void rvizDrawsThePlanPosesAsArrowsWithTheRolledOutOrientations() throws Exception {
    Path root = Path.of("..").toAbsolutePath().normalize();
    try (RosTools ros = new RosTools()) {
      ros.startRoscore(30_000);
      // Goal orientation: 30° about z; the start turned by 120° about z from it.
      double[] goalQ = {0, 0, Math.sin(Math.PI / 12), Math.cos(Math.PI / 12)};
      MotionModel model =
          ModelFactory.random(
              new ModelSpec()
                  .pose(goalQ)
                  .blocks(4)
                  .hidden(32)
                  .frameId("map")
                  .goal(0.55, 0.1, 0, 0, 0, 0)
                  .scale(0.2, 0.2, 0.2, 0.5, 0.5, 0.5)
                  .outputWeightScale(0.2)
                  .name("rviz_pose_model"),
              17);
      Path modelFile = ros.home.resolve("pose.dmm");
      ModelArtifacts.write(model, modelFile);
      double horizon = 6 * model.timeScale();
      Path xlog = ros.home.resolve("xvfb.log");
      ros.start(
          List.of("Xvfb", "-displayfd", "1", "-screen", "0", "1024x768x24", "-nolisten", "tcp"),
          xlog);
      RosTools.waitFor(
          "Xvfb's display number",
          20_000,
          () -> RvizLaunches.read(xlog).strip().matches("(?s)\\d+.*"));
      String display = ":" + RvizLaunches.read(xlog).strip().split("\\s+")[0];
      ros.extraEnv.put("DISPLAY", display);
      ros.extraEnv.put("ROS_PACKAGE_PATH", root.toString());
      ros.extraEnv.put("JAVA_HOME", System.getProperty("java.home"));
      ros.extraEnv.put("DIFFEO_MOTION_BUILD", "0");
      List<String> launch =
          List.of(
              "roslaunch",
              "diffeo_motion",
              "motion_generator.launch",
              "model:=" + modelFile,
              "points:=" + POINTS,
              "horizon:=" + horizon,
              "rviz:=true",
              "rviz_config:=" + root.resolve("launch/motion_generator_pose.rviz"));

      double yaw = Math.PI / 6 + 2 * Math.PI / 3;
      double[] start = {0.3, 0.45, 0, 0, 0, Math.sin(yaw / 2), Math.cos(yaw / 2)};
      PoseMap map = new PoseMap(model);
      double[] y0 = new double[6];
      map.toState(start, 0, y0, 0);
      double[] t = new double[POINTS];
      TimeGrids.fillUniformCount(t, POINTS, horizon);
      double[] states = new Rollout(model, POINTS).rollout(y0, t);
      double[][] poses = new double[POINTS][7];
      for (int j = 0; j < POINTS; j++) {
        map.toPose(states, 6 * j, poses[j], 0);
      }
      double turned = So3.angleBetween(poses[0], 3, poses[POINTS - 1], 3);
      assertTrue(turned > 1.5, "the test needs a plan that turns: " + turned + " rad");

      Path shot = ros.home.resolve("rviz.png");
      RvizLaunches.planOnScreen(
          ros,
          launch,
          display,
          String.format(
              Locale.ROOT,
              "{header: {frame_id: map}, pose: {position: {x: 0.3, y: 0.45}, orientation: {z: %.17g, w: %.17g}}}",
              start[5],
              start[6]),
          shot,
          img -> check(img, poses, model.goal()));
    }
  }

  /** Null when the image shows each plan pose's arrow where and how it should be. */
  private static String check(BufferedImage img, double[][] poses, double[] goal) {
    int[] box = RvizViews.view(img);
    if (box == null) {
      return "no 3-D view found";
    }
    double cu = (box[0] + box[1] + 1) / 2.0;
    double cv = (box[2] + box[3] + 1) / 2.0;
    int n = poses.length;
    double[][] base = new double[n][];
    double[][] tip = new double[n][];
    double[] xAxis = {1, 0, 0};
    double[] dir = new double[3];
    for (int j = 0; j < n; j++) {
      So3.rotate(poses[j], 3, xAxis, 0, dir, 0);
      double x = poses[j][0];
      double y = poses[j][1];
      base[j] = new double[] {cu + SCALE * (x - VIEW_X), cv - SCALE * (y - VIEW_Y)};
      tip[j] =
          new double[] {
            cu + SCALE * (x + ARROW_LENGTH * dir[0] - VIEW_X),
            cv - SCALE * (y + ARROW_LENGTH * dir[1] - VIEW_Y)
          };
      for (double[] q : new double[][] {base[j], tip[j]}) {
        if (q[0] < box[0] || q[0] > box[1] || q[1] < box[2] || q[1] > box[3]) {
          return "arrow " + j + " leaves the view: pick a model that stays in it";
        }
      }
    }
    List<int[]> magenta = new ArrayList<>();
    for (int v = box[2]; v <= box[3]; v++) {
      for (int u = box[0]; u <= box[1]; u++) {
        int rgb = img.getRGB(u, v);
        int r = (rgb >> 16) & 0xff;
        int g = (rgb >> 8) & 0xff;
        int b = rgb & 0xff;
        // The arrows' magenta (255, 85, 255) as lit: r = b, g about a third of it (e.g. (199, 66,
        // 199) on a tilted face); the red line, the yellow goal arrow and the grid do not match.
        if (r > 120 && Math.abs(r - b) < 30 && g < 0.6 * r) {
          magenta.add(new int[] {u, v});
        }
      }
    }
    if (magenta.size() < 30) {
      return "only " + magenta.size() + " magenta (plan pose) pixels";
    }
    double onArrow = SCALE * HEAD_RADIUS + NEAR_PX;
    for (int[] p : magenta) {
      double best = Double.MAX_VALUE;
      for (int j = 0; j < n; j++) {
        best = Math.min(best, distanceToSegment(p[0], p[1], base[j], tip[j]));
      }
      if (best > onArrow) {
        return "magenta pixel (" + p[0] + ", " + p[1] + ") is " + best + " px from every arrow";
      }
    }
    double gu = cu + SCALE * (goal[0] - VIEW_X);
    double gv = cv - SCALE * (goal[1] - VIEW_Y);
    int checked = 0;
    for (int j = 0; j < n; j++) {
      double len = Math.hypot(tip[j][0] - base[j][0], tip[j][1] - base[j][1]);
      // Arrows at the goal lie under the goal's sphere and arrow; steep ones are too short.
      if (Math.hypot(base[j][0] - gu, base[j][1] - gv) < 0.03 * SCALE
          || len < 0.5 * ARROW_LENGTH * SCALE) {
        continue;
      }
      double mu = base[j][0] + 0.7 * (tip[j][0] - base[j][0]);
      double mv = base[j][1] + 0.7 * (tip[j][1] - base[j][1]);
      double best = Double.MAX_VALUE;
      for (int[] p : magenta) {
        best = Math.min(best, Math.hypot(p[0] - mu, p[1] - mv));
      }
      if (best > NEAR_PX) {
        return "arrow "
            + j
            + ": no magenta pixel within "
            + NEAR_PX
            + " px of 70 % of its length ("
            + mu
            + ", "
            + mv
            + "), nearest "
            + best;
      }
      checked++;
    }
    if (checked < 3) {
      return "only " + checked + " arrows away from the goal to check";
    }
    return null;
  }

  private static double distanceToSegment(double u, double v, double[] a, double[] b) {
    double bx = b[0] - a[0];
    double by = b[1] - a[1];
    double len2 = bx * bx + by * by;
    double s = len2 == 0 ? 0 : Math.max(0, Math.min(1, ((u - a[0]) * bx + (v - a[1]) * by) / len2));
    return Math.hypot(u - a[0] - s * bx, v - a[1] - s * by);
  }
}
