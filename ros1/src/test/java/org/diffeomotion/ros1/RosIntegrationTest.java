package org.diffeomotion.ros1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.diffeomotion.ros1.internal.MasterClient;
import org.diffeomotion.ros1.msg.JointState;
import org.diffeomotion.ros1.msg.PointStamped;
import org.diffeomotion.ros1.msg.PoseStamped;
import org.diffeomotion.ros1.msg.Trigger;
import org.diffeomotion.ros1.msg.TwistStamped;
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
 * Our node against the real ROS tools: roscore, rostopic, rosservice, rosparam, rosbag, rosnode and
 * rospy. Tests run in order on one roscore; the last ones restart the master and shut the node
 * down.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RosIntegrationTest {

  private static final long CMD_TIMEOUT_MS = 20_000;

  private RosTools ros;
  private RosNode node;
  private Publisher<PoseStamped> pose;
  private Publisher<TwistStamped> twist;
  private Thread twistLoop;
  private volatile boolean looping = true;
  private final AtomicInteger triggerCalls = new AtomicInteger();

  @BeforeAll
  void startRoscoreAndNode() throws Exception {
    ros = new RosTools();
    ros.startRoscore(30_000);
    NodeConfig cfg =
        NodeConfig.fromArgs(
            "it_node",
            List.of("_gain:=1.5", "remapped:=/it/remapped_target"),
            Map.of("ROS_MASTER_URI", ros.masterUri));
    node = RosNode.create(cfg, Clock.wall(), false);
    pose = node.advertise("/it/pose", PoseStamped.TYPE, true, 10);
    twist = node.advertise("/it/twist", TwistStamped.TYPE, false, 10);
    node.advertiseService(
        "/it/trigger",
        Trigger.TYPE,
        (req, res) -> {
          res.success = true;
          res.message("triggered " + triggerCalls.incrementAndGet());
        });
    node.start();

    PoseStamped p = new PoseStamped();
    p.header.frameId("map");
    p.header.stampNanos(node.clock().nowNanos());
    p.pose.position.set(1.25, -2.5, 3.75);
    p.pose.orientation.set(0, 0, 0.6, 0.8);
    pose.publish(p);

    twistLoop =
        new Thread(
            () -> {
              TwistStamped t = new TwistStamped();
              t.header.frameId("base_link");
              int i = 0;
              while (looping) {
                t.header.seq = i++;
                t.header.stampNanos(node.clock().nowNanos());
                t.twist.linear.set(0.5, 0.25, -0.125);
                t.twist.angular.set(0, 0, 0.75);
                twist.publish(t);
                try {
                  Thread.sleep(50);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "it-twist-publisher");
    twistLoop.setDaemon(true);
    twistLoop.start();
  }

  @AfterAll
  void stopEverything() throws Exception {
    looping = false;
    if (twistLoop != null) {
      twistLoop.interrupt();
      twistLoop.join(2000);
    }
    if (node != null) {
      node.shutdown();
    }
    if (ros != null) {
      ros.close();
    }
  }

  private RosTools.Result run(String... cmd) {
    RosTools.Result r = ros.run(CMD_TIMEOUT_MS, cmd);
    return r;
  }

  @Test
  @Order(1)
  void rostopicEchoReceivesOurLatchedPose() {
    RosTools.Result r = run("rostopic", "echo", "-n", "1", "/it/pose");
    assertEquals(0, r.exitCode(), r.output());
    assertTrue(r.output().contains("frame_id: \"map\""), r.output());
    assertTrue(
        r.output().contains("x: 1.25")
            && r.output().contains("y: -2.5")
            && r.output().contains("z: 3.75"),
        r.output());
    assertTrue(r.output().contains("w: 0.8"), r.output());
  }

  @Test
  @Order(2)
  void rostopicInfoAndTypeShowOurTopics() {
    RosTools.Result type = run("rostopic", "type", "/it/twist");
    assertEquals("geometry_msgs/TwistStamped", type.output().strip(), type.output());
    RosTools.Result info = run("rostopic", "info", "/it/pose");
    assertTrue(info.output().contains("Type: geometry_msgs/PoseStamped"), info.output());
    assertTrue(info.output().contains("/it_node"), info.output());
    RosTools.Result nodeInfo = run("rosnode", "info", "/it_node");
    assertTrue(
        nodeInfo.output().contains("/it/twist [geometry_msgs/TwistStamped]"), nodeInfo.output());
    assertTrue(nodeInfo.output().contains("/it/trigger"), nodeInfo.output());
    assertTrue(
        nodeInfo.output().contains("Pid: " + ProcessHandle.current().pid()), nodeInfo.output());
    // Connections come from our getBusInfo: rosout subscribes to our /rosout.
    assertTrue(
        nodeInfo.output().matches("(?s).*topic: /rosout\\s+\\* to: /rosout.*"), nodeInfo.output());
    assertTrue(nodeInfo.output().contains("transport: TCPROS"), nodeInfo.output());
  }

  @Test
  @Order(2)
  void masterAndParameterApiAgainstTheRealMaster() {
    MasterClient m = new MasterClient(java.net.URI.create(ros.masterUri), "/it_probe", 2000, 5000);
    assertTrue(m.getUri().endsWith(":" + ros.port + "/"), m.getUri());
    assertTrue(m.getPid() > 0);
    assertEquals(node.uri(), m.lookupNode("/it_node"));
    RosException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            RosException.class, () -> m.lookupNode("/nope"));
    assertTrue(e.getMessage().contains("lookupNode(/nope)"), e.getMessage());
    assertTrue(m.getPublishedTopics("").contains(List.of("/it/pose", "geometry_msgs/PoseStamped")));
    assertTrue(m.getTopicTypes().contains(List.of("/it/twist", "geometry_msgs/TwistStamped")));
    List<?> state = m.getSystemState();
    assertTrue(
        ((List<?>) state.get(0)).contains(List.of("/it/pose", List.of("/it_node"))),
        state.toString());
    assertTrue(
        ((List<?>) state.get(2)).contains(List.of("/it/trigger", List.of("/it_node"))),
        state.toString());
    assertTrue(m.lookupService("/it/trigger").startsWith("rosrpc://127.0.0.1:"));

    String api = "http://127.0.0.1:1/";
    assertEquals(List.of(), m.registerPublisher("/it/probe", "std_msgs/Empty", api));
    assertTrue(m.getPublishedTopics("").contains(List.of("/it/probe", "std_msgs/Empty")));
    m.unregisterPublisher("/it/probe", api);
    assertFalse(m.getPublishedTopics("").contains(List.of("/it/probe", "std_msgs/Empty")));
    assertEquals(List.of(), m.registerSubscriber("/it/probe_sub", "std_msgs/Empty", api));
    m.unregisterSubscriber("/it/probe_sub", api);
    m.registerService("/it/probe_srv", "rosrpc://127.0.0.1:1", api);
    assertEquals("rosrpc://127.0.0.1:1", m.lookupService("/it/probe_srv"));
    m.unregisterService("/it/probe_srv", "rosrpc://127.0.0.1:1");

    m.setParam("/it/ns/a", 1);
    m.setParam("/it/ns/b", List.of("x", 2.5, true));
    assertEquals(Map.of("a", 1, "b", List.of("x", 2.5, true)), m.getParam("/it/ns"));
    assertTrue(m.hasParam("/it/ns/a"));
    assertTrue(m.getParamNames().contains("/it/ns/b"));
    assertEquals(
        "/it/ns/a",
        new MasterClient(java.net.URI.create(ros.masterUri), "/it/ns/deep/probe", 2000, 5000)
            .searchParam("a"));
    assertEquals(null, m.searchParam("surely_absent_param"));
    m.deleteParam("/it/ns");
    assertFalse(m.hasParam("/it/ns/a"));
    e =
        org.junit.jupiter.api.Assertions.assertThrows(
            RosException.class, () -> m.getParam("/it/ns/a"));
    assertTrue(
        e.getMessage().contains("getParam(/it/ns/a)") && e.getMessage().contains("code -1"),
        e.getMessage());
  }

  @Test
  @Order(3)
  void rospySubscriberReceivesOurTwist() throws Exception {
    Path script =
        ros.script(
            "sub.py",
            """
                import rospy, sys
                from geometry_msgs.msg import TwistStamped
                rospy.init_node('py_sub', anonymous=True)
                m = rospy.wait_for_message('/it/twist', TwistStamped, timeout=15)
                print('GOT', m.header.frame_id, m.twist.linear.x, m.twist.linear.y, m.twist.linear.z, m.twist.angular.z)
                """);
    RosTools.Result r = run("/usr/bin/python3", script.toString());
    assertEquals(0, r.exitCode(), r.output());
    assertTrue(r.output().contains("GOT base_link 0.5 0.25 -0.125 0.75"), r.output());
  }

  @Test
  @Order(4)
  void ourSubscriberReceivesFromRospy() throws Exception {
    BlockingQueue<double[]> got = new ArrayBlockingQueue<>(100);
    BlockingQueue<String> frames = new ArrayBlockingQueue<>(100);
    BlockingQueue<String> joints = new ArrayBlockingQueue<>(100);
    // 'remapped' is remapped to /it/remapped_target by the node's arguments.
    Subscriber<PointStamped> sub =
        node.subscribe(
            "remapped",
            PointStamped.TYPE,
            m -> {
              got.offer(new double[] {m.point.x, m.point.y, m.point.z, m.header.seq});
              frames.offer(m.header.frameId());
            });
    Subscriber<JointState> js =
        node.subscribe(
            "/it/joints",
            JointState.TYPE,
            m ->
                joints.offer(
                    String.join(",", m.names()) + "|" + m.position[1] + "|" + m.velocity.length));
    try {
      Path script =
          ros.script(
              "pub.py",
              """
                    import rospy
                    from geometry_msgs.msg import PointStamped
                    from sensor_msgs.msg import JointState
                    rospy.init_node('py_pub', anonymous=True)
                    pub = rospy.Publisher('/it/remapped_target', PointStamped, queue_size=10)
                    jpub = rospy.Publisher('/it/joints', JointState, queue_size=10)
                    r = rospy.Rate(20)
                    end = rospy.get_time() + 15
                    while not rospy.is_shutdown() and rospy.get_time() < end:
                        m = PointStamped()
                        m.header.frame_id = 'odom'
                        m.point.x, m.point.y, m.point.z = 4.5, -0.25, 1e-3
                        pub.publish(m)
                        jpub.publish(JointState(name=['j1', 'j2'], position=[0.1, -0.2], velocity=[], effort=[]))
                        r.sleep()
                    """);
      Process p =
          ros.start(List.of("/usr/bin/python3", script.toString()), ros.home.resolve("pub.log"));
      try {
        double[] v = got.poll(20, TimeUnit.SECONDS);
        assertNotNull(v, "no PointStamped from rospy within 20 s");
        assertEquals(4.5, v[0]);
        assertEquals(-0.25, v[1]);
        assertEquals(1e-3, v[2]);
        assertEquals("odom", frames.poll(1, TimeUnit.SECONDS));
        assertEquals("j1,j2|-0.2|0", joints.poll(10, TimeUnit.SECONDS));
        assertEquals(1, sub.numPublishers());
        assertEquals("/it/remapped_target", sub.topic());
      } finally {
        RosTools.kill(p);
      }
    } finally {
      sub.close();
      js.close();
    }
  }

  @Test
  @Order(5)
  void rosserviceCallsOurTrigger() {
    RosTools.Result r = run("rosservice", "call", "/it/trigger");
    assertEquals(0, r.exitCode(), r.output());
    assertTrue(r.output().contains("success: True"), r.output());
    assertTrue(r.output().matches("(?s).*message: \"triggered \\d+\".*"), r.output());
    RosTools.Result type = run("rosservice", "type", "/it/trigger");
    assertEquals("std_srvs/Trigger", type.output().strip(), type.output());
  }

  @Test
  @Order(5)
  void ourServiceClientCallsRospyAndOurselves() throws Exception {
    Path script =
        ros.script(
            "srv.py",
            """
                import rospy
                from std_srvs.srv import Trigger, TriggerResponse
                rospy.init_node('py_srv', anonymous=True)
                rospy.Service('/py/trigger', Trigger, lambda req: TriggerResponse(True, 'from rospy'))
                print('READY', flush=True)
                rospy.sleep(30)
                """);
    Process p =
        ros.start(List.of("/usr/bin/python3", script.toString()), ros.home.resolve("srv.log"));
    try {
      ServiceClient<Trigger.Request, Trigger.Response> py =
          node.serviceClient("/py/trigger", Trigger.TYPE);
      Trigger.Response res = new Trigger.Response();
      RosTools.waitFor(
          "rospy service",
          20_000,
          () -> {
            try {
              py.call(new Trigger.Request(), res, 2000);
              return true;
            } catch (RosException e) {
              return false;
            }
          });
      assertTrue(res.success);
      assertEquals("from rospy", res.message());
      node.serviceClient("/it/trigger", Trigger.TYPE).call(new Trigger.Request(), res, 2000);
      assertTrue(res.message().startsWith("triggered "), res.message());
      try (ServiceClient<Trigger.Request, Trigger.Response> pyPersistent =
              node.serviceClient("/py/trigger", Trigger.TYPE, true);
          ServiceClient<Trigger.Request, Trigger.Response> ours =
              node.serviceClient("/it/trigger", Trigger.TYPE, true)) {
        for (int i = 0; i < 3; i++) {
          pyPersistent.call(new Trigger.Request(), res, 2000);
          assertEquals("from rospy", res.message());
          int before = triggerCalls.get();
          ours.call(new Trigger.Request(), res, 2000);
          assertEquals("triggered " + (before + 1), res.message());
        }
      }
      RosException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              RosException.class,
              () ->
                  node.serviceClient("/absent", Trigger.TYPE)
                      .call(new Trigger.Request(), res, 2000));
      assertTrue(e.getMessage().contains("lookupService(/absent)"), e.getMessage());
    } finally {
      RosTools.kill(p);
    }
  }

  @Test
  @Order(6)
  void logsReachRosoutAggregator() throws Exception {
    Path script =
        ros.script(
            "log.py",
            """
                import rospy, threading
                from rosgraph_msgs.msg import Log
                rospy.init_node('py_log', anonymous=True)
                ev = threading.Event()
                def cb(m):
                    if m.name == '/it_node' and 'hello rosout' in m.msg:
                        print('LOG', m.level, m.msg, m.function, flush=True)
                        ev.set()
                rospy.Subscriber('/rosout_agg', Log, cb)
                ev.wait(20)
                """);
    Process p =
        ros.start(List.of("/usr/bin/python3", script.toString()), ros.home.resolve("log.out"));
    try {
      for (int i = 0; i < 200 && p.isAlive(); i++) {
        node.log().warn("hello rosout " + i);
        Thread.sleep(100);
      }
      assertTrue(p.waitFor(5, TimeUnit.SECONDS));
      String out = java.nio.file.Files.readString(ros.home.resolve("log.out"));
      assertTrue(out.matches("(?s).*LOG 4 hello rosout \\d+ logsReachRosoutAggregator.*"), out);
    } finally {
      RosTools.kill(p);
    }
  }

  @Test
  @Order(6)
  void parametersFromRosparamAndSubscriptions() throws Exception {
    assertEquals(1.5, node.params().get("~gain"), "private param from _gain:=1.5");
    assertEquals("1.5", run("rosparam", "get", "/it_node/gain").output().strip());
    assertEquals(0, run("rosparam", "set", "/it/rate", "250").exitCode());
    assertEquals(250, node.params().get("/it/rate"));
    assertEquals(7.0, node.params().getDouble("/it/absent", 7.0));
    assertFalse(node.params().has("/it/absent"));

    BlockingQueue<Object> updates = new ArrayBlockingQueue<>(10);
    Object current =
        node.params().subscribe("/it/goal_tolerance", (k, v) -> updates.offer(k + "=" + v));
    assertEquals(null, current);
    assertEquals(0, run("rosparam", "set", "/it/goal_tolerance", "0.01").exitCode());
    assertEquals("/it/goal_tolerance=0.01", updates.poll(10, TimeUnit.SECONDS));
    node.params().set("~written", "by java");
    assertEquals("by java", run("rosparam", "get", "/it_node/written").output().strip());
  }

  @Test
  @Order(7)
  void simulatedTimeFromClockWhenUseSimTimeIsSet() throws Exception {
    assertEquals(0, run("rosparam", "set", "/use_sim_time", "true").exitCode());
    Path script =
        ros.script(
            "clock.py",
            """
                import rospy
                from rosgraph_msgs.msg import Clock
                rospy.init_node('py_clock', anonymous=True)
                pub = rospy.Publisher('/clock', Clock, queue_size=1)
                import time
                end = time.time() + 20
                while time.time() < end:
                    pub.publish(Clock(rospy.Time(1234, 500000000)))
                    time.sleep(0.05)
                """);
    Process p =
        ros.start(List.of("/usr/bin/python3", script.toString()), ros.home.resolve("clock.log"));
    RosNode sim =
        RosNode.create(
            NodeConfig.fromArgs("sim_node", List.of(), Map.of("ROS_MASTER_URI", ros.masterUri)));
    try {
      sim.start();
      assertTrue(sim.clock() instanceof SimulatedClock, sim.clock().toString());
      RosTools.waitFor("/clock time", 20_000, () -> sim.clock().nowNanos() == 1_234_500_000_000L);
    } finally {
      sim.shutdown();
      RosTools.kill(p);
      run("rosparam", "delete", "/use_sim_time");
    }
    assertTrue(node.clock().nowNanos() > 1_600_000_000_000_000_000L, "wall-clock node unaffected");
    RosTools.Result nodes = run("rosnode", "list");
    assertFalse(
        nodes.output().contains("/sim_node"),
        "programmatic shutdown unregisters: " + nodes.output());
    assertTrue(nodes.output().contains("/it_node"), nodes.output());
  }

  @Test
  @Order(7)
  void rosbagRecordsOurTopic() {
    RosTools.Result rec = run("rosbag", "record", "-O", "twist.bag", "--duration=2", "/it/twist");
    assertEquals(0, rec.exitCode(), rec.output());
    RosTools.Result info = run("rosbag", "info", "twist.bag");
    assertEquals(0, info.exitCode(), info.output());
    assertTrue(info.output().contains("geometry_msgs/TwistStamped"), info.output());
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("/it/twist\\s+(\\d+) msgs").matcher(info.output());
    assertTrue(m.find(), info.output());
    assertTrue(Integer.parseInt(m.group(1)) >= 5, info.output());
  }

  @Test
  @Order(8)
  void sigtermRunsTheShutdownHookWhichUnregisters() throws Exception {
    String javaBin =
        java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path out = ros.home.resolve("demo.out");
    // INFO level in the child: its "shut down" line is the evidence that the hook ran
    // (the test resources set WARN to keep the build log quiet).
    Process p =
        ros.start(
            List.of(
                javaBin,
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                "-cp",
                System.getProperty("java.class.path"),
                DemoNodeMain.class.getName(),
                "__name:=demo_node"),
            out);
    try {
      RosTools.waitFor(
          "demo node registered",
          20_000,
          () -> run("rosnode", "list").output().contains("/demo_node"));
      RosTools.waitFor(
          "demo node started",
          20_000,
          () -> {
            try {
              return java.nio.file.Files.readString(out).contains("READY");
            } catch (java.io.IOException e) {
              return false;
            }
          });
      p.destroy(); // SIGTERM
      assertTrue(p.waitFor(15, TimeUnit.SECONDS), "demo JVM did not exit on SIGTERM");
      String log = java.nio.file.Files.readString(out);
      assertTrue(log.contains("shut down"), log);
      RosTools.Result r = run("rosnode", "list");
      assertFalse(r.output().contains("/demo_node"), r.output());
      assertFalse(run("rostopic", "list").output().contains("/demo/point"));
    } finally {
      RosTools.kill(p);
    }
  }

  @Test
  @Order(9)
  void masterRestartTriggersReregistration() throws Exception {
    ros.stopRoscore();
    RosTools.waitFor("node to notice the lost master", 10_000, () -> !node.isMasterReachable());
    ros.startRoscore(30_000);
    RosTools.waitFor(
        "node to re-register /it/pose",
        20_000,
        () -> run("rostopic", "info", "/it/pose").output().contains("/it_node"));
    RosTools.Result r = run("rostopic", "echo", "-n", "1", "/it/pose");
    assertEquals(0, r.exitCode(), r.output());
    assertTrue(r.output().contains("x: 1.25"), r.output());
    RosTools.Result s = run("rosservice", "call", "/it/trigger");
    assertTrue(s.output().contains("success: True"), s.output());
    assertEquals(
        "1.5",
        run("rosparam", "get", "/it_node/gain").output().strip(),
        "command-line private parameter set again on the new master");
  }

  @Test
  @Order(10)
  void shutdownUnregistersTheNode() {
    assertTrue(run("rosnode", "list").output().contains("/it_node"));
    looping = false;
    // rosnode kill calls the slave API 'shutdown', which runs the same shutdown as node.shutdown().
    RosTools.Result kill = run("rosnode", "kill", "/it_node");
    assertTrue(kill.output().contains("killed"), kill.output());
    node.shutdown(); // idempotent; also waits for the shutdown started by rosnode kill
    RosTools.Result r = run("rosnode", "list");
    assertFalse(r.output().contains("/it_node"), r.output());
    assertFalse(run("rostopic", "list").output().contains("/it/pose"));
  }
}
