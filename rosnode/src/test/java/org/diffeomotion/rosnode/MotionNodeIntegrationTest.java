package org.diffeomotion.rosnode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.diffeomotion.model.ModelArtifacts;
import org.diffeomotion.model.MotionModel;
import org.diffeomotion.model.Rollout;
import org.diffeomotion.model.VelocityField;
import org.diffeomotion.model.testing.ModelFactory;
import org.diffeomotion.model.testing.ModelSpec;
import org.diffeomotion.ros1.RosTools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The motion node as users run it — the {@code nodes/motion_generator} executable and {@code
 * roslaunch diffeo_motion motion_generator.launch} — against the real ROS tools: roscore on a free
 * port, rostopic, rosservice, rosparam, rosbag, rosnode, roslaunch and rospy ({@code
 * /usr/bin/python3}). Tests run in order on one roscore.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MotionNodeIntegrationTest {

  private static final long CMD_TIMEOUT_MS = 30_000;
  private static final double TOL = 1e-9;

  private final Path root = Path.of("..").toAbsolutePath().normalize();
  private RosTools ros;
  private MotionModel model;
  private Path modelFile;
  private Process node;

  @BeforeAll
  void startRoscoreAndNode() throws Exception {
    assertTrue(Files.isRegularFile(root.resolve("package.xml")), "checkout root " + root);
    ros = new RosTools();
    ros.extraEnv.put("ROS_PACKAGE_PATH", root.toString());
    ros.extraEnv.put("JAVA_HOME", System.getProperty("java.home"));
    ros.extraEnv.put("DIFFEO_MOTION_BUILD", "0");
    // Python classes of the package's own services (diffeo_motion/GetJointPlan), as a catkin
    // build would install them: for rosservice and rospy clients.
    ros.extraEnv.put("PYTHONPATH", GenPy.generate(ros, root, ros.home.resolve("py")).toString());
    ros.startRoscore(30_000);
    model =
        ModelFactory.random(
            new ModelSpec().stateDim(2).blocks(4).hidden(32).frameId("map").name("it_model"), 42);
    modelFile = ros.home.resolve("model.dmm");
    ModelArtifacts.write(model, modelFile);
    // A parameter from the parameter server (set before the node starts), one from the command
    // line, and a misspelt one.
    assertEquals(0, run("rosparam", "set", "/it_motion/horizon", "4.0").exitCode());
    node =
        ros.start(
            List.of(
                root.resolve("nodes/motion_generator").toString(),
                "__name:=it_motion",
                "_model:=" + modelFile,
                "_points:=1000",
                "_horizn:=3"),
            ros.home.resolve("it_motion.log"));
    RosTools.waitFor(
        "/it_motion registered",
        60_000,
        () -> run("rostopic", "info", "/it_motion/plan").output().contains(" * /it_motion ("));
  }

  @AfterAll
  void stopEverything() {
    if (node != null) {
      RosTools.kill(node);
    }
    if (ros != null) {
      ros.close();
    }
  }

  private RosTools.Result run(String... cmd) {
    return ros.run(CMD_TIMEOUT_MS, cmd);
  }

  private String nodeLog() {
    try {
      return Files.readString(ros.home.resolve("it_motion.log"));
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }

  /** A rospy script that waits for a plan starting at x0 on a topic and prints it. */
  private Path planScript() throws Exception {
    return ros.script(
        "plan.py",
        """
                import rospy, sys, threading
                from nav_msgs.msg import Path
                rospy.init_node('py_plan', anonymous=True)
                x0 = float(sys.argv[2])
                got = []
                ev = threading.Event()
                def cb(m):
                    if m.poses and abs(m.poses[0].pose.position.x - x0) < 1e-6 and not ev.is_set():
                        got.append(m)
                        ev.set()
                rospy.Subscriber(sys.argv[1], Path, cb)
                print('SUBSCRIBED', flush=True)
                if not ev.wait(40):
                    print('NO PLAN', flush=True)
                    sys.exit(1)
                m = got[0]
                print('PLAN', m.header.frame_id, len(m.poses), m.header.stamp.to_nsec())
                for p in m.poses:
                    print('P %r %r %r %d %s' % (p.pose.position.x, p.pose.position.y, p.pose.position.z,
                                                 p.header.stamp.to_nsec(), p.header.frame_id))
                """);
  }

  private RosTools.Result publishStartAndReceivePlan(String topicNs, double x, double y, double z)
      throws Exception {
    Path script = planScript();
    Path out = ros.home.resolve("plan-" + System.nanoTime() + ".out");
    Process py =
        ros.start(
            List.of("/usr/bin/python3", script.toString(), topicNs + "/plan", Double.toString(x)),
            out);
    try {
      RosTools.waitFor("rospy plan subscriber", 30_000, () -> read(out).contains("SUBSCRIBED"));
      String start =
          "{header: {frame_id: map}, pose: {position: {x: "
              + x
              + ", y: "
              + y
              + ", z: "
              + z
              + "}, orientation: {w: 1.0}}}";
      RosTools.Result pub =
          run("rostopic", "pub", "-1", topicNs + "/start", "geometry_msgs/PoseStamped", start);
      assertEquals(0, pub.exitCode(), pub.output());
      assertTrue(
          py.waitFor(45, TimeUnit.SECONDS),
          "no plan within 45 s: " + read(out) + "\nnode:\n" + nodeLog());
      return new RosTools.Result(py.exitValue(), read(out));
    } finally {
      RosTools.kill(py);
    }
  }

  private static String read(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p) : "";
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }

  /** Checks a printed plan against the model's closed-form rollout. */
  private void assertPlanIsTheRollout(
      String output, double[] start, double z, int points, double horizon) {
    assertPlanIsTheRollout(output, start, z, points, horizon, null);
  }

  /** As above, towards {@code goal} (null: the model's). */
  private void assertPlanIsTheRollout(
      String output, double[] start, double z, int points, double horizon, double[] goal) {
    Matcher head = Pattern.compile("PLAN map (\\d+) (\\d+)").matcher(output);
    assertTrue(head.find(), output);
    assertEquals(
        points,
        Integer.parseInt(head.group(1)),
        output.substring(0, Math.min(500, output.length())));
    long stamp = Long.parseLong(head.group(2));
    double[] times = new double[points];
    for (int j = 0; j < points; j++) {
      times[j] = j * horizon / (points - 1);
    }
    Rollout rollout = new Rollout(model, points);
    if (goal != null) {
      rollout.setGoal(goal);
    }
    double[] expect = rollout.rollout(start, times);
    Matcher p = Pattern.compile("P (\\S+) (\\S+) (\\S+) (\\d+) map").matcher(output);
    int j = 0;
    while (p.find()) {
      assertEquals(expect[2 * j], Double.parseDouble(p.group(1)), TOL, "x of point " + j);
      assertEquals(expect[2 * j + 1], Double.parseDouble(p.group(2)), TOL, "y of point " + j);
      assertEquals(z, Double.parseDouble(p.group(3)), "planar model: z of the start");
      assertEquals(
          stamp + (long) (times[j] * 1e9), Long.parseLong(p.group(4)), 1000, "stamp of point " + j);
      j++;
    }
    assertEquals(points, j);
  }

  @Test
  @Order(1)
  void topicsServiceAndParametersAsTheToolsSeeThem() {
    assertEquals("nav_msgs/Path", run("rostopic", "type", "/it_motion/plan").output().strip());
    assertEquals(
        "geometry_msgs/TwistStamped",
        run("rostopic", "type", "/it_motion/cmd_vel").output().strip());
    String info = run("rosnode", "info", "/it_motion").output();
    // rosnode info types subscriptions from getPublishedTopics only ("unknown type" until
    // someone publishes); rostopic info asks getTopicTypes, which has our subscribers' types.
    for (String s :
        List.of(
            "/it_motion/plan [nav_msgs/Path]",
            "/it_motion/cmd_vel [geometry_msgs/TwistStamped]",
            "/it_motion/start [",
            "/it_motion/state [",
            "/it_motion/goal [",
            "/it_motion/reload",
            "/rosout [rosgraph_msgs/Log]")) {
      assertTrue(info.contains(s), s + " in\n" + info);
    }
    for (String[] t :
        new String[][] {
          {"start", "geometry_msgs/PoseStamped"},
          {"state", "geometry_msgs/PoseStamped"},
          {"goal", "geometry_msgs/PointStamped"}
        }) {
      String ti = run("rostopic", "info", "/it_motion/" + t[0]).output();
      assertTrue(ti.contains("Type: " + t[1]) && ti.contains(" * /it_motion ("), ti);
    }
    assertEquals(
        "std_srvs/Trigger", run("rosservice", "type", "/it_motion/reload").output().strip());
    assertEquals("1000", run("rosparam", "get", "/it_motion/points").output().strip());
    assertEquals("4.0", run("rosparam", "get", "/it_motion/horizon").output().strip());
    assertTrue(nodeLog().contains("1000 points over 4.0 s"), nodeLog());
    assertTrue(
        nodeLog().contains("unknown private parameter /it_motion/horizn ignored"), nodeLog());
  }

  @Test
  @Order(2)
  void startFromRostopicGivesTheRolloutToRospy() throws Exception {
    RosTools.Result r = publishStartAndReceivePlan("/it_motion", 1.5, -0.75, 0.25);
    assertEquals(0, r.exitCode(), r.output() + "\nnode:\n" + nodeLog());
    assertPlanIsTheRollout(r.output(), new double[] {1.5, -0.75}, 0.25, 1000, 4.0);
    // The plan is latched: rostopic echo (md5 '*', message_definition) gets it too.
    RosTools.Result echo = run("rostopic", "echo", "-n", "1", "--noarr", "/it_motion/plan");
    assertEquals(0, echo.exitCode(), echo.output());
    assertTrue(echo.output().contains("frame_id: \"map\""), echo.output());
  }

  @Test
  @Order(3)
  void getPlanServiceAnswersRosserviceAndARospyClient() throws Exception {
    String start =
        "start: {header: {frame_id: map}, pose: {position: {x: 1.0, y: -0.5, z: 0.25},"
            + " orientation: {w: 1.0}}}";
    String goal = "goal: {header: {frame_id: map}, pose: {position: {x: 0.2, y: 0.3}}}";
    RosTools.Result call =
        run(
            "rosservice",
            "call",
            "/it_motion/get_plan",
            "{" + start + ", " + goal + ", tolerance: 0.0}");
    assertEquals(0, call.exitCode(), call.output());
    assertTrue(
        call.output().contains("plan:") && call.output().contains("frame_id: \"map\""),
        call.output().substring(0, Math.min(400, call.output().length())));
    assertEquals(
        "nav_msgs/GetPlan", run("rosservice", "type", "/it_motion/get_plan").output().strip());

    Path script =
        ros.script(
            "get_plan.py",
            """
        import rospy, sys
        from nav_msgs.srv import GetPlan
        from geometry_msgs.msg import PoseStamped
        rospy.init_node('py_get_plan', anonymous=True)
        rospy.wait_for_service('/it_motion/get_plan', 20)
        call = rospy.ServiceProxy('/it_motion/get_plan', GetPlan)
        s = PoseStamped(); s.header.frame_id = 'map'
        s.pose.position.x, s.pose.position.y, s.pose.position.z = 1.0, -0.5, 0.25
        s.pose.orientation.w = 1.0
        g = PoseStamped(); g.header.frame_id = 'map'
        g.pose.position.x, g.pose.position.y = 0.2, 0.3
        m = call(s, g, 0.0).plan
        print('PLAN', m.header.frame_id, len(m.poses), m.header.stamp.to_nsec())
        for p in m.poses:
            print('P %r %r %r %d %s' % (p.pose.position.x, p.pose.position.y, p.pose.position.z,
                                         p.header.stamp.to_nsec(), p.header.frame_id))
        try:
            s.header.frame_id = 'odom'
            call(s, g, 0.0)
            print('NO ERROR')
        except rospy.ServiceException as e:
            print('REFUSED', e)
        """);
    RosTools.Result r = ros.run(45_000, "/usr/bin/python3", script.toString());
    assertEquals(0, r.exitCode(), r.output());
    // The same closed-form rollout as ~start -> ~plan, towards the goal of this call only.
    assertPlanIsTheRollout(
        r.output(), new double[] {1.0, -0.5}, 0.25, 1000, 4.0, new double[] {0.2, 0.3});
    assertTrue(
        r.output().contains("REFUSED") && r.output().contains("start: frame 'odom'"),
        r.output().substring(Math.max(0, r.output().length() - 400)));
    // The call moved nothing: a plan from ~start still goes to the model's goal.
    RosTools.Result plan = publishStartAndReceivePlan("/it_motion", -0.5, 1.0, 0.0);
    assertEquals(0, plan.exitCode(), plan.output());
    assertPlanIsTheRollout(plan.output(), new double[] {-0.5, 1.0}, 0.0, 1000, 4.0);
  }

  @Test
  @Order(4)
  void dynparamListsGetsAndSetsTheParametersOfTheRunningNode() throws Exception {
    String dynparam = "/usr/lib/dynamic_reconfigure/dynparam";
    // Debian's python3-dynamic-reconfigure ships dynparam, which starts with
    // roslib.load_manifest('dynamic_reconfigure'), but no package manifest for it: rospkg cannot
    // find the package. A manifest on ROS_PACKAGE_PATH is all it needs (the Python modules are
    // in dist-packages); the tool itself is the real one.
    Path shim = ros.home.resolve("rospkg-shim/dynamic_reconfigure");
    Files.createDirectories(shim);
    Files.writeString(
        shim.resolve("package.xml"),
        "<package format=\"2\"><name>dynamic_reconfigure</name><version>1.7.3</version>"
            + "<description>manifest only</description><maintainer email=\"n@example.org\">n"
            + "</maintainer><license>BSD</license></package>\n");
    ros.extraEnv.put("ROS_PACKAGE_PATH", root + ":" + shim.getParent());
    RosTools.Result list = run("/usr/bin/python3", dynparam, "list");
    assertTrue(list.output().contains("/it_motion"), list.output());
    RosTools.Result get = run("/usr/bin/python3", dynparam, "get", "/it_motion");
    assertEquals(0, get.exitCode(), get.output());
    assertTrue(
        get.output().contains("'points': 1000") && get.output().contains("'horizon': 4.0"),
        get.output());

    RosTools.Result set = run("/usr/bin/python3", dynparam, "set", "/it_motion", "points", "500");
    assertEquals(0, set.exitCode(), set.output());
    RosTools.Result clamp =
        run("/usr/bin/python3", dynparam, "set", "/it_motion", "velocity_limit", "5e9");
    assertEquals(0, clamp.exitCode(), clamp.output());
    RosTools.Result after = run("/usr/bin/python3", dynparam, "get", "/it_motion");
    assertTrue(
        after.output().contains("'points': 500")
            && after.output().contains("'velocity_limit': 1000000.0"),
        after.output());
    assertEquals("500", run("rosparam", "get", "/it_motion/points").output().strip());
    // The next plan has the new number of points; nothing else changed.
    RosTools.Result plan = publishStartAndReceivePlan("/it_motion", 0.8, -0.2, 0.0);
    assertEquals(0, plan.exitCode(), plan.output());
    assertPlanIsTheRollout(plan.output(), new double[] {0.8, -0.2}, 0.0, 500, 4.0);

    // Back, for the tests that follow.
    assertEquals(
        0, run("/usr/bin/python3", dynparam, "set", "/it_motion", "points", "1000").exitCode());
    assertEquals(
        0,
        run("/usr/bin/python3", dynparam, "set", "/it_motion", "velocity_limit", "0").exitCode());
  }

  @Test
  @Order(5)
  void stateStreamFromRospyGivesOneCommandPerState() throws Exception {
    Path script =
        ros.script(
            "cmd.py",
            """
                import rospy, sys, threading
                from geometry_msgs.msg import PoseStamped, TwistStamped
                rospy.init_node('py_state', anonymous=True)
                sent = {}
                got = {}
                def cb(m):
                    got[m.header.seq] = (m.twist.linear.x, m.twist.linear.y, m.twist.linear.z, m.header.frame_id)
                rospy.Subscriber('/it_motion/cmd_vel', TwistStamped, cb)
                pub = rospy.Publisher('/it_motion/state', PoseStamped, queue_size=100)
                end = rospy.get_time() + float(sys.argv[1])
                while pub.get_num_connections() == 0 and rospy.get_time() < end:
                    rospy.sleep(0.05)
                rospy.sleep(0.5)
                r = rospy.Rate(100)
                i = 0
                while not rospy.is_shutdown() and rospy.get_time() < end:
                    m = PoseStamped()
                    m.header.frame_id = 'map'
                    m.header.stamp = rospy.Time.now()
                    m.pose.position.x = 1.0 + 0.001 * i
                    m.pose.position.y = 0.5 - 0.002 * i
                    m.pose.orientation.w = 1.0
                    pub.publish(m)
                    sent[m.header.seq] = (m.pose.position.x, m.pose.position.y)
                    i += 1
                    r.sleep()
                rospy.sleep(0.5)
                print('SENT', len(sent), 'GOT', len(got), flush=True)
                for seq in sorted(got)[:50]:
                    if seq in sent:
                        c = got[seq]
                        print('C %r %r %r %r %r %s' % (sent[seq][0], sent[seq][1], c[0], c[1], c[2], c[3]))
                """);
    RosTools.Result r = ros.run(40_000, "/usr/bin/python3", script.toString(), "4");
    assertEquals(0, r.exitCode(), r.output());
    Matcher counts = Pattern.compile("SENT (\\d+) GOT (\\d+)").matcher(r.output());
    assertTrue(counts.find(), r.output());
    int sent = Integer.parseInt(counts.group(1));
    assertTrue(sent >= 100, r.output());
    assertEquals(sent, Integer.parseInt(counts.group(2)), "one command per state, none lost");
    VelocityField f = new VelocityField(model);
    double[] v = new double[2];
    Matcher c = Pattern.compile("C (\\S+) (\\S+) (\\S+) (\\S+) (\\S+) map").matcher(r.output());
    int checked = 0;
    while (c.find()) {
      f.velocity(new double[] {Double.parseDouble(c.group(1)), Double.parseDouble(c.group(2))}, v);
      assertEquals(v[0], Double.parseDouble(c.group(3)), TOL);
      assertEquals(v[1], Double.parseDouble(c.group(4)), TOL);
      assertEquals(0.0, Double.parseDouble(c.group(5)));
      checked++;
    }
    assertEquals(50, checked, r.output());
  }

  @Test
  @Order(6)
  void rosbagRecordsPlanAndCommands() throws Exception {
    Path script =
        ros.script(
            "states.py",
            """
                import rospy
                from geometry_msgs.msg import PoseStamped
                rospy.init_node('py_states', anonymous=True)
                pub = rospy.Publisher('/it_motion/state', PoseStamped, queue_size=10)
                r = rospy.Rate(50)
                end = rospy.get_time() + 20
                while not rospy.is_shutdown() and rospy.get_time() < end:
                    m = PoseStamped()
                    m.header.frame_id = 'map'
                    m.pose.position.x = 0.3
                    pub.publish(m)
                    r.sleep()
                """);
    Process py =
        ros.start(List.of("/usr/bin/python3", script.toString()), ros.home.resolve("states.log"));
    try {
      RosTools.Result rec =
          ros.run(
              40_000,
              "rosbag",
              "record",
              "-O",
              "motion.bag",
              "--duration=3",
              "/it_motion/plan",
              "/it_motion/cmd_vel");
      assertEquals(0, rec.exitCode(), rec.output());
    } finally {
      RosTools.kill(py);
    }
    RosTools.Result info = run("rosbag", "info", "motion.bag");
    assertEquals(0, info.exitCode(), info.output());
    assertTrue(info.output().contains("nav_msgs/Path"), info.output());
    assertTrue(info.output().contains("geometry_msgs/TwistStamped"), info.output());
    Matcher plans = Pattern.compile("/it_motion/plan\\s+(\\d+) msg").matcher(info.output());
    Matcher cmds = Pattern.compile("/it_motion/cmd_vel\\s+(\\d+) msgs").matcher(info.output());
    assertTrue(plans.find() && cmds.find(), info.output());
    assertEquals(1, Integer.parseInt(plans.group(1)), "the latched plan");
    assertTrue(Integer.parseInt(cmds.group(1)) >= 20, info.output());
  }

  @Test
  @Order(7)
  void goalFromRostopicAndReloadFromRosservice() throws Exception {
    RosTools.Result bad =
        run(
            "rostopic",
            "pub",
            "-1",
            "/it_motion/goal",
            "geometry_msgs/PointStamped",
            "{header: {frame_id: odom}, point: {x: 9.0, y: 9.0}}");
    assertEquals(0, bad.exitCode(), bad.output());
    RosTools.Result goal =
        run(
            "rostopic",
            "pub",
            "-1",
            "/it_motion/goal",
            "geometry_msgs/PointStamped",
            "{header: {frame_id: map}, point: {x: 0.5, y: -0.5}}");
    assertEquals(0, goal.exitCode(), goal.output());
    RosTools.waitFor("goal applied", 10_000, () -> nodeLog().contains("goal moved to [0.5, -0.5]"));
    assertTrue(nodeLog().contains("frame 'odom' is not the node's frame 'map'"), nodeLog());

    Path broken = ros.home.resolve("broken.dmm");
    Files.write(broken, new byte[] {42, 1, 2});
    assertEquals(0, run("rosparam", "set", "/it_motion/model", broken.toString()).exitCode());
    RosTools.Result fail = run("rosservice", "call", "/it_motion/reload");
    assertTrue(
        fail.output().contains("success: False")
            && fail.output().contains("still serving 'it_model'"),
        fail.output());
    assertEquals(0, run("rosparam", "set", "/it_motion/model", modelFile.toString()).exitCode());
    RosTools.Result ok = run("rosservice", "call", "/it_motion/reload");
    assertTrue(
        ok.output().contains("success: True") && ok.output().contains("loaded 'it_model'"),
        ok.output());
    // After the reload the goal is the model's again, and the node still plans.
    RosTools.Result r = publishStartAndReceivePlan("/it_motion", -0.5, 1.0, 0.0);
    assertEquals(0, r.exitCode(), r.output());
    assertPlanIsTheRollout(r.output(), new double[] {-0.5, 1.0}, 0.0, 1000, 4.0);
  }

  @Test
  @Order(8)
  void masterRestartThenTheNodeServesAgain() throws Exception {
    ros.stopRoscore();
    ros.startRoscore(30_000);
    RosTools.waitFor(
        "/it_motion registered again",
        30_000,
        () -> run("rostopic", "info", "/it_motion/start").output().contains(" * /it_motion ("));
    RosTools.Result r = publishStartAndReceivePlan("/it_motion", 0.75, 0.75, 0.0);
    assertEquals(0, r.exitCode(), r.output() + "\nnode:\n" + nodeLog());
    assertPlanIsTheRollout(r.output(), new double[] {0.75, 0.75}, 0.0, 1000, 4.0);
  }

  @Test
  @Order(9)
  void sigintUnregistersTheNode() throws Exception {
    assumeFalse(
        RosTools.sigintIgnored(),
        "SIGINT is ignored in this test's process tree (nohup or a background job of a"
            + " non-interactive shell), so the node cannot see it; run the suite in the foreground");
    assertTrue(run("rosnode", "list").output().contains("/it_motion"));
    assertEquals(
        0, new ProcessBuilder("kill", "-INT", Long.toString(node.pid())).start().waitFor());
    assertTrue(node.waitFor(20, TimeUnit.SECONDS), "node did not exit on SIGINT:\n" + nodeLog());
    RosTools.Result r = run("rosnode", "list");
    assertFalse(r.output().contains("/it_motion"), r.output());
    assertFalse(run("rostopic", "list").output().contains("/it_motion/plan"));
  }

  /**
   * The lines "Q pos0 pos1 vel0 vel1 time_from_start_ns" a rospy script printed for a 2-joint plan
   * equal the rollout (1e-9) at the given times (1 us), one per time.
   */
  private static void assertJointPointsAre(
      String output, double[] times, double[] pos, double[] vel) {
    Matcher q = Pattern.compile("Q (\\S+) (\\S+) (\\S+) (\\S+) (\\d+)").matcher(output);
    int j = 0;
    while (q.find()) {
      assertEquals(pos[2 * j], Double.parseDouble(q.group(1)), TOL);
      assertEquals(pos[2 * j + 1], Double.parseDouble(q.group(2)), TOL);
      assertEquals(vel[2 * j], Double.parseDouble(q.group(3)), TOL);
      assertEquals(vel[2 * j + 1], Double.parseDouble(q.group(4)), TOL);
      assertEquals((long) (times[j] * 1e9), Long.parseLong(q.group(5)), 1000);
      j++;
    }
    assertEquals(times.length, j, output);
  }

  /** ~get_joint_plan of the running /arm_motion (points 20, horizon 1.9) from the tools. */
  private void assertJointPlanServiceAnswersRosserviceAndRospy(MotionModel arm, Path log)
      throws Exception {
    assertEquals(
        "diffeo_motion/GetJointPlan",
        run("rosservice", "type", "/arm_motion/get_joint_plan").output().strip());
    RosTools.Result call =
        run(
            "rosservice",
            "call",
            "/arm_motion/get_joint_plan",
            "{start: {name: [elbow, shoulder], position: [0.4, -0.2]},"
                + " goal: {name: [shoulder, elbow], position: [0.05, 0.1]}}");
    assertEquals(0, call.exitCode(), call.output() + "\nnode:\n" + read(log));
    assertTrue(
        call.output().replaceAll("\\s+", " ").contains("joint_names: - shoulder - elbow points:")
            && call.output().contains("positions: [-0.2000000000"),
        call.output().substring(0, Math.min(400, call.output().length())));
    Path script =
        ros.script(
            "get_joint_plan.py",
            """
        import rospy
        from diffeo_motion.srv import GetJointPlan
        from sensor_msgs.msg import JointState
        rospy.init_node('py_get_joint_plan', anonymous=True)
        rospy.wait_for_service('/arm_motion/get_joint_plan', 20)
        call = rospy.ServiceProxy('/arm_motion/get_joint_plan', GetJointPlan)
        start = JointState(name=['wrist', 'elbow', 'shoulder'], position=[9.0, 0.4, -0.2])
        goal = JointState(name=['elbow', 'shoulder'], position=[0.1, 0.05])
        p = call(start, goal).plan
        print('NAMES', ','.join(p.joint_names), len(p.points))
        for q in p.points:
            print('Q %r %r %r %r %d' % (q.positions[0], q.positions[1], q.velocities[0],
                                       q.velocities[1], q.time_from_start.to_nsec()))
        try:
            call(JointState(name=['wrist'], position=[1.0]), JointState())
            print('NO ERROR')
        except rospy.ServiceException as e:
            print('REFUSED', e)
        """);
    RosTools.Result r = ros.run(45_000, "/usr/bin/python3", script.toString());
    assertEquals(0, r.exitCode(), r.output());
    assertTrue(
        r.output().contains("NAMES shoulder,elbow 20"), r.output() + "\nnode:\n" + read(log));
    double[] times = new double[20];
    for (int j = 0; j < 20; j++) {
      times[j] = j * 1.9 / 19;
    }
    Rollout toGoal = new Rollout(arm, 20);
    toGoal.setGoal(new double[] {0.05, 0.1});
    double[] pos = new double[40];
    double[] vel = new double[40];
    toGoal.rollout(new double[] {-0.2, 0.4}, times, 20, pos, vel);
    assertJointPointsAre(r.output(), times, pos, vel);
    assertTrue(
        r.output().contains("REFUSED") && r.output().contains("start: joint 'shoulder' is missing"),
        r.output().substring(Math.max(0, r.output().length() - 400)));
  }

  @Test
  @Order(10)
  void jointSpaceModelServesJointTrajectoriesAndJointVelocitiesToRospy() throws Exception {
    MotionModel arm = MotionNodeTest.joints(43);
    Path armFile = ros.home.resolve("arm.dmm");
    ModelArtifacts.write(arm, armFile);
    Path log = ros.home.resolve("arm_motion.log");
    Process armNode =
        ros.start(
            List.of(
                root.resolve("nodes/motion_generator").toString(),
                "__name:=arm_motion",
                "_model:=" + armFile,
                "_points:=20",
                "_horizon:=1.9",
                "_grpc_port:=" + RosTools.freePort()),
            log);
    try {
      RosTools.waitFor(
          "/arm_motion registered",
          60_000,
          () -> run("rostopic", "info", "/arm_motion/plan").output().contains(" * /arm_motion ("));
      assertEquals(
          "trajectory_msgs/JointTrajectory",
          run("rostopic", "type", "/arm_motion/plan").output().strip());
      assertEquals(
          "sensor_msgs/JointState",
          run("rostopic", "type", "/arm_motion/cmd_vel").output().strip());
      Path script =
          ros.script(
              "arm.py",
              """
                    import rospy, threading
                    from sensor_msgs.msg import JointState
                    from trajectory_msgs.msg import JointTrajectory
                    rospy.init_node('py_arm', anonymous=True)
                    ev_plan, ev_cmd = threading.Event(), threading.Event()
                    got = {}
                    def on_plan(m):
                        got['plan'] = m
                        ev_plan.set()
                    def on_cmd(m):
                        got['cmd'] = m
                        ev_cmd.set()
                    rospy.Subscriber('/arm_motion/plan', JointTrajectory, on_plan)
                    rospy.Subscriber('/arm_motion/cmd_vel', JointState, on_cmd)
                    start = rospy.Publisher('/arm_motion/start', JointState, queue_size=1, latch=True)
                    state = rospy.Publisher('/arm_motion/state', JointState, queue_size=1)
                    msg = JointState(name=['wrist', 'elbow', 'shoulder'], position=[9.0, 0.4, -0.2])
                    start.publish(msg)
                    end = rospy.get_time() + 30
                    while not ev_cmd.is_set() and rospy.get_time() < end:
                        state.publish(msg)
                        rospy.sleep(0.1)
                    ev_plan.wait(max(0.1, end - rospy.get_time()))
                    p, c = got.get('plan'), got.get('cmd')
                    if p is None or c is None:
                        print('MISSING', p is None, c is None, flush=True)
                    else:
                        print('NAMES', ','.join(p.joint_names), len(p.points))
                        for q in p.points:
                            print('Q %r %r %r %r %d' % (q.positions[0], q.positions[1], q.velocities[0], q.velocities[1],
                                                       q.time_from_start.to_nsec()))
                        print('V %s %r %r' % (','.join(c.name), c.velocity[0], c.velocity[1]))
                    """);
      RosTools.Result r = ros.run(45_000, "/usr/bin/python3", script.toString());
      assertEquals(0, r.exitCode(), r.output());
      assertTrue(
          r.output().contains("NAMES shoulder,elbow 20"), r.output() + "\nnode:\n" + read(log));
      double[] times = new double[20];
      for (int j = 0; j < 20; j++) {
        times[j] = j * 1.9 / 19;
      }
      double[] pos = new double[40];
      double[] vel = new double[40];
      new Rollout(arm, 20).rollout(new double[] {-0.2, 0.4}, times, 20, pos, vel);
      assertJointPointsAre(r.output(), times, pos, vel);
      Matcher v = Pattern.compile("V shoulder,elbow (\\S+) (\\S+)").matcher(r.output());
      assertTrue(v.find(), r.output());
      double[] expect = new double[2];
      new VelocityField(arm).velocity(new double[] {-0.2, 0.4}, expect);
      assertEquals(expect[0], Double.parseDouble(v.group(1)), TOL);
      assertEquals(expect[1], Double.parseDouble(v.group(2)), TOL);
      assertJointPlanServiceAnswersRosserviceAndRospy(arm, log);
      // rosnode kill: the node unregisters and its JVM (with a gRPC server running) exits.
      RosTools.Result kill = run("rosnode", "kill", "/arm_motion");
      assertTrue(kill.output().contains("killed"), kill.output());
      assertTrue(
          armNode.waitFor(20, TimeUnit.SECONDS),
          "JVM still running after rosnode kill:\n" + read(log));
      assertEquals(0, armNode.exitValue(), read(log));
      assertFalse(run("rosnode", "list").output().contains("/arm_motion"));
    } finally {
      RosTools.kill(armNode);
    }
  }

  @Test
  @Order(11)
  void aBadModelFileRefusesToStartWithAClearError() throws Exception {
    Path missing = ros.home.resolve("no-such-model.dmm");
    RosTools.Result r =
        ros.run(
            60_000,
            root.resolve("nodes/motion_generator").toString(),
            "__name:=bad_motion",
            "_model:=" + missing);
    assertEquals(2, r.exitCode(), r.output());
    assertTrue(
        r.output().contains("cannot start") && r.output().contains(missing.toString()), r.output());
    assertFalse(run("rosnode", "list").output().contains("/bad_motion"));
  }

  @Test
  @Order(12)
  void roslaunchStartsTheNodeFromTheLaunchFile() throws Exception {
    Path log = ros.home.resolve("roslaunch.log");
    int grpcPort = RosTools.freePort();
    Process launch =
        ros.start(
            List.of(
                "roslaunch",
                "diffeo_motion",
                "motion_generator.launch",
                "model:=" + modelFile,
                "ns:=robot",
                "points:=50",
                "horizon:=2.0",
                "velocity_limit:=0.5",
                "grpc_port:=" + grpcPort),
            log);
    try {
      RosTools.waitFor(
          "/robot/motion_generator registered",
          60_000,
          () ->
              run("rostopic", "info", "/robot/motion_generator/plan")
                  .output()
                  .contains(" * /robot/motion_generator ("));
      assertEquals("50", run("rosparam", "get", "/robot/motion_generator/points").output().strip());
      assertEquals(
          "pose",
          run("rosparam", "get", "/robot/motion_generator/input_type").output().strip(),
          "default from launch/params/motion_generator.yaml");
      assertEquals(
          "0.5", run("rosparam", "get", "/robot/motion_generator/velocity_limit").output().strip());
      RosTools.Result r = publishStartAndReceivePlan("/robot/motion_generator", 1.0, 1.0, 0.0);
      assertEquals(0, r.exitCode(), r.output() + "\nroslaunch:\n" + read(log));
      assertPlanIsTheRollout(r.output(), new double[] {1.0, 1.0}, 0.0, 50, 2.0);
      // The node's embedded gRPC server serves the same model on 127.0.0.1:grpc_port.
      io.grpc.ManagedChannel ch =
          io.grpc.Grpc.newChannelBuilderForAddress(
                  "127.0.0.1", grpcPort, io.grpc.InsecureChannelCredentials.create())
              .build();
      try {
        var list =
            org.diffeomotion.proto.motion.v1.MotionServiceGrpc.newBlockingStub(ch)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .listModels(
                    org.diffeomotion.proto.motion.v1.ListModelsRequest.getDefaultInstance());
        assertEquals("it_model", list.getModels(0).getName(), list.toString());
      } finally {
        ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      // roslaunch forwards SIGINT to the node, which unregisters.
      assertEquals(
          0, new ProcessBuilder("kill", "-INT", Long.toString(launch.pid())).start().waitFor());
      assertTrue(launch.waitFor(30, TimeUnit.SECONDS), read(log));
      assertFalse(run("rosnode", "list").output().contains("/robot/motion_generator"));
    } finally {
      RosTools.kill(launch);
    }
  }
}
