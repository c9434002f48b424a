package org.diffeomotion.ros1.internal;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.diffeomotion.ros1.msg.PoseStamped;
import org.diffeomotion.ros1.msg.TwistStamped;

/**
 * Round trip state (PoseStamped) → node → cmd_vel (TwistStamped) over loopback TCPROS, one message
 * in flight: the transport part of the ROS start→command latency. Not a test; run with {@code java
 * -cp <test classpath> org.diffeomotion.ros1.internal.HotPathLatencyBenchmark [n]}. Prints
 * p50/p99/p99.9/max [µs].
 */
public final class HotPathLatencyBenchmark {

  private HotPathLatencyBenchmark() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
    int warmup = 20_000;
    InetAddress lo = InetAddress.getLoopbackAddress();
    TopicPublisher<PoseStamped> statePub =
        new TopicPublisher<>("/state", PoseStamped.TYPE, false, 4, "/driver", () -> {});
    TopicPublisher<TwistStamped> cmdPub =
        new TopicPublisher<>("/cmd_vel", TwistStamped.TYPE, false, 4, "/node", () -> {});
    TcprosServer driverTcp = new TcprosServer(lo, 2000, 8, t -> statePub, s -> null);
    TcprosServer nodeTcp = new TcprosServer(lo, 2000, 8, t -> cmdPub, s -> null);
    driverTcp.start();
    nodeTcp.start();
    XmlRpcServer driverSlave =
        new XmlRpcServer(
            lo,
            0,
            (m, p) -> List.of(1, "", List.of("TCPROS", "127.0.0.1", driverTcp.port())),
            2000,
            "driver");
    XmlRpcServer nodeSlave =
        new XmlRpcServer(
            lo,
            0,
            (m, p) -> List.of(1, "", List.of("TCPROS", "127.0.0.1", nodeTcp.port())),
            2000,
            "node");
    driverSlave.start();
    nodeSlave.start();
    TwistStamped cmd = new TwistStamped();
    TopicSubscriber<PoseStamped> node =
        new TopicSubscriber<>(
            "/state",
            PoseStamped.TYPE,
            s -> {
              cmd.header.seq = s.header.seq;
              cmd.twist.linear.set(-s.pose.position.x, -s.pose.position.y, 0);
              cmdPub.publish(cmd);
            },
            "/node",
            1 << 20,
            2000,
            () -> {});
    AtomicLong echoed = new AtomicLong(-1);
    TopicSubscriber<TwistStamped> driver =
        new TopicSubscriber<>(
            "/cmd_vel",
            TwistStamped.TYPE,
            c -> echoed.set(c.header.seq),
            "/driver",
            1 << 20,
            2000,
            () -> {});
    node.updatePublishers(List.of("http://127.0.0.1:" + driverSlave.port() + "/"));
    driver.updatePublishers(List.of("http://127.0.0.1:" + nodeSlave.port() + "/"));
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while ((statePub.numSubscribers() == 0 || cmdPub.numSubscribers() == 0)
        && System.nanoTime() < until) {
      Thread.sleep(10);
    }
    Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(1), 3);
    PoseStamped state = new PoseStamped();
    state.header.frameId("map");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    for (int i = 0; i < warmup + n; i++) {
      state.header.seq = i;
      state.pose.position.set(i, 1, 0);
      long t0 = System.nanoTime();
      statePub.publish(state);
      while (echoed.get() != i) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("stalled at " + i);
        }
        // Yield rather than spin: the node's reader and writer threads need the cores.
        Thread.yield();
      }
      if (i >= warmup) {
        h.recordValue(Math.min(System.nanoTime() - t0, h.getHighestTrackableValue()));
      }
    }
    System.out.printf(
        "state->cmd_vel loopback round trip, %d msgs: p50 %.1f us, p99 %.1f us, p99.9 %.1f us, max %.1f us%n",
        n,
        h.getValueAtPercentile(50) / 1e3,
        h.getValueAtPercentile(99) / 1e3,
        h.getValueAtPercentile(99.9) / 1e3,
        h.getMaxValue() / 1e3);
    node.closeConnections();
    driver.closeConnections();
    statePub.closeConnections();
    cmdPub.closeConnections();
    driverTcp.stop(1000);
    nodeTcp.stop(1000);
    driverSlave.stop(1000);
    nodeSlave.stop(1000);
  }
}
