package org.diffeomotion.ros1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.diffeomotion.ros1.internal.XmlRpcClient;
import org.diffeomotion.ros1.msg.TwistStamped;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Lifecycle without a master: nothing blocks, the slave API serves, shutdown leaves no threads. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RosNodeLifecycleTest {

  private static boolean nodeThreadsAlive() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(
            t ->
                t.isAlive()
                    && (t.getName().startsWith("ros-master-watchdog")
                        || t.getName().startsWith("tcpros-")
                        || t.getName().startsWith("/lifecycle")));
  }

  @Test
  void startWithoutMasterServesSlaveApiAndShutsDownCleanly() throws Exception {
    int deadPort = RosTools.freePort();
    NodeConfig cfg =
        NodeConfig.fromArgs(
            "lifecycle", List.of(), Map.of("ROS_MASTER_URI", "http://127.0.0.1:" + deadPort + "/"));
    RosNode node = RosNode.create(cfg, Clock.wall(), false);
    assertNull(node.uri(), "constructor opens no server");
    Publisher<TwistStamped> pub = node.advertise("cmd_vel", TwistStamped.TYPE, false, 1);
    assertEquals("/cmd_vel", pub.topic());

    long t0 = System.nanoTime();
    node.start();
    long startMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertTrue(startMs < 5000, "start() with no master took " + startMs + " ms");
    assertFalse(node.isMasterReachable());
    pub.publish(new TwistStamped()); // no subscribers, no master: must not block or throw

    XmlRpcClient slave = new XmlRpcClient(URI.create(node.uri()), 1000, 1000);
    assertEquals(
        List.of(1, "", (int) ProcessHandle.current().pid()), slave.call("getPid", "/test"));
    Object pubs = slave.call("getPublications", "/test");
    assertTrue(
        pubs.toString().contains("/cmd_vel")
            && pubs.toString().contains("geometry_msgs/TwistStamped")
            && pubs.toString().contains("/rosout"),
        pubs.toString());
    Object refused = slave.call("requestTopic", "/test", "/not_ours", List.of(List.of("TCPROS")));
    assertEquals(-1, ((List<?>) refused).get(0), refused.toString());
    Object noProto = slave.call("requestTopic", "/test", "/cmd_vel", List.of(List.of("UDPROS")));
    assertEquals(0, ((List<?>) noProto).get(0), noProto.toString());
    Object tcpros =
        slave.call(
            "requestTopic", "/test", "/cmd_vel", List.of(List.of("UDPROS"), List.of("TCPROS")));
    assertEquals("TCPROS", ((List<?>) ((List<?>) tcpros).get(2)).get(0), tcpros.toString());
    assertThrows(java.io.IOException.class, () -> slave.call("noSuchMethod", "/test"));
    assertEquals(List.of(1, "", cfg.masterUri().toString()), slave.call("getMasterUri", "/test"));
    assertEquals(List.of(1, "", List.of()), slave.call("getSubscriptions", "/test"));
    assertEquals(List.of(1, "", List.of()), slave.call("getBusInfo", "/test"));
    Object stats = slave.call("getBusStats", "/test");
    assertTrue(stats.toString().contains("/cmd_vel"), stats.toString());
    assertEquals(List.of(1, "", 0), slave.call("paramUpdate", "/master", "/x/", 3));
    assertEquals(
        List.of(1, "", 0), slave.call("publisherUpdate", "/master", "/unknown", List.of()));
    assertEquals(
        -1, ((List<?>) slave.call("publisherUpdate", "/master")).get(0), "missing arguments");

    t0 = System.nanoTime();
    node.shutdown();
    long stopMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertTrue(stopMs < 10_000, "shutdown took " + stopMs + " ms");
    node.shutdown(); // idempotent
    RosTools.waitFor("node threads to end", 5000, () -> !nodeThreadsAlive());
    assertThrows(
        java.io.IOException.class, () -> slave.call("getPid", "/test"), "slave server closed");
    assertThrows(
        IllegalStateException.class, () -> node.advertise("x", TwistStamped.TYPE, false, 1));
  }

  @Test
  void badArgumentsFailBeforeAnythingStarts() {
    NodeConfig cfg =
        NodeConfig.fromArgs("n", List.of(), Map.of("ROS_MASTER_URI", "http://127.0.0.1:1/"));
    RosNode node = RosNode.create(cfg, Clock.wall(), false);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> node.advertise("bad topic", TwistStamped.TYPE, false, 1));
    assertTrue(e.getMessage().contains("'bad topic'"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> node.advertise("ok", TwistStamped.TYPE, false, 0));
    assertTrue(e.getMessage().contains("queue size"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> node.params().subscribe("x", (k, v) -> {}));
    assertThrows(RosException.class, () -> node.params().get("~rate", 5), "no master");
    assertEquals(
        5, node.param("~rate", 5), "param(): the fallback when the master does not answer");
    node.shutdown();
  }
}
