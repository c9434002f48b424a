package org.diffeomotion.trainer.fit.internal;

import java.util.ArrayList;
import java.util.List;
import org.diffeomotion.trainer.fit.Demo;

/**
 * Blends of neighbouring demos, fitted beside the demos themselves (TRAINING.md, "Neighbour
 * blends"): for each training demo and the demo whose start is nearest to its start, the mean of
 * the two, point by point at equal fractions of their paths, starting at the midpoint of their
 * starts. Between two demos the data say nothing; a few demos leave a flexible flow free to bend
 * anywhere between them (measured on the sample bag: held-out DTW from 5 to 34 mm across seeds).
 * The blend asks that a start between two neighbours follows a path between theirs, the prior under
 * which the index-aligned mean of the demos is a good guess.
 *
 * <p>A pair is blended only when the two demos are alike: their distance at equal path fractions
 * never exceeds {@value #MAX_SPREAD} times the distance of their starts (plus {@value
 * #MIN_DISTANCE} normalised units), and they move the same way: the mean angle between their
 * directions of motion at equal path fractions is at most {@value #MAX_MEAN_TURN_DEG} degrees.
 * Demos of different strokes into one goal (multi-model sets) either part far more than their
 * starts' distance or, from far apart starts, head different ways (measured: 99 degrees for the
 * benchmark's 'e' and '2' strokes; 7-27 degrees for demos of one stroke from starts up to 38 % of
 * the extent apart, 19-43 degrees between the sample bag's neighbours). A blend of two strokes is a
 * path nobody drew: fitting it cost the benchmark's multi_Z2e a factor 2-3 in held-out DTW.
 *
 * <p>A pair is blended only when its starts lie at least {@value #MIN_START_GAP} of the extent (the
 * largest distance of a sample from the goal, in the data's units) apart. Closer demos leave no gap
 * the flow's smoothness does not already bridge: on the handwriting benchmark, whose starts lie
 * 0.4-12 % of the extent from their nearest neighbour, blending every pair made the held-out DTW
 * worse on 19 of 29 shapes (geometric mean +9 %), while on demos taught from far apart starts (the
 * sample bag, 25 % and more; the benchmark's wide-starts variant) it is what pins the interpolation
 * down (TRAINING.md, step 1).
 */
public final class NeighbourBlends {

  public static final double MAX_SPREAD = 2.0;
  public static final double MIN_DISTANCE = 0.02;
  public static final double MIN_START_GAP = 0.15;
  public static final double MAX_MEAN_TURN_DEG = 60.0;

  private NeighbourBlends() {}

  /**
   * @param demos the training demos, each resampled as it is fitted (normalised). Not modified.
   * @param sigma the normalisation's scale per dimension (data units per normalised unit), for the
   *     start gap relative to the extent.
   * @param minStartGap the smallest start distance, relative to the extent, of a pair to blend
   *     ({@link #MIN_START_GAP} for the trainer; 0 = every pair).
   * @return the blends, at most one per unordered pair; empty for fewer than two demos.
   */
  public static List<Demo> of(List<Demo> demos, double[] sigma, double minStartGap) {
    double extent = BaseInit.extent(demos, sigma);
    List<Demo> out = new ArrayList<>();
    int n = demos.size();
    boolean[][] done = new boolean[n][n];
    for (int i = 0; i < n; i++) {
      int j = nearestStart(demos, i);
      if (j < 0 || done[i][j]) {
        continue;
      }
      done[i][j] = true;
      done[j][i] = true;
      if (scaledDistance(demos.get(i).z()[0], demos.get(j).z()[0], sigma) < minStartGap * extent) {
        continue;
      }
      Demo b = blend(demos.get(i), demos.get(j));
      if (b != null) {
        out.add(b);
      }
    }
    return out;
  }

  private static int nearestStart(List<Demo> demos, int i) {
    int best = -1;
    double bestD = Double.POSITIVE_INFINITY;
    for (int j = 0; j < demos.size(); j++) {
      if (j != i) {
        double d = distance(demos.get(i).z()[0], demos.get(j).z()[0]);
        if (d < bestD) {
          bestD = d;
          best = j;
        }
      }
    }
    return best;
  }

  /**
   * The blend of a and b at a's samples: b taken at a's path fractions, times the mean of the two
   * demos' times at those fractions; null when the two part too far.
   */
  public static Demo blend(Demo a, Demo b) {
    double[] fa = DemoTiming.pathFraction(a);
    double[] fb = DemoTiming.pathFraction(b);
    double[][] za = a.z();
    int n = za.length;
    int d = za[0].length;
    double startDistance = distance(za[0], b.z()[0]);
    double limit = MAX_SPREAD * startDistance + MIN_DISTANCE;
    double[] s = new double[n];
    double[][] z = new double[n][d];
    double[] zb = new double[d];
    double[] prevB = new double[d];
    double turn = 0;
    int turns = 0;
    int seg = 0;
    for (int i = 0; i < n; i++) {
      double f = fa[i];
      while (seg < fb.length - 2 && fb[seg + 1] < f) {
        seg++;
      }
      double span = fb[seg + 1] - fb[seg];
      double w = span > 0 ? Math.min(1.0, Math.max(0.0, (f - fb[seg]) / span)) : 0.0;
      for (int k = 0; k < d; k++) {
        zb[k] = b.z()[seg][k] + w * (b.z()[seg + 1][k] - b.z()[seg][k]);
      }
      if (distance(za[i], zb) > limit) {
        return null;
      }
      if (i > 0) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int k = 0; k < d; k++) {
          double ta = za[i][k] - za[i - 1][k];
          double tb = zb[k] - prevB[k];
          dot += ta * tb;
          na += ta * ta;
          nb += tb * tb;
        }
        if (na > 0 && nb > 0) {
          turn += Math.acos(Math.max(-1.0, Math.min(1.0, dot / Math.sqrt(na * nb))));
          turns++;
        }
      }
      System.arraycopy(zb, 0, prevB, 0, d);
      double sb = b.s()[seg] + w * (b.s()[seg + 1] - b.s()[seg]);
      s[i] = 0.5 * (a.s()[i] + sb);
      for (int k = 0; k < d; k++) {
        z[i][k] = 0.5 * (za[i][k] + zb[k]);
      }
    }
    if (turns > 0 && turn / turns > Math.toRadians(MAX_MEAN_TURN_DEG)) {
      return null;
    }
    s[0] = 0.0;
    for (int i = 1; i < n; i++) {
      // Mean times of two increasing sequences increase; keep them strictly so on ties.
      s[i] = Math.max(s[i], s[i - 1] + 1e-9 * (s[n - 1] > 0 ? s[n - 1] : 1.0));
    }
    return new Demo(s, z);
  }

  /** |sigma * (p - q)|; sigma null = in the normalised units themselves. */
  private static double scaledDistance(double[] p, double[] q, double[] sigma) {
    double r2 = 0;
    for (int k = 0; k < p.length; k++) {
      double e = (sigma == null ? 1.0 : sigma[k]) * (p[k] - q[k]);
      r2 += e * e;
    }
    return Math.sqrt(r2);
  }

  private static double distance(double[] p, double[] q) {
    return scaledDistance(p, q, null);
  }
}
