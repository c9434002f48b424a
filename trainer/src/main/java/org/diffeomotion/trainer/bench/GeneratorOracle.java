package org.diffeomotion.trainer.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.diffeomotion.trainer.data.Demonstration;
import org.diffeomotion.trainer.eval.Dtw;

/**
 * How well any predictor that sees only a held-out demo's start could do on the handwriting
 * benchmark, estimated with the generator itself (trainer/BENCHMARK.md, "How close to the floor"):
 * the generator draws many more paths of the shape's stroke from the same distribution as its
 * demos, and two numbers are read off the draws whose start lies near the held-out start (a
 * Gaussian kernel on the start, its bandwidth widened until the effective number of draws is at
 * least {@value #MIN_EFFECTIVE}):
 *
 * <ul>
 *   <li><b>conditional mean</b>: the kernel-weighted mean of those draws at equal fractions of
 *       their arc length, sampled at the held-out demo's own arc-length fraction at each of its
 *       samples (perfect timing), and its DTW to the held-out demo. It knows the generator's
 *       distribution, which no learner does; it is the best guess in squared distance at equal path
 *       fractions, not in DTW (averaging paths whose corners fall at different fractions blurs
 *       them), so a model can come out below it;
 *   <li><b>floor</b>: half the mean DTW between two draws from near the start, both sampled at the
 *       held-out demo's arc-length fractions (every fourth sample). Whatever a predictor P says,
 *       DTW(P, A) + DTW(P, B) is at least about DTW(A, B) for two demos A and B written from that
 *       start (DTW is not exactly a metric, and the kernel lets the two starts differ by about its
 *       bandwidth), so no start-only predictor gets much below this on average.
 * </ul>
 *
 * Deterministic: the draws use their own seeded streams ({@link Random}, {@link StrictMath}).
 * Lengths in mm.
 */
final class GeneratorOracle {

  /** Draws per held-out demo (the benchmark's run). */
  static final int DRAWS = 4000;

  /** Least effective number of kernel-weighted draws. */
  static final int MIN_EFFECTIVE = 40;

  /** Pairs of draws averaged for the floor. */
  static final int PAIRS = 200;

  /** Points per draw at equal arc-length fractions. */
  static final int POINTS = 1000;

  /** The floor's DTW uses every this-many-th sample of the held-out demo's timing. */
  private static final int FLOOR_STRIDE = 4;

  private static final double FIRST_BANDWIDTH = 0.05; // [mm]
  private static final double WIDEN = 1.3;

  private GeneratorOracle() {}

  /**
   * One held-out demo's estimates.
   *
   * @param conditionalMeanDtw DTW of the conditional mean path to the demo [mm].
   * @param floorDtw half the mean DTW between pairs of draws from near its start [mm].
   * @param bandwidth the kernel's standard deviation on the start [mm].
   * @param effective the effective number of weighted draws.
   * @param conditionalMean the conditional mean path at the demo's samples, row-major n x 2 [mm].
   */
  record Estimate(
      double conditionalMeanDtw,
      double floorDtw,
      double bandwidth,
      double effective,
      double[] conditionalMean) {}

  /**
   * The estimates for held-out demo {@code held} of shape {@code shape}, whose demos {@code set}
   * the generator made with parameters p.
   *
   * @param draws paths drawn, >= 2 * MIN_EFFECTIVE
   * @param seed the draws' stream
   */
  static Estimate estimate(
      BenchmarkShape shape,
      GeneratorParameters p,
      Demonstration held,
      int stroke,
      int draws,
      long seed) {
    if (draws < 2 * MIN_EFFECTIVE) {
      throw new IllegalArgumentException(
          "draws must be >= " + 2 * MIN_EFFECTIVE + ", got " + draws);
    }
    DemoGenerator.ShapeDraws sd = DemoGenerator.ShapeDraws.of(shape, p);
    Curve nominal = DemoGenerator.nominalPaths(shape, p).get(stroke);
    Random rnd = new Random(DemoGenerator.scramble(seed));
    double[][] paths = new double[draws][];
    for (int k = 0; k < draws; k++) {
      paths[k] =
          atEqualFractions(
              DemoGenerator.drawPath(nominal, sd.startSpread(), sd.variability(), p, rnd));
    }
    double[] y = Reference.rowMajor(held);
    int n = held.size();

    // Kernel weights on the start, widened until enough draws count.
    double[] w = new double[draws];
    double bandwidth = FIRST_BANDWIDTH;
    double effective;
    while (true) {
      double sw = 0;
      double sw2 = 0;
      for (int k = 0; k < draws; k++) {
        double dx = paths[k][0] - y[0];
        double dy = paths[k][1] - y[1];
        w[k] = StrictMath.exp(-(dx * dx + dy * dy) / (2 * bandwidth * bandwidth));
        sw += w[k];
        sw2 += w[k] * w[k];
      }
      effective = sw > 0 ? sw * sw / sw2 : 0;
      if (effective >= MIN_EFFECTIVE) {
        break;
      }
      bandwidth *= WIDEN;
    }

    double[] cdf = new double[draws];
    double total = 0;
    double[] mean = new double[2 * POINTS];
    for (int k = 0; k < draws; k++) {
      total += w[k];
      cdf[k] = total;
      for (int i = 0; i < 2 * POINTS; i++) {
        mean[i] += w[k] * paths[k][i];
      }
    }
    for (int i = 0; i < 2 * POINTS; i++) {
      mean[i] /= total;
    }
    double[] u = arcFractions(y, n);
    double[] timed = atFractions(mean, u);
    double meanDtw = Dtw.align(timed, n, y, n, 2).normalised();

    // Both draws of a pair at every FLOOR_STRIDE-th of the held-out demo's fractions: the DTW of
    // a prediction is measured against time-uniform samples, which dwell near the start and the
    // goal; equal arc fractions would weight the middle of the path instead.
    double[] uFloor = new double[(n + FLOOR_STRIDE - 1) / FLOOR_STRIDE];
    for (int i = 0; i < uFloor.length; i++) {
      uFloor[i] = u[i * FLOOR_STRIDE];
    }
    Random pairs = new Random(DemoGenerator.scramble(seed + 1));
    double pairSum = 0;
    for (int q = 0; q < PAIRS; q++) {
      int a = pick(cdf, pairs.nextDouble() * total);
      int b = pick(cdf, pairs.nextDouble() * total);
      while (b == a) {
        b = pick(cdf, pairs.nextDouble() * total);
      }
      int m = uFloor.length;
      pairSum +=
          Dtw.align(atFractions(paths[a], uFloor), m, atFractions(paths[b], uFloor), m, 2)
              .normalised();
    }
    return new Estimate(meanDtw, 0.5 * pairSum / PAIRS, bandwidth, effective, timed);
  }

  /**
   * The markdown table: per benchmark case (each one of the generator's shapes, at its own start
   * spread) the reference's, the conditional mean's and the floor's DTW, means over the held-out
   * demos, with their ratios to the reference, and the medians over the single-stroke shapes.
   */
  static String table(List<AccuracyBenchmark.Case> cases, GeneratorParameters p, int draws) {
    StringBuilder b =
        new StringBuilder(
            "| shape | reference DTW | conditional mean DTW (/ ref.) | floor DTW (/ ref.) |"
                + " kernel [mm] |\n|---|---:|---:|---:|---:|\n");
    List<Double> meanRatios = new ArrayList<>();
    List<Double> floorRatios = new ArrayList<>();
    for (AccuracyBenchmark.Case cs : cases) {
      BenchmarkShape shape = HandwritingBenchmark.shape(cs.name()); // --oracle: shapes only
      List<AccuracyBenchmark.HeldOut> refs = AccuracyBenchmark.reference(cs);
      double ref = 0;
      double mean = 0;
      double floor = 0;
      StringBuilder kernel = new StringBuilder();
      for (int h = 0; h < cs.heldOut().size(); h++) {
        int held = cs.heldOut().get(h);
        Estimate e =
            estimate(shape, p, cs.set().demo(held), cs.strokeOf()[held], draws, shape.seed() + h);
        int k = cs.heldOut().size();
        ref += refs.get(h).referenceDtw() / k;
        mean += e.conditionalMeanDtw() / k;
        floor += e.floorDtw() / k;
        kernel.append(h == 0 ? "" : ", ").append(AccuracyBenchmark.Report.num(e.bandwidth()));
      }
      b.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s (%s) | %s (%s) | %s |%n",
              cs.name(),
              AccuracyBenchmark.Report.num(ref),
              AccuracyBenchmark.Report.num(mean),
              AccuracyBenchmark.Report.num(mean / ref),
              AccuracyBenchmark.Report.num(floor),
              AccuracyBenchmark.Report.num(floor / ref),
              kernel));
      if (shape.strokes().size() == 1) {
        meanRatios.add(mean / ref);
        floorRatios.add(floor / ref);
      }
    }
    b.append('\n');
    b.append(
        String.format(
            Locale.ROOT,
            "single-stroke shapes (%d): median ratio to the reference: conditional mean %s,"
                + " floor %s%n",
            meanRatios.size(),
            AccuracyBenchmark.Report.num(median(meanRatios)),
            AccuracyBenchmark.Report.num(median(floorRatios))));
    return b.toString();
  }

  private static double median(List<Double> l) {
    return AccuracyBenchmark.median(l.stream().mapToDouble(Double::doubleValue).toArray());
  }

  /** The curve at {@link #POINTS} equal fractions of its arc length, row-major x 2. */
  static double[] atEqualFractions(Curve c) {
    double[] s = c.arcLengths();
    double length = s[s.length - 1];
    double[] at = new double[POINTS];
    for (int i = 0; i < POINTS; i++) {
      at[i] = length * i / (POINTS - 1);
    }
    return c.sampleXy(at);
  }

  /** Each sample's fraction of the polyline's arc length, from 0 to 1. */
  static double[] arcFractions(double[] y, int n) {
    double[] u = new double[n];
    for (int i = 1; i < n; i++) {
      u[i] = u[i - 1] + StrictMath.hypot(y[2 * i] - y[2 * i - 2], y[2 * i + 1] - y[2 * i - 1]);
    }
    double length = u[n - 1];
    for (int i = 0; i < n; i++) {
      u[i] = length > 0 ? u[i] / length : 0;
    }
    return u;
  }

  /** A path given at POINTS equal fractions, linearly interpolated at fractions u. */
  static double[] atFractions(double[] path, double[] u) {
    double[] out = new double[2 * u.length];
    for (int j = 0; j < u.length; j++) {
      double q = u[j] * (POINTS - 1);
      int i = StrictMath.min(POINTS - 2, (int) StrictMath.floor(q));
      double f = q - i;
      out[2 * j] = path[2 * i] + f * (path[2 * i + 2] - path[2 * i]);
      out[2 * j + 1] = path[2 * i + 1] + f * (path[2 * i + 3] - path[2 * i + 1]);
    }
    return out;
  }

  /** The first index whose cumulative weight reaches u. */
  private static int pick(double[] cdf, double u) {
    int lo = 0;
    int hi = cdf.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cdf[mid] < u) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
