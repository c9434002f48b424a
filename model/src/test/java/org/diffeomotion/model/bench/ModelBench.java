package org.diffeomotion.model.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import jdk.incubator.vector.FloatVector;
import org.diffeomotion.model.IntegrationStats;
import org.diffeomotion.model.Integrator;
import org.diffeomotion.model.Integrators;
import org.diffeomotion.model.MotionModel;
import org.diffeomotion.model.Precision;
import org.diffeomotion.model.Rollout;
import org.diffeomotion.model.VelocityField;
import org.diffeomotion.model.testing.ModelFactory;
import org.diffeomotion.model.testing.ModelSpec;

/**
 * Benchmark harness for the model's budgets (DESIGN.md section 5), all measured in one run on one
 * thread so that the ratios compare like with like on a noisy machine:
 *
 * <ol>
 *   <li>tanh kernels: Math.tanh, a rational approximation in plain loops, the Vector API;
 *   <li>1000-point closed-form rollout of the reference model: p50/p99/max and GFLOP/s;
 *   <li>single velocity query: p50/p99/max;
 *   <li>closed form vs RK4 (one step per output interval) and vs Dormand-Prince (rtol = atol =
 *       1e-6, and 1e-9 for a deviation near 1e-6) at the same 1000 output times: time ratio and max
 *       deviation.
 * </ol>
 *
 * Run with {@code scripts/bench-model.sh} (it passes {@code --add-modules jdk.incubator.vector};
 * without that flag only the scalar kernels exist).
 */
public final class ModelBench {
  private static final int POINTS = 1000;
  private static final double HORIZON = 10.0;

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3.0;
    if (args.length > 1 && args[1].equals("--scalar-child")) {
      scalarChild(seconds);
      return;
    }
    if (args.length > 1 && args[1].equals("--float-child")) {
      floatChild(seconds);
      return;
    }
    if (args.length > 4 && args[1].equals("--cold-child")) {
      coldChild(Precision.named(args[2]), Double.parseDouble(args[3]), Double.parseDouble(args[4]));
      return;
    }
    MotionModel model = referenceModel();
    System.out.printf(
        Locale.ROOT,
        "reference model: d=2, a=0, 8 blocks, subnets 1 hidden layer "
            + "of 64, random weights; %d multiply-adds and %d tanh per point per forward pass%n",
        model.multiplyAddsPerPoint(),
        model.tanhPerPoint());
    System.out.println(
        "JVM "
            + Runtime.version()
            + ", "
            + System.getProperty("os.arch")
            + ", vector kernels available: "
            + org.diffeomotion.model.internal.Kernels.vectorAvailable()
            + "; "
            + seconds
            + " s per measurement, one thread");
    System.out.println();
    tanhKernels(seconds);
    fusedNet(seconds);
    double[] times = referenceTimes();
    double[] y0 = {1.2, -0.8};
    // The scalar kernels run in a child JVM: measured in this one they would make the call
    // sites shared by both kernel classes polymorphic and slow the vector path down (seen:
    // 1.5 -> 2.8 ms per rollout), which is not how a deployed JVM runs.
    String[] scalar = forkChild(seconds, "--scalar-child", 2);
    // The float rows too: a deployed node or server runs one precision for its life, and measured
    // beside the double path in one JVM the float rollout ranged 0.37-0.74 ms at p50 from run to
    // run (shared call sites), against 0.43-0.45 ms in a float-only JVM.
    String[] flt = forkChild(seconds, "--float-child", 7);
    double peak = peakFlops(seconds);
    System.out.println("== 1000-point closed-form rollout (budget p99 <= 0.5 ms)");
    Rollout r = new Rollout(model, POINTS);
    double[] out = new double[2 * POINTS];
    Stats vecRoll = measure(seconds, () -> r.tryRollout(y0, times, POINTS, out, null));
    double fltRollP50 = Double.parseDouble(flt[2]);
    double fltRollP99 = Double.parseDouble(flt[3]);
    double flop = 2.0 * model.multiplyAddsPerPoint() * POINTS;
    System.out.printf(
        Locale.ROOT,
        "  %-40s %s   %.2f GFLOP/s, %.1f%% of peak (multiply-adds x2 / p50)%n",
        "double " + r.kernels(),
        vecRoll,
        flop / vecRoll.p50 / 1e9,
        100 * flop / vecRoll.p50 / peak);
    System.out.printf(
        Locale.ROOT,
        "  %s   %.2f GFLOP/s, %.1f%% of peak (separate JVM)%n",
        flt[0],
        flop / fltRollP50 / 1e9,
        100 * flop / fltRollP50 / peak);
    System.out.printf(
        Locale.ROOT,
        "  float / double time: p50 %.2f, p99 %.2f (speed-up %.2fx at p50); "
            + "max |float - double| position %s (sigma = 1)%n",
        fltRollP50 / vecRoll.p50,
        fltRollP99 / vecRoll.p99,
        vecRoll.p50 / fltRollP50,
        flt[6]);
    System.out.println("  " + scalar[0]);
    double scalarP50 = Double.parseDouble(scalar[2]);
    System.out.printf(
        Locale.ROOT,
        "  vector / scalar speed-up at p50 (double): %.1fx%n",
        scalarP50 / vecRoll.p50);
    System.out.println();
    System.out.println("== single velocity query (budget p99 <= 5 us)");
    VelocityField f = new VelocityField(model);
    double[] v = new double[2];
    double[] y = {0.3, 0.4};
    Stats vel = measure(seconds, () -> f.tryVelocity(y, v));
    double velFp50 = Double.parseDouble(flt[4]);
    double velFp99 = Double.parseDouble(flt[5]);
    // The inverse pass (a forward pass's multiply-adds) + the tangent pass from its kept
    // activations (bias-free layers, the same count): 2 forward passes' worth.
    double vflop = 2 * 2.0 * model.multiplyAddsPerPoint();
    System.out.printf(
        Locale.ROOT,
        "  %-40s %s   %.2f GFLOP/s%n",
        "double " + f.kernels(),
        vel,
        vflop / vel.p50 / 1e9);
    System.out.printf(
        Locale.ROOT, "  %s   %.2f GFLOP/s (separate JVM)%n", flt[1], vflop / velFp50 / 1e9);
    System.out.printf(
        Locale.ROOT,
        "  float / double time: p50 %.2f, p99 %.2f; |v float - v double| %s of |v| %.2e%n",
        velFp50 / vel.p50,
        velFp99 / vel.p99,
        flt[7],
        Math.hypot(v[0], v[1]));
    System.out.println("  " + scalar[1]);
    System.out.println();
    closedFormVsIntegrators(model, times, y0, seconds);
    System.out.println();
    coldStart();
  }

  /**
   * The first requests of a freshly started JVM, as a node or server that has just loaded its model
   * sees them: each row is its own child JVM (a warm JIT would hide what is measured), with and
   * without the background {@link org.diffeomotion.model.Warmup} of the default 4 s.
   */
  private static void coldStart() throws Exception {
    System.out.println(
        "== cold start: fresh JVM, reference model, 1000-point rollouts on a new Rollout "
            + "(first, second, then 50 more 10 ms apart: p50 / max)");
    String[][] rows = {
      {"float", "0", "0", "no warm-up, first request at once"},
      {"float", "0", "4.5", "no warm-up, first request 4.5 s after load"},
      {"float", "4", "4.5", "warm-up 4 s, first request 4.5 s after load"},
      {"float", "4", "1", "warm-up 4 s, first request 1 s after load"},
      {"double", "0", "4.5", "no warm-up, first request 4.5 s after load"},
      {"double", "4", "4.5", "warm-up 4 s, first request 4.5 s after load"},
    };
    for (String[] row : rows) {
      String[] r = forkChild(0, "--cold-child", 3, row[0], row[1], row[2]);
      System.out.printf(
          Locale.ROOT,
          "  %-7s %-46s first %9s ms, second %9s ms, next 50 p50 %7s / max %8s ms%n",
          row[0],
          row[3],
          r[0],
          r[1],
          r[2],
          r[3]);
    }
  }

  /**
   * One fresh-JVM row: loads the model, starts the warm-up ({@code budget} s, 0 = none), waits
   * {@code delay} s, then times rollouts on a new Rollout. Prints R1 first, R2 second, R3 p50 and
   * R4 max of the next 50 [ms].
   */
  private static void coldChild(Precision precision, double budget, double delay) throws Exception {
    MotionModel model = referenceModel();
    org.diffeomotion.model.Warmup.startInBackground(model, precision, budget, null, null);
    Thread.sleep((long) (delay * 1000));
    double[] times = referenceTimes();
    double[] y0 = {1.2, -0.8};
    double[] out = new double[2 * POINTS];
    Rollout r = new Rollout(model, POINTS, precision);
    long[] ns = new long[52];
    for (int k = 0; k < ns.length; k++) {
      long t0 = System.nanoTime();
      r.tryRollout(y0, times, POINTS, out, null);
      ns[k] = System.nanoTime() - t0;
      if (k >= 1) {
        Thread.sleep(10);
      }
    }
    long[] rest = Arrays.copyOfRange(ns, 2, ns.length);
    Arrays.sort(rest);
    System.out.printf(Locale.ROOT, "R1 %.3f%n", ns[0] / 1e6);
    System.out.printf(Locale.ROOT, "R2 %.3f%n", ns[1] / 1e6);
    System.out.printf(Locale.ROOT, "R3 %.3f%n", rest[rest.length / 2] / 1e6);
    System.out.printf(Locale.ROOT, "R4 %.3f%n", rest[rest.length - 1] / 1e6);
  }

  /** The reference model every row measures (d = 2, a = 0, 8 blocks x 64, random weights). */
  private static MotionModel referenceModel() {
    return ModelFactory.random(new ModelSpec().stateDim(2).augmentDim(0).blocks(8).hidden(64), 42);
  }

  /** POINTS uniform output times over HORIZON [s]. */
  private static double[] referenceTimes() {
    double[] times = new double[POINTS];
    for (int i = 0; i < POINTS; i++) {
      times[i] = HORIZON * i / (POINTS - 1);
    }
    return times;
  }

  /** Child JVM: scalar kernels only; prints two report lines (R1, R2) and the rollout p50 [s]. */
  private static void scalarChild(double seconds) {
    MotionModel model = referenceModel();
    double[] times = referenceTimes();
    double[] y0 = {1.2, -0.8};
    Rollout r = new Rollout(model, POINTS, "scalar");
    double[] out = new double[2 * POINTS];
    Stats st = measure(seconds, () -> r.tryRollout(y0, times, POINTS, out, null));
    VelocityField f = new VelocityField(model, "scalar");
    double[] v = new double[2];
    double[] y = {0.3, 0.4};
    Stats vel = measure(seconds, () -> f.tryVelocity(y, v));
    System.out.printf(
        Locale.ROOT,
        "R1 %-16s %s   %.2f GFLOP/s (separate JVM)%n",
        "scalar",
        st,
        2.0 * model.multiplyAddsPerPoint() * POINTS / st.p50 / 1e9);
    System.out.printf(Locale.ROOT, "R2 %-16s %s (separate JVM)%n", "scalar", vel);
    System.out.println("R3 " + st.p50);
  }

  /**
   * Child JVM: float networks only (vector kernels); prints the rollout and velocity report lines,
   * their p50 and p99 [s], then (after timing, so the double path never shares the profile while
   * measured) the largest |float - double| of positions and velocities.
   */
  private static void floatChild(double seconds) {
    MotionModel model = referenceModel();
    double[] times = referenceTimes();
    double[] y0 = {1.2, -0.8};
    Rollout rf = new Rollout(model, POINTS, Precision.FLOAT);
    double[] outF = new double[2 * POINTS];
    Stats roll = measure(seconds, () -> rf.tryRollout(y0, times, POINTS, outF, null));
    VelocityField ff = new VelocityField(model, Precision.FLOAT);
    double[] vf = new double[2];
    double[] y = {0.3, 0.4};
    Stats vel = measure(seconds, () -> ff.tryVelocity(y, vf));
    double[] out = new double[2 * POINTS];
    new Rollout(model, POINTS).tryRollout(y0, times, POINTS, out, null);
    double dev = 0;
    for (int i = 0; i < out.length; i++) {
      dev = Math.max(dev, Math.abs(out[i] - outF[i]));
    }
    double[] v = new double[2];
    new VelocityField(model).tryVelocity(y, v);
    System.out.printf(Locale.ROOT, "R1 %-40s %s%n", "float " + rf.kernels(), roll);
    System.out.printf(Locale.ROOT, "R2 %-40s %s%n", "float " + ff.kernels(), vel);
    System.out.println("R3 " + roll.p50);
    System.out.println("R4 " + roll.p99);
    System.out.println("R5 " + vel.p50);
    System.out.println("R6 " + vel.p99);
    System.out.printf(Locale.ROOT, "R7 %.1e%n", dev);
    System.out.printf(Locale.ROOT, "R8 %.1e%n", Math.hypot(vf[0] - v[0], vf[1] - v[1]));
  }

  /** Runs this class with {@code flag} in a child JVM; returns its lines R1..R{n+1}, prefix cut. */
  private static String[] forkChild(double seconds, String flag, int n, String... extra)
      throws Exception {
    java.util.List<String> cmd = new java.util.ArrayList<>();
    cmd.add(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(ModelBench.class.getName());
    cmd.add(Double.toString(seconds));
    cmd.add(flag);
    cmd.addAll(Arrays.asList(extra));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String[] res = new String[n + 1];
    try (java.io.BufferedReader rd =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(
                p.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
      for (String line; (line = rd.readLine()) != null; ) {
        for (int k = 0; k <= n; k++) {
          if (line.startsWith("R" + (k + 1) + " ")) {
            res[k] = line.substring(3);
          }
        }
      }
    }
    if (!p.waitFor(10, java.util.concurrent.TimeUnit.MINUTES)
        || p.exitValue() != 0
        || res[n] == null) {
      throw new IllegalStateException("child JVM failed: " + String.join(" ", cmd));
    }
    return res;
  }

  private static void closedFormVsIntegrators(
      MotionModel model, double[] times, double[] y0, double seconds) {
    System.out.println(
        "== closed form vs numerical integration of the same field, same "
            + POINTS
            + " output times over "
            + HORIZON
            + " s (budget: closed form >= 10x faster)");
    Rollout r = new Rollout(model, POINTS);
    VelocityField f = new VelocityField(model);
    double[] closed = new double[2 * POINTS];
    r.rollout(y0, times, POINTS, closed);
    Stats cf = measure(seconds, () -> r.tryRollout(y0, times, POINTS, closed, null));
    System.out.printf(Locale.ROOT, "  %-34s %s%n", "closed_form (" + r.kernels() + ")", cf);
    String[][] methods = {{"rk4", null}, {"dopri5", "1e-6"}, {"dopri5", "1e-9"}};
    for (String[] m : methods) {
      Integrator integ =
          m[1] == null
              ? Integrators.create(m[0])
              : Integrators.create(
                  m[0], Map.of("rtol", Double.parseDouble(m[1]), "atol", Double.parseDouble(m[1])));
      double[] out = new double[2 * POINTS];
      IntegrationStats is = integ.integrate(f, y0, times, POINTS, out);
      double dev = 0;
      for (int i = 0; i < out.length; i++) {
        dev = Math.max(dev, Math.abs(out[i] - closed[i]));
      }
      Stats st =
          measure(
              seconds,
              () -> {
                integ.integrate(f, y0, times, POINTS, out);
                return 0;
              });
      String label = m[0] + (m[1] == null ? " (1 step/output)" : " (rtol=atol=" + m[1] + ")");
      System.out.printf(
          Locale.ROOT,
          "  %-34s %s   %.1fx slower at p50, max |dev| %.2e, " + "%d steps, %d field evaluations%n",
          label,
          st,
          st.p50 / cf.p50,
          dev,
          is.steps(),
          is.evaluations());
    }
  }

  /**
   * The core's float FMA peak, two ways: nominal = FMA pipes x float lanes x 2 flop x clock, with
   * the clock from the system property {@code bench.ghz} (default 2.096 GHz, this VM's TSC rate:
   * /proc/cpuinfo has no MHz here, so boost clocks are unknown), and measured = 12 independent
   * 16-lane FMA chains in a loop (what the JIT's code reaches on this core). Returns the larger, in
   * flop/s, so that "share of peak" is never flattered.
   */
  private static double peakFlops(double seconds) {
    double ghz = Double.parseDouble(System.getProperty("bench.ghz", "2.096"));
    int pipes = Integer.parseInt(System.getProperty("bench.fma.pipes", "2"));
    int lanes = FloatVector.SPECIES_PREFERRED.length();
    double nominal = pipes * lanes * 2.0 * ghz * 1e9;
    int iters = 1 << 16;
    Stats st = measure(seconds / 3, () -> (int) FmaPeak.run(iters));
    double measured = FmaPeak.FLOP_PER_ITER * (double) iters / st.p50;
    System.out.printf(
        Locale.ROOT,
        "== core peak (float): nominal %d FMA pipes x %d lanes x 2 flop x %.3f GHz = %.1f GFLOP/s;"
            + " measured FMA loop %.1f GFLOP/s; shares below use %.1f GFLOP/s%n%n",
        pipes,
        lanes,
        ghz,
        nominal / 1e9,
        measured / 1e9,
        Math.max(nominal, measured) / 1e9);
    return Math.max(nominal, measured);
  }

  /**
   * One reference coupling net (1 -> 64 -> 2) in float over 1000 points: the two layer kernels one
   * after the other (the hidden activations go out to memory and back) against the fused kernel
   * that keeps them in the first-level cache. Same bits (FloatKernelsTest).
   */
  private static void fusedNet(double seconds) {
    if (!org.diffeomotion.model.internal.FloatKernels.vectorAvailable()) {
      return;
    }
    org.diffeomotion.model.internal.FloatKernels fk =
        org.diffeomotion.model.internal.FloatKernels.matching(
            org.diffeomotion.model.internal.Kernels.vector());
    int hidden = 64;
    int out = 2;
    int p = POINTS - POINTS % fk.lanes();
    Random rnd = new Random(3);
    float[] w0 = new float[hidden];
    float[] b0 = new float[hidden];
    float[] w1 = new float[out * hidden];
    float[] b1 = new float[out];
    for (int j = 0; j < hidden; j++) {
      w0[j] = (float) (8 * rnd.nextGaussian());
      b0[j] = (float) (4 * rnd.nextGaussian());
      for (int o = 0; o < out; o++) {
        w1[o * hidden + j] = (float) (rnd.nextGaussian() / 8);
      }
    }
    float[] w0T = w0.clone();
    float[] w1T = new float[out * hidden];
    for (int j = 0; j < hidden; j++) {
      for (int o = 0; o < out; o++) {
        w1T[j * out + o] = w1[o * hidden + j];
      }
    }
    float[] x = new float[p];
    for (int i = 0; i < p; i++) {
      x[i] = (float) (2.0 * i / p - 1);
    }
    float[] h = new float[hidden * p];
    float[] y = new float[out * p];
    Stats two =
        measure(
            seconds / 3,
            () -> {
              fk.layer(w0, w0T, b0, hidden, 1, true, x, 0, p, h, 0);
              fk.layer(w1, w1T, b1, out, hidden, false, h, 0, p, y, 0);
              return 0;
            });
    Stats fused =
        measure(
            seconds / 3,
            () -> {
              fk.hiddenLayerNet(w0, w0T, b0, hidden, 1, w1, w1T, b1, out, x, p, h, y);
              return 0;
            });
    System.out.printf(
        Locale.ROOT,
        "== one coupling net in float (1 -> 64 -> 2), %d points, %s%n"
            + "  %-40s %s%n  %-40s %s%n  two layers / fused: p50 %.2f, p99 %.2f;"
            + " fused %.2f ns per hidden unit and point%n%n",
        p,
        fk.name(),
        "two layer kernels (hidden rows in memory)",
        two,
        "fused (hidden tile in L1)",
        fused,
        two.p50 / fused.p50,
        two.p99 / fused.p99,
        fused.p50 / (hidden * (double) p) * 1e9);
  }

  /** The three ways to compute tanh over an array, with accuracy against Math.tanh. */
  private static void tanhKernels(double seconds) {
    System.out.println("== tanh over 64k doubles (N(0, 3^2) arguments)");
    int n = 1 << 16;
    Random rnd = new Random(1);
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = 3 * rnd.nextGaussian();
    }
    double[] ref = new double[n];
    double[] o = new double[n];
    for (int i = 0; i < n; i++) {
      ref[i] = Math.tanh(a[i]);
    }
    report(
        "Math.tanh (scalar)",
        seconds,
        n,
        a,
        o,
        ref,
        () -> {
          for (int i = 0; i < n; i++) {
            o[i] = Math.tanh(a[i]);
          }
        });
    report("rational, plain loop", seconds, n, a, o, ref, () -> RationalTanh.apply(a, o, n));
    if (org.diffeomotion.model.internal.Kernels.vectorAvailable()) {
      org.diffeomotion.model.internal.Kernels k = org.diffeomotion.model.internal.Kernels.vector();
      report(
          "Vector API TANH",
          seconds,
          n,
          a,
          o,
          ref,
          () -> {
            for (int i = 0; i < n; i += 8) {
              jdk.incubator.vector.DoubleVector.fromArray(
                      jdk.incubator.vector.DoubleVector.SPECIES_512, a, i)
                  .lanewise(jdk.incubator.vector.VectorOperators.TANH)
                  .intoArray(o, i);
            }
          });
      report(
          "rational, Vector API",
          seconds,
          n,
          a,
          o,
          ref,
          () -> {
            System.arraycopy(a, 0, o, 0, n);
            k.tanh(o, 0, n);
          });
    }
    if (org.diffeomotion.model.internal.FloatKernels.vectorAvailable()) {
      float[] af = new float[n];
      float[] of = new float[n];
      for (int i = 0; i < n; i++) {
        af[i] = (float) a[i];
      }
      org.diffeomotion.model.internal.FloatKernels fk =
          org.diffeomotion.model.internal.FloatKernels.matching(
              org.diffeomotion.model.internal.Kernels.vector());
      Stats st =
          measure(
              seconds / 3,
              () -> {
                System.arraycopy(af, 0, of, 0, n);
                fk.tanh(of, 0, n);
                return 0;
              });
      double maxAbs = 0;
      for (int i = 0; i < n; i++) {
        maxAbs = Math.max(maxAbs, Math.abs(of[i] - Math.tanh(af[i])));
      }
      System.out.printf(
          Locale.ROOT,
          "  %-22s %6.2f ns/element at p50, max absolute error %.1e (float arguments)%n",
          "float rational, Vector",
          st.p50 / n * 1e9,
          maxAbs);
    }
    System.out.println();
  }

  private static void report(
      String name, double seconds, int n, double[] a, double[] o, double[] ref, Runnable r) {
    Stats st =
        measure(
            seconds / 3,
            () -> {
              r.run();
              return 0;
            });
    double maxRel = 0;
    for (int i = 0; i < n; i++) {
      if (ref[i] != 0) {
        maxRel = Math.max(maxRel, Math.abs(o[i] - ref[i]) / Math.abs(ref[i]));
      }
    }
    System.out.printf(
        Locale.ROOT,
        "  %-22s %6.2f ns/element at p50, max relative error " + "%.1e%n",
        name,
        st.p50 / n * 1e9,
        maxRel);
  }

  interface Call {
    int run();
  }

  /** Latencies of one call [s]. */
  static final class Stats {
    final double p50;
    final double p99;
    final double max;
    final int samples;

    Stats(long[] nanos, int count) {
      long[] s = Arrays.copyOf(nanos, count);
      Arrays.sort(s);
      p50 = s[count / 2] * 1e-9;
      p99 = s[Math.min(count - 1, (int) Math.ceil(count * 0.99) - 1)] * 1e-9;
      max = s[count - 1] * 1e-9;
      samples = count;
    }

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT, "p50 %9s  p99 %9s  max %9s  (n=%d)", fmt(p50), fmt(p99), fmt(max), samples);
    }

    static String fmt(double s) {
      return s >= 1e-3
          ? String.format(Locale.ROOT, "%.3f ms", s * 1e3)
          : String.format(Locale.ROOT, "%.2f us", s * 1e6);
    }
  }

  static int sink;

  /** Warms up for a third of the time, then records every call for the rest. */
  static Stats measure(double seconds, Call call) {
    // A third of the time, at least 4 s and at least 50 calls: a long call (tanh over 64k floats)
    // takes ~0.4 s before the JIT compiles the vector code, and the float rollout's fused net
    // reached C2 only 2-3 s into a run (its profiled tier-3 code boxes vectors, milliseconds a
    // rollout), which left a 4.5 ms p99 made of warm-up calls.
    long warmEnd = System.nanoTime() + (long) (Math.max(seconds / 3, 4.0) * 1e9);
    for (int calls = 0; calls < 50 || System.nanoTime() < warmEnd; calls++) {
      sink += call.run();
    }
    long[] samples = new long[1 << 20];
    int count = 0;
    long end = System.nanoTime() + (long) (seconds * 2 / 3 * 1e9);
    while (count < samples.length) {
      long t0 = System.nanoTime();
      sink += call.run();
      long t1 = System.nanoTime();
      samples[count++] = t1 - t0;
      if (t1 > end) {
        break;
      }
    }
    return new Stats(samples, count);
  }

  private ModelBench() {}
}
