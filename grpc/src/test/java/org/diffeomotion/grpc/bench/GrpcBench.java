package org.diffeomotion.grpc.bench;

import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.diffeomotion.grpc.ModelRegistry;
import org.diffeomotion.grpc.MotionGrpcServer;
import org.diffeomotion.model.ModelArtifacts;
import org.diffeomotion.model.MotionModel;
import org.diffeomotion.model.Precision;
import org.diffeomotion.model.Rollout;
import org.diffeomotion.model.testing.ModelFactory;
import org.diffeomotion.model.testing.ModelSpec;
import org.diffeomotion.proto.motion.v1.MotionServiceGrpc;
import org.diffeomotion.proto.motion.v1.RolloutRequest;
import org.diffeomotion.proto.motion.v1.Setpoint;
import org.diffeomotion.proto.motion.v1.StreamSetpointsRequest;
import org.diffeomotion.proto.motion.v1.TimeGrid;
import org.diffeomotion.proto.motion.v1.UniformCount;

/**
 * gRPC serving benchmark, everything in one run so that ratios compare like with like on a noisy
 * machine (DESIGN.md section 5, "Serving"):
 *
 * <ol>
 *   <li>the model alone: a 1000-point rollout of the reference model on one thread;
 *   <li>unary Rollout (same request) in-process and over Netty on 127.0.0.1, with 1, 4 and 16
 *       concurrent closed-loop clients: p50/p99/p99.9/max latency, throughput, errors, CPU of the
 *       server's call threads per request, CPU of the whole process per request, and bytes
 *       allocated by the server's call threads per request;
 *   <li>StreamSetpoints at 1 kHz in-process and over Netty: inter-arrival times, their deviation
 *       from 1 ms (jitter), and lateness of each setpoint against its schedule.
 * </ol>
 *
 * Client and server share the machine (and, on loopback, the CPU): the in-process numbers show what
 * the service costs without serialization and HTTP/2, the difference is the transport's share.
 * Closed-loop clients under-report queueing (coordinated omission); the stream's
 * lateness-vs-schedule does not have that problem.
 *
 * <p>The third argument is the served precision ({@code double}, the default, or {@code float}: the
 * registry is opened in it, as {@code --precision float} does, and the model-alone row uses it
 * too). {@code scripts/bench-grpc.sh} runs this once per precision, each in its own JVM as each is
 * deployed (one precision per server process): in one JVM, double requests served after float ones
 * once ran ~15x slower, allocating ~226 MB per request (boxed vectors, before the double vector
 * tanh stopped returning a vector from a helper), which measures the JIT, not the kernels. With
 * {@code -Dbench.summary=FILE} each latency row is also written to FILE as {@code
 * label|clients|p50|p99|max} [us], from which the script prints the float/double ratios.
 *
 * <p>Run with {@code scripts/bench-grpc.sh [seconds-per-measurement] [stream-seconds]}.
 */
public final class GrpcBench {
  private static final int POINTS = 1000;
  private static final double DURATION = 5.0;
  private static final double[] START = {1.5, -0.5};

  /** Rows for the float/double ratios (-Dbench.summary), or null. */
  private static java.io.PrintWriter summary;

  private GrpcBench() {}

  private static void summarize(String label, int clients, Histogram h) {
    if (summary != null) {
      summary.printf(
          Locale.ROOT,
          "%s|%d|%.1f|%.1f|%.1f%n",
          label,
          clients,
          h.getValueAtPercentile(50) / 1e3,
          h.getValueAtPercentile(99) / 1e3,
          h.getMaxValue() / 1e3);
      summary.flush();
    }
  }

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3.0;
    double streamSeconds = args.length > 1 ? Double.parseDouble(args[1]) : 5.0;
    Precision precision = Precision.named(args.length > 2 ? args[2] : "double");
    String summaryFile = System.getProperty("bench.summary");
    if (summaryFile != null) {
      summary = new java.io.PrintWriter(Files.newBufferedWriter(Path.of(summaryFile)));
    }
    Path dir = Files.createTempDirectory("grpc-bench");
    MotionModel model =
        ModelFactory.random(new ModelSpec().name("ref").stateDim(2).blocks(8).hidden(64), 42);
    ModelArtifacts.write(model, dir.resolve("ref.dmm"));
    ModelRegistry registry = ModelRegistry.open(dir, precision);
    registry.loadAll();
    System.out.printf(
        Locale.ROOT,
        "reference model d=2, a=0, 8 blocks, hidden 64; Rollout of "
            + "%d points (uniform_count over %.0f s); JVM %s, %d CPUs; %.1f s per measurement "
            + "after %.1f s warm-up; precision %s%n%n",
        POINTS,
        DURATION,
        Runtime.version(),
        Runtime.getRuntime().availableProcessors(),
        seconds,
        Math.min(seconds, 2.0),
        precision.label());

    System.out.println("== model alone (one thread, no gRPC)");
    Rollout r = new Rollout(registry.get("ref").model(), POINTS, precision);
    double[] times = new double[POINTS];
    for (int i = 0; i < POINTS; i++) {
      times[i] = DURATION * i / (POINTS - 1);
    }
    double[] out = new double[2 * POINTS];
    Histogram direct = new Histogram(1, TimeUnit.SECONDS.toNanos(10), 3);
    long end = System.nanoTime() + (long) (Math.min(seconds, 2.0) * 1e9);
    while (System.nanoTime() < end) {
      r.tryRollout(START, times, POINTS, out, null);
    }
    end = System.nanoTime() + (long) (seconds * 1e9);
    long n = 0;
    long t0 = System.nanoTime();
    while (System.nanoTime() < end) {
      long a = System.nanoTime();
      r.tryRollout(START, times, POINTS, out, null);
      direct.recordValue(System.nanoTime() - a);
      n++;
    }
    System.out.printf(
        Locale.ROOT,
        "  %-34s %s  %8.0f /s%n%n",
        "Rollout 1000 points",
        fmt(direct),
        n / ((System.nanoTime() - t0) * 1e-9));
    summarize("model alone", 0, direct);

    MotionGrpcServer netty =
        MotionGrpcServer.builder().models(registry).bind("127.0.0.1").port(0).build();
    MotionGrpcServer inproc =
        MotionGrpcServer.builder().models(registry).inProcess("grpc-bench").build();
    int port = netty.start();
    inproc.start();
    ManagedChannel nettyCh =
        NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    ManagedChannel inprocCh = InProcessChannelBuilder.forName("grpc-bench").build();
    try {
      System.out.println(
          "== unary Rollout, closed-loop clients; latency p50/p99/p99.9/max;"
              + " CPU and allocation per request");
      System.out.println(
          "   server CPU = call threads (service + protobuf); process CPU = "
              + "client + server + transport");
      for (int clients : new int[] {1, 4, 16}) {
        unary("in-process", inprocCh, clients, seconds);
        unary("netty 127.0.0.1", nettyCh, clients, seconds);
      }
      System.out.println();
      System.out.println("== StreamSetpoints at 1 kHz, " + streamSeconds + " s, one stream");
      stream("in-process", inprocCh, streamSeconds);
      stream("netty 127.0.0.1", nettyCh, streamSeconds);
    } finally {
      nettyCh.shutdownNow();
      inprocCh.shutdownNow();
      nettyCh.awaitTermination(5, TimeUnit.SECONDS);
      inprocCh.awaitTermination(5, TimeUnit.SECONDS);
      netty.close();
      inproc.close();
      for (Path p : List.of(dir.resolve("ref.dmm"), dir)) {
        Files.deleteIfExists(p);
      }
      if (summary != null) {
        summary.close();
      }
    }
  }

  private static RolloutRequest request() {
    return RolloutRequest.newBuilder()
        .setModel("ref")
        .addStart(START[0])
        .addStart(START[1])
        .setTimes(
            TimeGrid.newBuilder()
                .setUniformCount(UniformCount.newBuilder().setCount(POINTS).setDuration(DURATION)))
        .build();
  }

  private static void unary(String label, ManagedChannel ch, int clients, double seconds)
      throws Exception {
    RolloutRequest req = request();
    AtomicBoolean measuring = new AtomicBoolean();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong errors = new AtomicLong();
    AtomicLong count = new AtomicLong();
    Histogram[] hs = new Histogram[clients];
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      Histogram h = new Histogram(1, TimeUnit.SECONDS.toNanos(10), 3);
      hs[c] = h;
      Thread t =
          new Thread(
              () -> {
                var stub = MotionServiceGrpc.newBlockingStub(ch);
                while (!stop.get()) {
                  long a = System.nanoTime();
                  try {
                    stub.withDeadlineAfter(5, TimeUnit.SECONDS).rollout(req);
                    if (measuring.get()) {
                      h.recordValue(System.nanoTime() - a);
                      count.incrementAndGet();
                    }
                  } catch (RuntimeException e) {
                    errors.incrementAndGet();
                  }
                }
              },
              "bench-client-" + c);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    Thread.sleep((long) (Math.min(seconds, 2.0) * 1000));
    long cpu0 = serverCallCpu();
    long alloc0 = serverCallAllocated();
    long proc0 = processCpu();
    long t0 = System.nanoTime();
    measuring.set(true);
    Thread.sleep((long) (seconds * 1000));
    measuring.set(false);
    long t1 = System.nanoTime();
    long cpu1 = serverCallCpu();
    long alloc1 = serverCallAllocated();
    long proc1 = processCpu();
    stop.set(true);
    for (Thread t : threads) {
      t.join(10_000);
    }
    Histogram all = new Histogram(1, TimeUnit.SECONDS.toNanos(10), 3);
    for (Histogram h : hs) {
      all.add(h);
    }
    long reqs = Math.max(1, count.get());
    System.out.printf(
        Locale.ROOT,
        "  %-16s c=%-2d %s  %7.0f req/s  err %d  server CPU %5.0f us"
            + "  process CPU %5.0f us  server alloc %6.1f KB /req%n",
        label,
        clients,
        fmt(all),
        count.get() / ((t1 - t0) * 1e-9),
        errors.get(),
        (cpu1 - cpu0) / 1e3 / reqs,
        (proc1 - proc0) / 1e3 / reqs,
        (alloc1 - alloc0) / 1024.0 / reqs);
    summarize(label, clients, all);
  }

  private static void stream(String label, ManagedChannel ch, double seconds) throws Exception {
    int total = (int) Math.floor(seconds * 1000) + 1;
    long[] arrival = new long[total];
    long[] index = new long[total];
    int[] received = {0};
    long[] skipped = {0};
    CountDownLatch done = new CountDownLatch(1);
    AtomicLong errors = new AtomicLong();
    MotionServiceGrpc.newStub(ch)
        .withDeadlineAfter((long) (seconds * 1000) + 30_000, TimeUnit.MILLISECONDS)
        .streamSetpoints(
            StreamSetpointsRequest.newBuilder()
                .setModel("ref")
                .addStart(START[0])
                .addStart(START[1])
                .setRateHz(1000)
                .setDuration(seconds)
                .build(),
            new StreamObserver<Setpoint>() {
              @Override
              public void onNext(Setpoint s) {
                long now = System.nanoTime();
                synchronized (arrival) {
                  if (received[0] < total) {
                    arrival[received[0]] = now;
                    index[received[0]] = s.getIndex();
                    received[0]++;
                  }
                  skipped[0] = s.getSkipped();
                }
              }

              @Override
              public void onError(Throwable t) {
                errors.incrementAndGet();
                done.countDown();
              }

              @Override
              public void onCompleted() {
                done.countDown();
              }
            });
    if (!done.await((long) (seconds * 1000) + 30_000, TimeUnit.MILLISECONDS)) {
      System.out.println("  " + label + ": stream did not finish");
      return;
    }
    Histogram inter = new Histogram(1, TimeUnit.SECONDS.toNanos(10), 3);
    Histogram jitter = new Histogram(1, TimeUnit.SECONDS.toNanos(10), 3);
    Histogram late = new Histogram(1, TimeUnit.SECONDS.toNanos(10), 3);
    synchronized (arrival) {
      int m = received[0];
      // Schedule: setpoint i due at first + i ms; lateness against the earliest-possible fit.
      long base = Long.MAX_VALUE;
      for (int i = 0; i < m; i++) {
        base = Math.min(base, arrival[i] - index[i] * 1_000_000L);
      }
      for (int i = 0; i < m; i++) {
        late.recordValue(Math.max(1, arrival[i] - index[i] * 1_000_000L - base));
        if (i > 0) {
          long d = arrival[i] - arrival[i - 1];
          inter.recordValue(Math.max(1, d));
          jitter.recordValue(Math.max(1, Math.abs(d - 1_000_000L)));
        }
      }
      System.out.printf(
          Locale.ROOT,
          "  %-16s received %d/%d, skipped %d, errors %d%n",
          label,
          m,
          total,
          skipped[0],
          errors.get());
    }
    System.out.printf(Locale.ROOT, "  %-16s inter-arrival   %s%n", "", fmt(inter));
    System.out.printf(Locale.ROOT, "  %-16s |jitter| vs 1ms %s%n", "", fmt(jitter));
    System.out.printf(Locale.ROOT, "  %-16s late vs schedule %s%n", "", fmt(late));
  }

  private static String fmt(Histogram h) {
    return String.format(
        Locale.ROOT,
        "p50 %8.1f  p99 %8.1f  p99.9 %8.1f  max %8.1f us",
        h.getValueAtPercentile(50) / 1e3,
        h.getValueAtPercentile(99) / 1e3,
        h.getValueAtPercentile(99.9) / 1e3,
        h.getMaxValue() / 1e3);
  }

  private static long processCpu() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static long[] serverCallThreads() {
    List<Long> ids = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("motion-grpc-")) {
        ids.add(t.getId());
      }
    }
    long[] a = new long[ids.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = ids.get(i);
    }
    return a;
  }

  private static long serverCallCpu() {
    var mx = ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (long id : serverCallThreads()) {
      long c = mx.getThreadCpuTime(id);
      if (c > 0) {
        sum += c;
      }
    }
    return sum;
  }

  private static long serverCallAllocated() {
    var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (long id : serverCallThreads()) {
      long b = mx.getThreadAllocatedBytes(id);
      if (b > 0) {
        sum += b;
      }
    }
    return sum;
  }
}
