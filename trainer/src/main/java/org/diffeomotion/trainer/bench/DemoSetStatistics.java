package org.diffeomotion.trainer.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.diffeomotion.trainer.data.Demonstration;
import org.diffeomotion.trainer.data.DemonstrationSet;
import org.diffeomotion.trainer.eval.Dtw;

/**
 * The statistics that say how much a demonstration set is like real handwriting demonstrations
 * (trainer/BENCHMARK.md, "How realistic"), measured on the data as they are. Lengths in the set's
 * units ([mm] for the benchmark).
 *
 * @param extent mean over demos of the larger side of the demo's bounding box [units].
 * @param startSpread RMS distance of the demos' starts from the mean start of the demos on the same
 *     stroke, over extent (strokes with one demo left out).
 * @param durationMean mean duration [s].
 * @param durationCv coefficient of variation of the durations (sample standard deviation over the
 *     mean).
 * @param pathShare mean over demos of the share of the path length covered at {@link #SHARE_TIMES}
 *     of the demo's duration.
 * @param startSpeed mean over demos of the speed over the first sample interval relative to the
 *     demo's peak speed (finite differences).
 * @param endSpeed the same for the last sample interval.
 * @param referenceDtw mean over the held-out demos of the DTW distance (mean distance between
 *     matched points) between the demo and the index-aligned mean of the training demos on its
 *     stroke [units]; NaN if no held-out demo has one.
 * @param minClearance least distance between two samples of one demo that are at least {@link
 *     #CLEARANCE_ARC} [units] apart along it, over all demos [units].
 * @param selfCrossings number of demos whose polyline crosses itself (must be 0).
 * @param strokeCrossings number of pairs of demos on different strokes that cross (must be 0).
 * @param sameStrokeCrossings number of pairs of demos on the same stroke that cross each other at
 *     least once (allowed, and common in real handwriting: an autonomous field on the plane has one
 *     path through each point, so it cannot follow both demos of such a pair past the crossing;
 *     planar sets only, else 0).
 * @param sameStrokePairs number of pairs of demos on the same stroke.
 */
public record DemoSetStatistics(
    double extent,
    double startSpread,
    double durationMean,
    double durationCv,
    double[] pathShare,
    double startSpeed,
    double endSpeed,
    double referenceDtw,
    double minClearance,
    int selfCrossings,
    int strokeCrossings,
    int sameStrokeCrossings,
    int sameStrokePairs) {

  /** Fractions of the duration at which {@link #pathShare()} is measured. */
  public static final double[] SHARE_TIMES = {0.1, 0.2, 0.5, 0.8, 0.9};

  /** Arc-length separation of {@link #minClearance()} [units]. */
  public static final double CLEARANCE_ARC = 10.0;

  public DemoSetStatistics {
    pathShare = pathShare.clone();
  }

  @Override
  public double[] pathShare() {
    return pathShare.clone();
  }

  /**
   * Measures a set.
   *
   * @param set the demonstrations.
   * @param strokeOf stroke of each demo ({@link BenchmarkShape#strokeOfDemo}); null: all one
   *     stroke.
   * @param training indices of the training demos (for the reference).
   * @param heldOut indices of the held-out demos.
   */
  public static DemoSetStatistics of(
      DemonstrationSet set, int[] strokeOf, List<Integer> training, List<Integer> heldOut) {
    int m = set.size();
    int[] stroke = strokeOf != null ? strokeOf.clone() : new int[m];
    double extent = 0;
    double[] durations = new double[m];
    double[] share = new double[SHARE_TIMES.length];
    double startSpeed = 0;
    double endSpeed = 0;
    double clearance = Double.POSITIVE_INFINITY;
    int self = 0;
    List<double[]> rows = new ArrayList<>();
    for (int i = 0; i < m; i++) {
      Demonstration demo = set.demo(i);
      int n = demo.size();
      int d = demo.dimension();
      double[] y = Reference.rowMajor(demo);
      double[] t = demo.times();
      rows.add(y);
      double[] lo = new double[d];
      double[] hi = new double[d];
      for (int k = 0; k < d; k++) {
        lo[k] = Double.POSITIVE_INFINITY;
        hi[k] = Double.NEGATIVE_INFINITY;
      }
      double[] cum = new double[n];
      for (int j = 0; j < n; j++) {
        for (int k = 0; k < d; k++) {
          lo[k] = Math.min(lo[k], y[j * d + k]);
          hi[k] = Math.max(hi[k], y[j * d + k]);
        }
        if (j > 0) {
          cum[j] = cum[j - 1] + Reference.speed(y, t, j - 1, d) * (t[j] - t[j - 1]);
        }
      }
      double side = 0;
      for (int k = 0; k < d; k++) {
        side = Math.max(side, hi[k] - lo[k]);
      }
      extent += side / m;
      durations[i] = demo.duration();
      for (int q = 0; q < SHARE_TIMES.length; q++) {
        share[q] += cum[(int) Math.round(SHARE_TIMES[q] * (n - 1))] / cum[n - 1] / m;
      }
      double peak = Reference.peakSpeed(y, t, n, d);
      startSpeed += Reference.speed(y, t, 0, d) / peak / m;
      endSpeed += Reference.speed(y, t, n - 2, d) / peak / m;
      if (d == 2) {
        if (Crossings.selfCrossing(y, n) != null) {
          self++;
        }
        clearance = Math.min(clearance, Crossings.clearance(y, n, CLEARANCE_ARC));
      }
    }
    int crossings = 0;
    int sameCrossings = 0;
    int samePairs = 0;
    for (int i = 0; i < m; i++) {
      for (int k = i + 1; k < m; k++) {
        boolean same = stroke[i] == stroke[k];
        if (same) {
          samePairs++;
        }
        if (set.dimension() == 2
            && Crossings.crossing(rows.get(i), set.demo(i).size(), rows.get(k), set.demo(k).size())
                != null) {
          if (same) {
            sameCrossings++;
          } else {
            crossings++;
          }
        }
      }
    }
    double meanDuration = 0;
    for (double v : durations) {
      meanDuration += v / m;
    }
    double ss = 0;
    for (double v : durations) {
      ss += (v - meanDuration) * (v - meanDuration);
    }
    double cv = m > 1 ? Math.sqrt(ss / (m - 1)) / meanDuration : 0;
    return new DemoSetStatistics(
        extent,
        startSpread(set, stroke) / extent,
        meanDuration,
        cv,
        share,
        startSpeed,
        endSpeed,
        referenceDtw(set, stroke, training, heldOut),
        clearance,
        self,
        crossings,
        sameCrossings,
        samePairs);
  }

  /**
   * RMS distance of the starts from their stroke's mean start (strokes with >= 2 demos) [units].
   */
  private static double startSpread(DemonstrationSet set, int[] stroke) {
    int d = set.dimension();
    double ss = 0;
    int count = 0;
    for (int s = 0; s <= max(stroke); s++) {
      double[] mean = new double[d];
      int k = 0;
      for (int i = 0; i < set.size(); i++) {
        if (stroke[i] == s) {
          for (int c = 0; c < d; c++) {
            mean[c] += set.demo(i).state(0, c);
          }
          k++;
        }
      }
      if (k < 2) {
        continue;
      }
      for (int i = 0; i < set.size(); i++) {
        if (stroke[i] == s) {
          for (int c = 0; c < d; c++) {
            double e = set.demo(i).state(0, c) - mean[c] / k;
            ss += e * e;
          }
          count++;
        }
      }
    }
    return count > 0 ? Math.sqrt(ss / count) : 0;
  }

  private static double referenceDtw(
      DemonstrationSet set, int[] stroke, List<Integer> training, List<Integer> heldOut) {
    double sum = 0;
    int count = 0;
    for (int h : heldOut) {
      List<Demonstration> same = new ArrayList<>();
      for (int i : training) {
        if (stroke[i] == stroke[h]) {
          same.add(set.demo(i));
        }
      }
      if (same.isEmpty()) {
        continue;
      }
      Demonstration demo = set.demo(h);
      int n = demo.size();
      int d = demo.dimension();
      double[] mean = Reference.indexAlignedMean(same, n);
      double[] y =
          Reference.sameLength(same, n) ? Reference.rowMajor(demo) : Reference.resampled(demo, n);
      sum += Dtw.align(mean, n, y, n, d).normalised();
      count++;
    }
    return count > 0 ? sum / count : Double.NaN;
  }

  private static int max(int[] v) {
    int m = 0;
    for (int x : v) {
      m = Math.max(m, x);
    }
    return m;
  }

  /**
   * One line: extent, start spread, durations, path shares, start/end speed, reference DTW,
   * clearance.
   */
  public String summary() {
    StringBuilder s = new StringBuilder();
    for (int q = 0; q < pathShare.length; q++) {
      s.append(q == 0 ? "" : "/").append(String.format(Locale.ROOT, "%.0f", 100 * pathShare[q]));
    }
    return String.format(
        Locale.ROOT,
        "extent %.1f, start spread %.1f %%, duration %.2f s (CV %.1f %%), "
            + "path share %s %%, start/end speed %.1f/%.1f %% of peak, reference DTW %.2f, clearance %.2f, "
            + "crossings %d/%d, same-stroke pairs that cross %d of %d",
        extent,
        100 * startSpread,
        durationMean,
        100 * durationCv,
        s,
        100 * startSpeed,
        100 * endSpeed,
        referenceDtw,
        minClearance,
        selfCrossings,
        strokeCrossings,
        sameStrokeCrossings,
        sameStrokePairs);
  }
}
