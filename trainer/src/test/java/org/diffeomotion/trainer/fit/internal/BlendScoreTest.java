package org.diffeomotion.trainer.fit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.diffeomotion.trainer.fit.Demo;
import org.junit.jupiter.api.Test;

/** {@link BlendScore}: the path distance's known answers and which pairs are scored. */
class BlendScoreTest {

  /** A straight demo from (x0, 1) down to (x0, 0) in n samples over 1 s. */
  private static Demo line(double x0, int n) {
    double[] s = new double[n];
    double[][] z = new double[n][];
    for (int i = 0; i < n; i++) {
      s[i] = (double) i / (n - 1);
      z[i] = new double[] {x0, 1.0 - (double) i / (n - 1)};
    }
    return new Demo(s, z);
  }

  @Test
  void chamferIsZeroOnThePathItselfAndTheOffsetOfAParallelPath() {
    Demo a = line(0.0, 201);
    double[] same = new double[201 * 2];
    double[] shifted = new double[201 * 2];
    for (int k = 0; k < 201; k++) {
      same[2 * k] = a.z()[k][0];
      same[2 * k + 1] = a.z()[k][1];
      shifted[2 * k] = a.z()[k][0] + 0.05;
      shifted[2 * k + 1] = a.z()[k][1];
    }
    assertEquals(0.0, BlendScore.chamfer(a.z(), same, 2), 0.0);
    assertEquals(0.05, BlendScore.chamfer(a.z(), shifted, 2), 1e-12);
    // Timing does not count: the same path sampled at other points (the first half twice as
    // densely) is still at distance ~0 (the samples' spacing, 0.005, bounds it).
    double[] warped = new double[201 * 2];
    for (int k = 0; k < 201; k++) {
      double f = k < 100 ? 0.5 * k / 100.0 : 0.5 + 0.5 * (k - 100) / 100.0;
      warped[2 * k] = 0.0;
      warped[2 * k + 1] = 1.0 - f * f;
    }
    assertTrue(BlendScore.chamfer(a.z(), warped, 2) < 0.005);
    // Only the first d values of a (padded) sample count.
    double[][] padded = new double[201][];
    for (int k = 0; k < 201; k++) {
      padded[k] = new double[] {a.z()[k][0], a.z()[k][1], 7.0};
    }
    assertEquals(0.05, BlendScore.chamfer(padded, shifted, 2), 1e-12);
  }

  @Test
  void everyPairWithABlendIsScoredAndOneDemoHasNone() {
    assertEquals(0, new BlendScore(List.of(line(0.0, 50))).blendCount());
    // Three parallel demos: three pairs, each blend exists (paths stay as far apart as the starts).
    assertEquals(
        3, new BlendScore(List.of(line(0.0, 50), line(0.02, 50), line(0.05, 50))).blendCount());
    assertEquals(Double.NaN, new BlendScore(List.of(line(0.0, 50))).score(null, new double[0]));
  }
}
