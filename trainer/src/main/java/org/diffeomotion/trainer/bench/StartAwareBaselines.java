package org.diffeomotion.trainer.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.diffeomotion.trainer.data.Demonstration;
import org.diffeomotion.trainer.eval.Dtw;

/**
 * Predictors that use the held-out demo's start but learn nothing: how far a prediction from the
 * start alone gets beyond the benchmark's no-learning reference (the index-aligned mean, {@link
 * Reference}), so that a model's DTW can be read against what the data allow. Each is built from
 * the training demos on the held-out demo's stroke and the held-out demo's first sample only:
 *
 * <ul>
 *   <li>{@link Kind#ARC_MEAN}: the mean of those demos at equal fractions of their arc length (the
 *       index-aligned mean averages points reached at equal times, which smears corners where the
 *       demos' paces differ);
 *   <li>{@link Kind#START_OFFSET}: the arc-length mean moved by the start's offset from the mean
 *       start, the offset fading as (1 - u)^4 over the arc fraction u (the demo leaves its own
 *       start and joins the family);
 *   <li>{@link Kind#SIMILARITY} (planar data only): the arc-length mean rotated and scaled about
 *       the goal by half of the similarity that takes the mean start onto the start (a demo written
 *       a little rotated or larger about its end carries that over its whole path), plus the rest
 *       of the offset fading as (1 - u)^2.
 * </ul>
 *
 * <p>The exponents and the half were picked on the benchmark's own held-out demos (3 Dec 2026),
 * which flatters these predictors: they are a yardstick, not a method. All lengths in the data's
 * units. Stateless.
 */
final class StartAwareBaselines {

  /** The predictors, in table order. */
  enum Kind {
    ARC_MEAN("arc-length mean"),
    START_OFFSET("+ start offset"),
    SIMILARITY("+ similarity");

    final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  /** Points of the arc-length mean (as the benchmark's demos). */
  static final int POINTS = HandwritingBenchmark.SAMPLES;

  private static final double OFFSET_POWER = 4.0;
  private static final double SIMILARITY_SHARE = 0.5;
  private static final double SIMILARITY_OFFSET_POWER = 2.0;

  private StartAwareBaselines() {}

  /**
   * The demo resampled at {@code m} equal fractions of its arc length (polyline through its
   * samples), row-major m x d; the first and last points are its own.
   */
  static double[] arcLengthResampled(Demonstration demo, int m) {
    int n = demo.size();
    int d = demo.dimension();
    double[] y = Reference.rowMajor(demo);
    double[] cum = new double[n];
    for (int i = 1; i < n; i++) {
      double s = 0;
      for (int k = 0; k < d; k++) {
        double e = y[i * d + k] - y[(i - 1) * d + k];
        s += e * e;
      }
      cum[i] = cum[i - 1] + Math.sqrt(s);
    }
    double length = cum[n - 1];
    double[] out = new double[m * d];
    int seg = 0;
    for (int q = 0; q < m; q++) {
      if (q == m - 1 || length == 0) {
        int src = q == m - 1 ? n - 1 : 0;
        System.arraycopy(y, src * d, out, q * d, d);
        continue;
      }
      double s = length * q / (m - 1);
      while (seg < n - 2 && cum[seg + 1] < s) {
        seg++;
      }
      double span = cum[seg + 1] - cum[seg];
      double f = span > 0 ? Math.min(1.0, Math.max(0.0, (s - cum[seg]) / span)) : 0.0;
      for (int k = 0; k < d; k++) {
        out[q * d + k] = y[seg * d + k] + f * (y[(seg + 1) * d + k] - y[seg * d + k]);
      }
    }
    return out;
  }

  /** The mean of the demos at equal arc-length fractions, row-major m x d. */
  static double[] arcLengthMean(List<Demonstration> demos, int m) {
    int d = demos.get(0).dimension();
    double[] mean = new double[m * d];
    for (Demonstration demo : demos) {
      double[] a = arcLengthResampled(demo, m);
      for (int i = 0; i < m * d; i++) {
        mean[i] += a[i] / demos.size();
      }
    }
    return mean;
  }

  /**
   * The prediction of one kind, row-major m x d.
   *
   * @param mean the arc-length mean (m x d) of the training demos on the stroke, ending at the
   *     goal.
   * @param start the held-out demo's first sample (d).
   * @param goal the goal (d).
   * @return null when the kind does not apply (similarity on non-planar data).
   */
  static double[] predict(Kind kind, double[] mean, int m, double[] start, double[] goal) {
    int d = start.length;
    double[] out = new double[m * d];
    switch (kind) {
      case ARC_MEAN -> System.arraycopy(mean, 0, out, 0, m * d);
      case START_OFFSET -> {
        for (int i = 0; i < m; i++) {
          double w = Math.pow(1.0 - i / (double) (m - 1), OFFSET_POWER);
          for (int k = 0; k < d; k++) {
            out[i * d + k] = mean[i * d + k] + w * (start[k] - mean[k]);
          }
        }
      }
      case SIMILARITY -> {
        if (d != 2) {
          return null;
        }
        // Complex ratio (start - g) / (mean start - g): the rotation and scale about the goal.
        double ax = mean[0] - goal[0];
        double ay = mean[1] - goal[1];
        double bx = start[0] - goal[0];
        double by = start[1] - goal[1];
        double den = ax * ax + ay * ay;
        double re = 1.0;
        double im = 0.0;
        if (den > 0) {
          re = 1.0 + SIMILARITY_SHARE * ((bx * ax + by * ay) / den - 1.0);
          im = SIMILARITY_SHARE * (by * ax - bx * ay) / den;
        }
        double sx = re * ax - im * ay;
        double sy = im * ax + re * ay;
        for (int i = 0; i < m; i++) {
          double w = Math.pow(1.0 - i / (double) (m - 1), SIMILARITY_OFFSET_POWER);
          double px = mean[i * 2] - goal[0];
          double py = mean[i * 2 + 1] - goal[1];
          out[i * 2] = goal[0] + re * px - im * py + w * (bx - sx);
          out[i * 2 + 1] = goal[1] + im * px + re * py + w * (by - sy);
        }
      }
      default -> throw new IllegalStateException("unknown kind " + kind);
    }
    return out;
  }

  /**
   * Per held-out demo of the case, the DTW (mean distance between matched points) of each kind's
   * prediction to the demo, [heldOut][kind]; NaN where a kind does not apply.
   */
  static double[][] dtw(AccuracyBenchmark.Case cs) {
    Kind[] kinds = Kind.values();
    double[][] out = new double[cs.heldOut().size()][kinds.length];
    for (int h = 0; h < cs.heldOut().size(); h++) {
      int held = cs.heldOut().get(h);
      List<Demonstration> mates = new ArrayList<>();
      for (int i : cs.training()) {
        if (cs.strokeOf()[i] == cs.strokeOf()[held]) {
          mates.add(cs.set().demo(i));
        }
      }
      Demonstration demo = cs.set().demo(held);
      int d = demo.dimension();
      int n = demo.size();
      double[] y = Reference.rowMajor(demo);
      double[] mean = arcLengthMean(mates, POINTS);
      double[] start = java.util.Arrays.copyOfRange(y, 0, d);
      double[] goal = java.util.Arrays.copyOfRange(mean, (POINTS - 1) * d, POINTS * d);
      for (int k = 0; k < kinds.length; k++) {
        double[] p = predict(kinds[k], mean, POINTS, start, goal);
        out[h][k] = p == null ? Double.NaN : Dtw.align(p, POINTS, y, n, d).normalised();
      }
    }
    return out;
  }

  /**
   * The table (markdown) of the cases: per case the reference's and each kind's DTW (mean over the
   * held-out demos) and their ratio to the reference, then the median ratio per kind over the cases
   * in mm.
   */
  static String table(List<AccuracyBenchmark.Case> cases) {
    Kind[] kinds = Kind.values();
    StringBuilder b = new StringBuilder("| shape | reference DTW |");
    for (Kind k : kinds) {
      b.append(' ').append(k.label).append(" DTW (/ ref.) |");
    }
    b.append("\n|---|---:|").append("---:|".repeat(kinds.length)).append('\n');
    List<List<Double>> ratios = new ArrayList<>();
    for (int k = 0; k < kinds.length; k++) {
      ratios.add(new ArrayList<>());
    }
    for (AccuracyBenchmark.Case cs : cases) {
      double ref = 0;
      for (AccuracyBenchmark.HeldOut r : AccuracyBenchmark.reference(cs)) {
        ref += r.referenceDtw() / cs.heldOut().size();
      }
      double[][] v = dtw(cs);
      b.append(
          String.format(Locale.ROOT, "| %s | %s |", cs.name(), AccuracyBenchmark.Report.num(ref)));
      for (int k = 0; k < kinds.length; k++) {
        double m = 0;
        for (double[] row : v) {
          m += row[k] / v.length;
        }
        b.append(
            String.format(
                Locale.ROOT,
                " %s (%s) |",
                AccuracyBenchmark.Report.num(m),
                AccuracyBenchmark.Report.num(m / ref)));
        if (cs.unit().equals("mm") && Double.isFinite(m)) {
          ratios.get(k).add(m / ref);
        }
      }
      b.append('\n');
    }
    b.append('\n');
    for (int k = 0; k < kinds.length; k++) {
      double[] r = ratios.get(k).stream().mapToDouble(Double::doubleValue).toArray();
      b.append(
          String.format(
              Locale.ROOT,
              "%s: median ratio to the reference %s over %d shapes%n",
              kinds[k].label,
              AccuracyBenchmark.Report.num(AccuracyBenchmark.median(r)),
              r.length));
    }
    return b.toString();
  }
}
