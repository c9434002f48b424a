package org.diffeomotion.rosnode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.diffeomotion.model.ModelArtifacts;
import org.diffeomotion.model.testing.ModelFactory;
import org.diffeomotion.model.testing.ModelSpec;
import org.diffeomotion.ros1.Clock;
import org.diffeomotion.ros1.NodeConfig;
import org.diffeomotion.ros1.Publisher;
import org.diffeomotion.ros1.RosNode;
import org.diffeomotion.ros1.RosTools;
import org.diffeomotion.ros1.msg.PoseStamped;
import org.diffeomotion.ros1.msg.TwistStamped;

/**
 * The motion node as deployed — the {@code nodes/motion_generator} executable in its own JVM, a
 * real roscore on a free port — driven by a client node in this JVM over loopback TCPROS:
 *
 * <ol>
 *   <li>start → plan: a PoseStamped start, a 1000-point nav_msgs/Path back (reference model d=2, 8
 *       blocks x 64); one start in flight; latency from publish to the plan's full receipt;
 *   <li>a 1 kHz stream of states → cmd_vel: per-message latency (publish → receipt of the command
 *       carrying the same seq), jitter of the command inter-arrival times against the 1 ms period,
 *       messages lost;
 *   <li>start → plan again for a second node started with {@code _precision:=float} (same model,
 *       same starts), measured right after the double one, and the float/double ratios of p50, p99
 *       and max.
 * </ol>
 *
 * Times are {@link System#nanoTime()} of this JVM at both ends (the node copies the seq), so the
 * two JVMs' clocks never meet. Not a test; run {@code scripts/bench-motion-node.sh [seconds]}.
 * Prints p50/p99/p99.9/max.
 */
public final class MotionNodeBenchmark {

  private MotionNodeBenchmark() {}

  public static void main(String[] args) throws Exception {
    double streamSeconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
    int plans = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    Path root = Path.of(args.length > 2 ? args[2] : ".").toAbsolutePath().normalize();
    try (RosTools ros = new RosTools()) {
      ros.extraEnv.put("JAVA_HOME", System.getProperty("java.home"));
      ros.extraEnv.put("DIFFEO_MOTION_BUILD", "0");
      ros.startRoscore(30_000);
      Path model = ros.home.resolve("reference.dmm");
      ModelArtifacts.write(
          ModelFactory.random(new ModelSpec().frameId("map").name("reference"), 1), model);
      Path log = ros.home.resolve("node.log");
      Process node =
          ros.start(
              List.of(
                  root.resolve("nodes/motion_generator").toString(),
                  "__name:=bench_motion",
                  "_model:=" + model,
                  "_points:=1000"),
              log);
      Path floatLog = ros.home.resolve("node-float.log");
      Process floatNode =
          ros.start(
              List.of(
                  root.resolve("nodes/motion_generator").toString(),
                  "__name:=bench_motion_float",
                  "_model:=" + model,
                  "_points:=1000",
                  "_precision:=float"),
              floatLog);
      RosNode driver =
          RosNode.create(
              NodeConfig.fromArgs(
                  "bench_driver",
                  List.of(),
                  Map.of("ROS_MASTER_URI", ros.masterUri, "ROS_IP", "127.0.0.1")),
              Clock.wall(),
              false);
      try {
        driver.start();
        for (String name : List.of("bench_motion", "bench_motion_float")) {
          RosTools.waitFor(
              name + " up",
              60_000,
              () ->
                  ros.run(20_000, "rostopic", "info", "/" + name + "/plan")
                      .output()
                      .contains(" * /" + name + " ("));
        }
        System.out.printf(
            "motion node benchmark: reference model (d=2, 8 blocks x 64), load average %.1f, %d cores%n",
            java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                .getSystemLoadAverage(),
            Runtime.getRuntime().availableProcessors());
        Histogram d = startToPlan(driver, "bench_motion", "double", plans);
        stream(driver, streamSeconds);
        Histogram f = startToPlan(driver, "bench_motion_float", "float", plans);
        System.out.printf(
            "start -> plan float/double: p50 %.2f, p99 %.2f, max %.2f%n",
            f.getValueAtPercentile(50) / (double) d.getValueAtPercentile(50),
            f.getValueAtPercentile(99) / (double) d.getValueAtPercentile(99),
            f.getMaxValue() / (double) d.getMaxValue());
      } finally {
        driver.shutdown();
        RosTools.kill(node);
        RosTools.kill(floatNode);
      }
      for (Path p : List.of(log, floatLog)) {
        String nodeLog = Files.readString(p);
        if (nodeLog.contains("ERROR")) {
          System.out.println(p.getFileName() + " has errors:\n" + nodeLog);
        }
      }
    }
  }

  private static Histogram startToPlan(RosNode driver, String name, String precision, int count)
      throws Exception {
    int warmup = 50;
    AtomicLongArray sent = new AtomicLongArray(warmup + count);
    AtomicLong received = new AtomicLong(-1);
    Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
    AtomicLong size = new AtomicLong();
    driver.subscribe(
        "/" + name + "/plan",
        org.diffeomotion.ros1.msg.Path.TYPE,
        p -> {
          int seq = p.header.seq;
          if (seq >= 0 && seq < sent.length() && sent.get(seq) != 0) {
            long dt = System.nanoTime() - sent.get(seq);
            if (seq >= warmup) {
              h.recordValue(Math.min(dt, h.getHighestTrackableValue()));
            }
            size.set(p.size());
            received.set(seq);
          }
        });
    Publisher<PoseStamped> start =
        driver.advertise("/" + name + "/start", PoseStamped.TYPE, false, 10);
    waitConnected("start", () -> start.numSubscribers() > 0);
    Thread.sleep(500); // the plan subscription connects too
    PoseStamped s = new PoseStamped();
    s.header.frameId("map");
    s.pose.orientation.w = 1;
    for (int i = 0; i < sent.length(); i++) {
      s.header.seq = i;
      s.pose.position.set(1 + 0.001 * i, -0.5, 0);
      sent.set(i, System.nanoTime());
      start.publish(s);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (received.get() != i && System.nanoTime() < deadline) {
        LockSupport.parkNanos(20_000);
      }
      if (received.get() != i) {
        throw new IllegalStateException("no plan for start " + i + " within 5 s");
      }
      Thread.sleep(10);
    }
    System.out.printf(
        "start -> %d-point plan, %s (publish to receipt), %d starts: p50 %.2f ms, p99 %.2f ms, "
            + "p99.9 %.2f ms, max %.2f ms%n",
        size.get(),
        precision,
        count,
        h.getValueAtPercentile(50) / 1e6,
        h.getValueAtPercentile(99) / 1e6,
        h.getValueAtPercentile(99.9) / 1e6,
        h.getMaxValue() / 1e6);
    return h;
  }

  private static void stream(RosNode driver, double seconds) throws Exception {
    long period = 1_000_000; // 1 kHz [ns]
    int warmup = 2000;
    int n = warmup + (int) (seconds * 1000);
    AtomicLongArray sent = new AtomicLongArray(n);
    Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
    Histogram jitter = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
    AtomicLong received = new AtomicLong();
    AtomicLong lastSeq = new AtomicLong(-1);
    long[] lastArrival = {0};
    driver.subscribe(
        "/bench_motion/cmd_vel",
        TwistStamped.TYPE,
        c -> {
          long now = System.nanoTime();
          int seq = c.header.seq;
          if (seq < 0 || seq >= n || sent.get(seq) == 0) {
            return;
          }
          if (seq >= warmup) {
            latency.recordValue(Math.min(now - sent.get(seq), latency.getHighestTrackableValue()));
            if (lastSeq.get() == seq - 1) {
              jitter.recordValue(
                  Math.min(
                      Math.abs(now - lastArrival[0] - period), jitter.getHighestTrackableValue()));
            }
            received.incrementAndGet();
          }
          lastArrival[0] = now;
          lastSeq.set(seq);
        });
    Publisher<PoseStamped> state =
        driver.advertise("/bench_motion/state", PoseStamped.TYPE, false, 1000);
    waitConnected("state", () -> state.numSubscribers() > 0);
    Thread.sleep(500);
    PoseStamped s = new PoseStamped();
    s.header.frameId("map");
    Histogram lateness = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
    long t0 = System.nanoTime() + period;
    for (int i = 0; i < n; i++) {
      long due = t0 + i * period;
      long now;
      while ((now = System.nanoTime()) < due) {
        LockSupport.parkNanos(Math.max(1000, due - now - 60_000));
      }
      s.header.seq = i;
      s.pose.position.set(Math.cos(i * 1e-3), Math.sin(i * 1e-3), 0);
      long t = System.nanoTime();
      sent.set(i, t);
      state.publish(s);
      if (i >= warmup) {
        lateness.recordValue(Math.min(t - due, lateness.getHighestTrackableValue()));
      }
    }
    Thread.sleep(1000);
    long measured = n - warmup;
    System.out.printf(
        "1 kHz state -> cmd_vel, %d msgs: latency p50 %.1f us, p99 %.1f us, p99.9 %.1f us, max %.1f us; "
            + "inter-arrival jitter |dt - 1 ms| p50 %.1f us, p99 %.1f us, max %.1f us; lost %d%n",
        measured,
        latency.getValueAtPercentile(50) / 1e3,
        latency.getValueAtPercentile(99) / 1e3,
        latency.getValueAtPercentile(99.9) / 1e3,
        latency.getMaxValue() / 1e3,
        jitter.getValueAtPercentile(50) / 1e3,
        jitter.getValueAtPercentile(99) / 1e3,
        jitter.getMaxValue() / 1e3,
        measured - received.get());
    System.out.printf(
        "  (the driver's own send lateness: p50 %.1f us, p99 %.1f us, max %.1f us)%n",
        lateness.getValueAtPercentile(50) / 1e3,
        lateness.getValueAtPercentile(99) / 1e3,
        lateness.getMaxValue() / 1e3);
  }

  private static void waitConnected(String what, java.util.function.BooleanSupplier ok)
      throws InterruptedException {
    RosTools.waitFor(what + " connection", 20_000, ok);
  }
}
