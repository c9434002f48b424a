package org.diffeomotion.trainer.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DtwTest {

  /** A straight line in the plane, n points, 1 cm apart. */
  private static double[] line(int n, double offsetY) {
    double[] a = new double[2 * n];
    for (int i = 0; i < n; i++) {
      a[2 * i] = 0.01 * i;
      a[2 * i + 1] = offsetY;
    }
    return a;
  }

  @Test
  void identicalCurvesHaveDistanceZero() {
    double[] a = line(50, 0.3);
    Dtw.Result r = Dtw.align(a, 50, a.clone(), 50, 2);
    assertEquals(0.0, r.total());
    assertEquals(50, r.pathLength());
    assertEquals(0.0, r.normalised());
  }

  @Test
  void lineShiftedSidewaysByHHasDistanceH() {
    // Every step of any path costs >= h, and the diagonal costs exactly h per pair.
    double h = 0.0037;
    Dtw.Result r = Dtw.align(line(40, 0.0), 40, line(40, h), 40, 2);
    assertEquals(40 * h, r.total(), 1e-15);
    assertEquals(40, r.pathLength());
    assertEquals(h, r.normalised(), 1e-16);
  }

  @Test
  void repeatedSampleIsWarpedAwayAndCountsInThePathLength() {
    // 1-D: b repeats a's first sample; warping matches both to a[0] at no cost.
    Dtw.Result r = Dtw.align(new double[] {0, 1, 2}, 3, new double[] {0, 0, 1, 2}, 4, 1);
    assertEquals(0.0, r.total());
    assertEquals(4, r.pathLength());
  }

  @Test
  void onePointAgainstTwoKnownAnswer() {
    // Both points of b must match a's only point: costs 1 + 2 over 2 pairs.
    Dtw.Result r = Dtw.align(new double[] {0}, 1, new double[] {1, 2}, 2, 1);
    assertEquals(3.0, r.total());
    assertEquals(2, r.pathLength());
    assertEquals(1.5, r.normalised());
  }

  @Test
  void symmetricInItsArguments() {
    double[] a = {0, 0, 1, 0.5, 2, 0.2, 3, 1};
    double[] b = {0, 0.1, 0.5, 0.4, 1.5, 0.6, 2.5, 0.1, 3, 0.9, 3.1, 1};
    assertEquals(Dtw.align(a, 4, b, 6, 2).total(), Dtw.align(b, 6, a, 4, 2).total(), 1e-15);
  }

  @Test
  void rejectsBadSizes() {
    assertThrows(
        IllegalArgumentException.class, () -> Dtw.align(new double[2], 2, new double[2], 2, 2));
    assertThrows(
        IllegalArgumentException.class, () -> Dtw.align(new double[0], 0, new double[2], 1, 2));
  }

  @Test
  void thePathHasTheAlignmentsLengthAndCost() {
    long seed = 5L;
    java.util.Random rnd = new java.util.Random(seed);
    for (int trial = 0; trial < 50; trial++) {
      int n = 1 + rnd.nextInt(30);
      int m = 1 + rnd.nextInt(30);
      // Stride 3, the first 2 values compared: the third must be ignored.
      double[] a = new double[n * 3];
      double[] b = new double[m * 3];
      for (int i = 0; i < a.length; i++) {
        a[i] = rnd.nextGaussian();
      }
      for (int i = 0; i < b.length; i++) {
        b[i] = rnd.nextGaussian();
      }
      double[] a2 = new double[n * 2];
      double[] b2 = new double[m * 2];
      for (int i = 0; i < n; i++) {
        System.arraycopy(a, i * 3, a2, i * 2, 2);
      }
      for (int j = 0; j < m; j++) {
        System.arraycopy(b, j * 3, b2, j * 2, 2);
      }
      Dtw.Result r = Dtw.align(a2, n, b2, m, 2);
      int[][] path = Dtw.path(a, n, b, m, 2, 3);
      assertEquals(r.pathLength(), path.length, "seed " + seed + " trial " + trial);
      double cost = 0;
      for (int p = 0; p < path.length; p++) {
        int i = path[p][0];
        int j = path[p][1];
        if (p > 0) {
          int di = i - path[p - 1][0];
          int dj = j - path[p - 1][1];
          assertTrue(di >= 0 && dj >= 0 && di + dj >= 1 && di <= 1 && dj <= 1, "step");
        }
        cost += Math.hypot(a[i * 3] - b[j * 3], a[i * 3 + 1] - b[j * 3 + 1]);
      }
      assertEquals(0, path[0][0]);
      assertEquals(0, path[0][1]);
      assertEquals(n - 1, path[path.length - 1][0]);
      assertEquals(m - 1, path[path.length - 1][1]);
      assertEquals(r.total(), cost, 1e-12 * Math.max(1, r.total()), "seed " + seed);
    }
  }
}
