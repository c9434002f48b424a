package org.diffeomotion.model.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.diffeomotion.model.IntegrationStats;
import org.diffeomotion.model.Integrator;
import org.diffeomotion.model.Integrators;
import org.diffeomotion.model.MotionModel;
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
    MotionModel model =
        ModelFactory.random(new ModelSpec().stateDim(2).augmentDim(0).blocks(8).hidden(64), 42);
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
    double[] times = new double[POINTS];
    for (int i = 0; i < POINTS; i++) {
      times[i] = HORIZON * i / (POINTS - 1);
    }
    double[] y0 = {1.2, -0.8};
    // The scalar kernels run in a child JVM: measured in this one they would make the call
    // sites shared by both kernel classes polymorphic and slow the vector path down (seen:
    // 1.5 -> 2.8 ms per rollout), which is not how a deployed JVM runs.
    String[] scalar = forkScalarChild(seconds);
    System.out.println("== 1000-point closed-form rollout (budget p99 <= 1 ms)");
    Rollout r = new Rollout(model, POINTS);
    double[] out = new double[2 * POINTS];
    Stats vecRoll = measure(seconds, () -> r.tryRollout(y0, times, POINTS, out, null));
    double gflops = 2.0 * model.multiplyAddsPerPoint() * POINTS / vecRoll.p50 / 1e9;
    System.out.printf(
        Locale.ROOT,
        "  %-16s %s   %.2f GFLOP/s (multiply-adds x2 / p50)%n",
        r.kernels(),
        vecRoll,
        gflops);
    System.out.println("  " + scalar[0]);
    double scalarP50 = Double.parseDouble(scalar[2]);
    System.out.printf(
        Locale.ROOT, "  vector / scalar speed-up at p50: %.1fx%n", scalarP50 / vecRoll.p50);
    System.out.println();
    System.out.println("== single velocity query (budget p99 <= 20 us)");
    VelocityField f = new VelocityField(model);
    double[] v = new double[2];
    double[] y = {0.3, 0.4};
    Stats vel = measure(seconds, () -> f.tryVelocity(y, v));
    System.out.printf(Locale.ROOT, "  %-16s %s%n", r.kernels(), vel);
    System.out.println("  " + scalar[1]);
    System.out.println();
    closedFormVsIntegrators(model, times, y0, seconds);
  }

  /** Child JVM: scalar kernels only; prints two report lines and the rollout p50 [s]. */
  private static void scalarChild(double seconds) {
    MotionModel model =
        ModelFactory.random(new ModelSpec().stateDim(2).augmentDim(0).blocks(8).hidden(64), 42);
    double[] times = new double[POINTS];
    for (int i = 0; i < POINTS; i++) {
      times[i] = HORIZON * i / (POINTS - 1);
    }
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
        "ROLL %-16s %s   %.2f GFLOP/s (separate JVM)%n",
        "scalar",
        st,
        2.0 * model.multiplyAddsPerPoint() * POINTS / st.p50 / 1e9);
    System.out.printf(Locale.ROOT, "VEL %-16s %s (separate JVM)%n", "scalar", vel);
    System.out.println("P50 " + st.p50);
  }

  private static String[] forkScalarChild(double seconds) throws Exception {
    java.util.List<String> cmd = new java.util.ArrayList<>();
    cmd.add(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(ModelBench.class.getName());
    cmd.add(Double.toString(seconds));
    cmd.add("--scalar-child");
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String[] res = new String[3];
    try (java.io.BufferedReader rd =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(
                p.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
      for (String line; (line = rd.readLine()) != null; ) {
        if (line.startsWith("ROLL ")) {
          res[0] = line.substring(5);
        } else if (line.startsWith("VEL ")) {
          res[1] = line.substring(4);
        } else if (line.startsWith("P50 ")) {
          res[2] = line.substring(4);
        }
      }
    }
    if (!p.waitFor(10, java.util.concurrent.TimeUnit.MINUTES)
        || p.exitValue() != 0
        || res[2] == null) {
      throw new IllegalStateException("scalar child JVM failed: " + String.join(" ", cmd));
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
    long warmEnd = System.nanoTime() + (long) (seconds / 3 * 1e9);
    while (System.nanoTime() < warmEnd) {
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
