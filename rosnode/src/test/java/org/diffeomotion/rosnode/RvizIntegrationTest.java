package org.diffeomotion.rosnode;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.diffeomotion.model.ModelArtifacts;
import org.diffeomotion.model.MotionModel;
import org.diffeomotion.model.Rollout;
import org.diffeomotion.model.TimeGrids;
import org.diffeomotion.model.testing.ModelFactory;
import org.diffeomotion.model.testing.ModelSpec;
import org.diffeomotion.ros1.RosTools;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * rviz draws the plan where the rollout is: Debian's rviz 1.14 under Xvfb with the shipped {@code
 * launch/motion_generator.rviz} (top-down orthographic view centred on (0.5, 0.3) m at 500 px/m,
 * the plan as a red line, the goal as a green sphere), a start published, a screenshot taken with
 * ImageMagick's {@code import}. The rollout's points are projected into the image from the view's
 * parameters alone (the 3-D view is found as the dark background region of the screenshot); every
 * red pixel must lie near the projected plan, every projected point near a red pixel, and the green
 * blob on the projected goal.
 */
@Tag("integration")
@Timeout(value = 420, unit = TimeUnit.SECONDS)
class RvizIntegrationTest {
  /** From launch/motion_generator.rviz: TopDownOrtho scale [px/m] and focal point [m]. */
  private static final double SCALE = 500;

  private static final double VIEW_X = 0.5;
  private static final double VIEW_Y = 0.3;

  /** The goal sphere's radius on screen: 0.03 m (the config) at {@link #SCALE} [px]. */
  private static final double GOAL_RADIUS_PX = 0.03 * SCALE;

  /** Pixels of line rasterisation and anti-aliasing a drawn point may be off by. */
  private static final double NEAR_PX = 4;

  @Test
  void rvizDrawsThePlanAndTheGoalWhereTheRolloutIs() throws Exception {
    Path root = Path.of("..").toAbsolutePath().normalize();
    try (RosTools ros = new RosTools()) {
      ros.extraEnv.put("ROS_PACKAGE_PATH", root.toString());
      ros.extraEnv.put("JAVA_HOME", System.getProperty("java.home"));
      ros.extraEnv.put("DIFFEO_MOTION_BUILD", "0");
      ros.startRoscore(30_000);
      double[] goal = {0.55, 0.1};
      MotionModel model =
          ModelFactory.random(
              new ModelSpec()
                  .stateDim(2)
                  .blocks(4)
                  .hidden(32)
                  .frameId("map")
                  .goal(goal)
                  .scale(0.2, 0.2)
                  .outputWeightScale(0.2)
                  .name("rviz_model"),
              7);
      Path modelFile = ros.home.resolve("model.dmm");
      ModelArtifacts.write(model, modelFile);
      // Xvfb first: roslaunch starts rviz (rviz:=true) on its display.
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
      List<String> launch =
          List.of(
              "roslaunch",
              "diffeo_motion",
              "motion_generator.launch",
              "model:=" + modelFile,
              "points:=400",
              "horizon:=" + 6 * model.timeScale(),
              "rviz:=true");
      double[] start = {0.3, 0.45};
      double[] t = new double[400];
      TimeGrids.fillUniformCount(t, 400, 6 * model.timeScale());
      double[] y = new Rollout(model, 400).rollout(start, t);
      Path shot = ros.home.resolve("rviz.png");
      RvizLaunches.planOnScreen(
          ros,
          launch,
          display,
          "{header: {frame_id: map}, pose: {position: {x: 0.3, y: 0.45}, orientation: {w: 1}}}",
          shot,
          img -> check(img, y, goal));
    }
  }

  /** Null when the image shows the plan and the goal where they should be, else the problem. */
  private static String check(BufferedImage img, double[] y, double[] goal) {
    int[] view = RvizViews.view(img);
    if (view == null) {
      return "no 3-D view found";
    }
    int x0 = view[0];
    int x1 = view[1];
    int y0 = view[2];
    int y1 = view[3];
    double cu = (x0 + x1 + 1) / 2.0;
    double cv = (y0 + y1 + 1) / 2.0;
    int n = y.length / 2;
    double[][] proj = new double[n][];
    for (int j = 0; j < n; j++) {
      proj[j] =
          new double[] {cu + SCALE * (y[2 * j] - VIEW_X), cv - SCALE * (y[2 * j + 1] - VIEW_Y)};
    }
    for (double[] q : proj) {
      if (q[0] < x0 || q[0] > x1 || q[1] < y0 || q[1] > y1) {
        return "the test's rollout leaves the view at ("
            + q[0]
            + ", "
            + q[1]
            + ") px: pick a"
            + " model that stays in it";
      }
    }
    double eu = cu + SCALE * (goal[0] - VIEW_X);
    double ev = cv - SCALE * (goal[1] - VIEW_Y);
    List<int[]> red = new ArrayList<>();
    double gu = 0;
    double gv = 0;
    int green = 0;
    for (int v = y0; v <= y1; v++) {
      for (int u = x0; u <= x1; u++) {
        int rgb = img.getRGB(u, v);
        int r = (rgb >> 16) & 0xff;
        int g = (rgb >> 8) & 0xff;
        int b = rgb & 0xff;
        if (r > 150 && g < 80 && b < 80) {
          red.add(new int[] {u, v});
        } else if (g > 150 && r < 100 && b < 100) {
          gu += u;
          gv += v;
          green++;
        }
      }
    }
    if (red.size() < 50) {
      return "only " + red.size() + " red (plan) pixels";
    }
    for (int[] p : red) {
      double dmin = distanceToPolyline(p[0], p[1], proj);
      if (dmin > NEAR_PX) {
        return "red pixel (" + p[0] + ", " + p[1] + ") is " + dmin + " px from the projected plan";
      }
    }
    for (int j = 0; j < n; j++) {
      if (Math.hypot(proj[j][0] - eu, proj[j][1] - ev) < GOAL_RADIUS_PX + NEAR_PX) {
        continue; // under the goal sphere, which rviz draws over the line's end
      }
      double best = Double.MAX_VALUE;
      for (int[] p : red) {
        best = Math.min(best, Math.hypot(p[0] - proj[j][0], p[1] - proj[j][1]));
      }
      if (best > NEAR_PX) {
        return "rollout point "
            + j
            + " at ("
            + proj[j][0]
            + ", "
            + proj[j][1]
            + ") px has no red"
            + " pixel within "
            + NEAR_PX
            + " px (nearest "
            + best
            + ")";
      }
    }
    if (green < 20) {
      return "no goal sphere (" + green + " green pixels)";
    }
    double off = Math.hypot(gu / green - eu, gv / green - ev);
    if (off > NEAR_PX) {
      return "the goal sphere's centre is " + off + " px from the projected goal";
    }
    return null;
  }

  private static double distanceToPolyline(double u, double v, double[][] pts) {
    double best = Double.MAX_VALUE;
    for (int j = 0; j + 1 < pts.length; j++) {
      double ax = pts[j][0];
      double ay = pts[j][1];
      double bx = pts[j + 1][0] - ax;
      double by = pts[j + 1][1] - ay;
      double len2 = bx * bx + by * by;
      double s = len2 == 0 ? 0 : Math.max(0, Math.min(1, ((u - ax) * bx + (v - ay) * by) / len2));
      best = Math.min(best, Math.hypot(u - ax - s * bx, v - ay - s * by));
    }
    return best;
  }
}
