package org.diffeomotion.rosnode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.diffeomotion.model.ModelArtifacts;
import org.diffeomotion.model.MotionModel;
import org.diffeomotion.model.PoseMap;
import org.diffeomotion.model.Rollout;
import org.diffeomotion.model.So3;
import org.diffeomotion.model.TimeGrids;
import org.diffeomotion.model.VelocityField;
import org.diffeomotion.ros1.RosTools;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A pose model served to the real ROS tools: roscore on a free port, the node executable ({@code
 * nodes/motion_generator}), {@code rostopic pub} of PoseStamped starts (one without an orientation,
 * as tools send it unset: refused with an error naming the field; one with), a rospy ({@code
 * /usr/bin/python3}) subscriber typed {@code nav_msgs/Path} and {@code geometry_msgs/TwistStamped}
 * (md5 checked), a rospy state. The received plan's positions and orientations and the command's
 * linear and angular parts are compared with the model's own closed form ({@link PoseMap}, {@link
 * Rollout}, {@link VelocityField}).
 */
@Tag("integration")
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class PoseIntegrationTest {
  private static final double TOL = 1e-9;

  @Test
  void startPoseGivesThePlansOrientationsAndStateGivesTheAngularCommand() throws Exception {
    Path root = Path.of("..").toAbsolutePath().normalize();
    try (RosTools ros = new RosTools()) {
      ros.extraEnv.put("ROS_PACKAGE_PATH", root.toString());
      ros.extraEnv.put("JAVA_HOME", System.getProperty("java.home"));
      ros.extraEnv.put("DIFFEO_MOTION_BUILD", "0");
      ros.startRoscore(30_000);
      MotionModel model = MotionNodePoseTest.poseModel(4242);
      Path modelFile = ros.home.resolve("pose.dmm");
      ModelArtifacts.write(model, modelFile);
      double horizon = 60 * model.timeScale();
      int points = 40;
      Path nodeLog = ros.home.resolve("pose_motion.log");
      Process node =
          ros.start(
              List.of(
                  root.resolve("nodes/motion_generator").toString(),
                  "__name:=pose_motion",
                  "_model:=" + modelFile,
                  "_points:=" + points,
                  "_horizon:=" + horizon),
              nodeLog);
      try {
        RosTools.waitFor(
            "/pose_motion registered",
            60_000,
            () ->
                ros.run(30_000, "rostopic", "info", "/pose_motion/plan")
                    .output()
                    .contains(" * /pose_motion ("));
        assertEquals(
            "geometry_msgs/PoseStamped",
            ros.run(30_000, "rostopic", "type", "/pose_motion/goal").output().strip());

        double[] start = {0.45, -0.2, 0.35, 0.1, 0.7, -0.2, 0.677};
        double n = So3.norm(start, 3);
        for (int i = 3; i < 7; i++) {
          start[i] /= n;
        }
        double[] state = {0.3, 0.0, 0.2, -0.5, 0.1, 0.3, 0.8062};
        Path script =
            ros.script(
                "pose.py",
                """
                import rospy, sys, threading
                from nav_msgs.msg import Path
                from geometry_msgs.msg import PoseArray, PoseStamped, TwistStamped
                rospy.init_node('py_pose', anonymous=True)
                x0 = float(sys.argv[1])
                state = [float(v) for v in sys.argv[2:9]]
                plans, cmds, arrays = [], [], []
                got_plan, got_cmd, got_array = threading.Event(), threading.Event(), threading.Event()
                def on_array(m):
                    if m.poses and abs(m.poses[0].position.x - x0) < 1e-9 and not got_array.is_set():
                        arrays.append(m)
                        got_array.set()
                def on_plan(m):
                    if m.poses and abs(m.poses[0].pose.position.x - x0) < 1e-9 and not got_plan.is_set():
                        plans.append(m)
                        got_plan.set()
                def on_cmd(m):
                    if not got_cmd.is_set():
                        cmds.append(m)
                        got_cmd.set()
                rospy.Subscriber('/pose_motion/plan', Path, on_plan)
                rospy.Subscriber('/pose_motion/cmd_vel', TwistStamped, on_cmd)
                rospy.Subscriber('/pose_motion/plan_poses', PoseArray, on_array)
                print('SUBSCRIBED', flush=True)
                if not got_plan.wait(60):
                    print('NO PLAN', flush=True)
                    sys.exit(1)
                m = plans[0]
                print('PLAN', m.header.frame_id, len(m.poses))
                for p in m.poses:
                    o, q = p.pose.position, p.pose.orientation
                    print('P %r %r %r %r %r %r %r' % (o.x, o.y, o.z, q.x, q.y, q.z, q.w))
                if not got_array.wait(20):
                    print('NO POSE ARRAY', flush=True)
                    sys.exit(1)
                a = arrays[0]
                print('ARRAY %s %d' % (a.header.frame_id, len(a.poses)))
                for p in a.poses:
                    o, q = p.position, p.orientation
                    print('A %r %r %r %r %r %r %r' % (o.x, o.y, o.z, q.x, q.y, q.z, q.w))
                pub = rospy.Publisher('/pose_motion/state', PoseStamped, queue_size=10)
                s = PoseStamped()
                s.header.frame_id = 'map'
                s.header.seq = 17
                (s.pose.position.x, s.pose.position.y, s.pose.position.z,
                 s.pose.orientation.x, s.pose.orientation.y, s.pose.orientation.z,
                 s.pose.orientation.w) = state
                for _ in range(200):
                    pub.publish(s)
                    if got_cmd.wait(0.1):
                        break
                if not cmds:
                    print('NO COMMAND', flush=True)
                    sys.exit(1)
                c = cmds[0]
                l, a = c.twist.linear, c.twist.angular
                print('CMD %s %r %r %r %r %r %r' % (c.header.frame_id, l.x, l.y, l.z, a.x, a.y, a.z))
                """);
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", script.toString()));
        cmd.add(Double.toString(start[0]));
        for (double v : state) {
          cmd.add(Double.toString(v));
        }
        Path out = ros.home.resolve("pose.out");
        Process py = ros.start(cmd, out);
        try {
          RosTools.waitFor("rospy subscribers", 30_000, () -> read(out).contains("SUBSCRIBED"));
          // As tools send a pose without an orientation: all zeros, refused naming the field.
          RosTools.Result unset =
              ros.publishOnce(
                  "/pose_motion/start",
                  "geometry_msgs/PoseStamped",
                  "{header: {frame_id: map}, pose: {position: {x: " + start[0] + "}}}");
          assertEquals(0, unset.exitCode(), unset.output());
          RosTools.waitFor(
              "the node's error for the unset orientation",
              20_000,
              () -> read(nodeLog).contains("~start: pose.orientation is all zeros"));
          String pose =
              String.format(
                  Locale.ROOT,
                  "{header: {frame_id: map}, pose: {position: {x: %.17g, y: %.17g, z: %.17g},"
                      + " orientation: {x: %.17g, y: %.17g, z: %.17g, w: %.17g}}}",
                  start[0],
                  start[1],
                  start[2],
                  start[3],
                  start[4],
                  start[5],
                  start[6]);
          RosTools.Result pub =
              ros.publishOnce("/pose_motion/start", "geometry_msgs/PoseStamped", pose);
          assertEquals(0, pub.exitCode(), pub.output());
          assertTrue(
              py.waitFor(90, TimeUnit.SECONDS),
              "no plan and command: " + read(out) + "\nnode:\n" + read(nodeLog));
          assertEquals(0, py.exitValue(), read(out) + "\nnode:\n" + read(nodeLog));
        } finally {
          RosTools.kill(py);
        }
        String output = read(out);
        Matcher head = Pattern.compile("PLAN map (\\d+)").matcher(output);
        assertTrue(head.find(), output);
        assertEquals(points, Integer.parseInt(head.group(1)));

        PoseMap map = new PoseMap(model);
        double[] y0 = new double[6];
        map.toState(start, 0, y0, 0);
        double[] t = new double[points];
        TimeGrids.fillUniformCount(t, points, horizon);
        double[] states = new Rollout(model, points).rollout(y0, t);
        Matcher p =
            Pattern.compile("P (\\S+) (\\S+) (\\S+) (\\S+) (\\S+) (\\S+) (\\S+)").matcher(output);
        double[] expect = new double[7];
        double[] got = new double[7];
        int j = 0;
        while (p.find()) {
          map.toPose(states, 6 * j, expect, 0);
          for (int i = 0; i < 7; i++) {
            got[i] = Double.parseDouble(p.group(i + 1));
            assertEquals(expect[i], got[i], TOL, "pose " + j + " value " + i);
          }
          j++;
        }
        assertEquals(points, j, output);
        // ~plan_poses (geometry_msgs/PoseArray, md5 checked by rospy's handshake): the same poses.
        assertTrue(output.contains("ARRAY map " + points), output);
        Matcher a =
            Pattern.compile("A (\\S+) (\\S+) (\\S+) (\\S+) (\\S+) (\\S+) (\\S+)").matcher(output);
        int k = 0;
        while (a.find()) {
          map.toPose(states, 6 * k, expect, 0);
          for (int i = 0; i < 7; i++) {
            assertEquals(expect[i], Double.parseDouble(a.group(i + 1)), TOL, "array pose " + k);
          }
          k++;
        }
        assertEquals(points, k, output);
        assertTrue(
            So3.angleBetween(got, 3, model.goalOrientation(), 0) <= 1e-6,
            "the last pose has the goal orientation");

        Matcher c =
            Pattern.compile("CMD (\\S+) (\\S+) (\\S+) (\\S+) (\\S+) (\\S+) (\\S+)").matcher(output);
        assertTrue(c.find(), output);
        assertEquals("map", c.group(1));
        double[] y = new double[6];
        double[] v = new double[6];
        double[] w = new double[3];
        map.toState(state, 0, y, 0);
        new VelocityField(model).velocity(y, v);
        map.angularVelocity(y, 0, v, 0, w, 0);
        double[] twist = {v[0], v[1], v[2], w[0], w[1], w[2]};
        for (int i = 0; i < 6; i++) {
          assertEquals(twist[i], Double.parseDouble(c.group(i + 2)), TOL, "twist value " + i);
        }
        assertTrue(Math.abs(w[0]) + Math.abs(w[1]) + Math.abs(w[2]) > 1e-6, "a real angular part");
      } finally {
        RosTools.kill(node);
      }
    }
  }

  private static String read(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p) : "";
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }
}
