package org.diffeomotion.trainer.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.diffeomotion.trainer.data.Demonstration;
import org.diffeomotion.trainer.data.DemonstrationSet;
import org.junit.jupiter.api.Test;

/** Known answers of the geometry, the time law and the statistics the benchmark is checked with. */
class GeometryTest {

  @Test
  void crossingsAreFoundAndTouchesShowAsSmallClearance() {
    // An alpha loop: crosses itself between segments 0 and 3.
    double[] loop = {0, 0, 10, 10, 10, 5, 0, 10};
    assertArrayEquals(new int[] {0, 2}, Crossings.selfCrossing(loop, 4));
    // A spiral that never crosses; many points, so the block pre-test is exercised.
    int n = 2000;
    double[] spiral = new double[2 * n];
    for (int i = 0; i < n; i++) {
      double a = 0.02 * i;
      spiral[2 * i] = (1 + a) * Math.cos(a);
      spiral[2 * i + 1] = (1 + a) * Math.sin(a);
    }
    assertNull(Crossings.selfCrossing(spiral, n));
    // The same spiral with its end pulled back through an earlier turn crosses.
    spiral[2 * (n - 1)] = 0;
    spiral[2 * (n - 1) + 1] = 0;
    assertNotNull(Crossings.selfCrossing(spiral, n));
    // A T-junction: the path ends on its own first segment; no proper crossing, clearance 0.
    double[] tee = {0, 0, 20, 0, 20, 10, 10, 10, 10, 0};
    Curve t =
        new Curve(new double[] {0, 20, 20, 10, 10}, new double[] {0, 0, 10, 10, 0}).resampled(0.1);
    assertNull(Crossings.selfCrossing(tee, 5));
    assertEquals(0.0, Crossings.clearance(t.interleaved(), t.size(), 10.0), 1e-9);
    // Two parallel lines 3 apart: their clearance from each other is 3, no crossing.
    double[] a = {0, 0, 10, 0};
    double[] b = {0, 3, 10, 3};
    double[] c = {5, -1, 5, 1};
    assertNull(Crossings.crossing(a, 2, b, 2));
    assertNotNull(Crossings.crossing(a, 2, c, 2));
  }

  @Test
  void smoothingKeepsTheEndsAndRoundsCornersWithAboutSigma() {
    // An L of two 20-unit legs.
    Curve l = new Curve(new double[] {0, 0, 20}, new double[] {20, 0, 0}).resampled(0.05);
    Curve s = l.smoothed(1.0);
    assertEquals(0.0, s.x(0));
    assertEquals(20.0, s.y(0));
    assertEquals(20.0, s.x(s.size() - 1));
    assertEquals(0.0, s.y(s.size() - 1));
    // The corner is cut: the nearest point to (0, 0) moves inside by ~ sigma * 0.4 per axis.
    double best = Double.POSITIVE_INFINITY;
    for (int i = 0; i < s.size(); i++) {
      best = Math.min(best, Math.hypot(s.x(i), s.y(i)));
    }
    assertTrue(best > 0.3 && best < 1.5, "corner cut by " + best);
    // Away from the corner the legs are still straight.
    double[] k = s.resampled(0.05).curvature(1.0);
    assertEquals(0.0, k[40], 1e-9);
    double max = 0;
    for (double v : k) {
      max = Math.max(max, v);
    }
    assertTrue(max > 0.4 && max < 2.5, "corner curvature " + max + " ~ 1/sigma");
  }

  @Test
  void timeLawIsFlatInTheMiddleStartsAtBAndStopsAtTheEnd() {
    TimeLaw law = new TimeLaw(0.02, 0.055, 1.9, 0.074, 0.9);
    assertEquals(0.02, law.speed(0), 1e-4);
    assertEquals(0.0, law.speed(1));
    assertEquals(1.0, law.speed(0.5), 0.01);
    double[] c = law.cumulativeShare(1001);
    assertEquals(0.0, c[0]);
    assertEquals(1.0, c[1000]);
    for (int j = 1; j < c.length; j++) {
      assertTrue(c[j] > c[j - 1]);
    }
    // Much flatter than minimum jerk (which has 0.9 % at u = 0.1).
    assertTrue(c[100] > 0.05 && c[100] < 0.09, "share at 10 %: " + c[100]);
    assertEquals(0.5, c[500], 0.04);
    // Constant speed: the share is the time (up to the step to 0 at u = 1, which Simpson's
    // rule spreads over the last sub-interval, 1/80 here).
    TimeLaw flat = new TimeLaw(0.999999, 1e-3, 1, 1e-9, 1);
    double[] f = flat.cumulativeShare(11);
    for (int j = 0; j <= 10; j++) {
      assertEquals(j / 10.0, f[j], 5e-3);
    }
  }

  @Test
  void standardScoresHaveExactMeanAndStandardDeviation() {
    double[] z = DemoGenerator.standardScores(7, new Random(3));
    double mean = 0;
    for (double v : z) {
      mean += v / 7;
    }
    double ss = 0;
    for (double v : z) {
      ss += (v - mean) * (v - mean);
    }
    assertEquals(0.0, mean, 1e-12);
    assertEquals(1.0, Math.sqrt(ss / 6), 1e-12);
    assertEquals(1.959963985, DemoGenerator.normalQuantile(0.975), 1e-8);
    assertEquals(-1.644853627, DemoGenerator.normalQuantile(0.05), 1e-8);
  }

  @Test
  void statisticsOfConstantSpeedLinesAreKnown() throws Exception {
    // Demos along the x axis into the goal (0, 0) at constant speed: the path share is the
    // time share, start and end speed equal the peak, and the starts are 10 +/- 1 apart.
    List<Demonstration> demos = new ArrayList<>();
    double[] starts = {-50, -49, -51, -50, -49, -51, -50};
    double[] durations = {2, 2.2, 1.8, 2, 2.2, 1.8, 2};
    for (int i = 0; i < 7; i++) {
      int n = 101;
      double[] t = new double[n];
      double[][] y = new double[n][];
      for (int j = 0; j < n; j++) {
        t[j] = durations[i] * j / (n - 1);
        y[j] = new double[] {starts[i] * (1 - j / (double) (n - 1)), 0};
      }
      demos.add(new Demonstration("d" + i, "test", t, y));
    }
    DemonstrationSet set =
        DemonstrationSet.of(demos, List.of("x", "y"), List.of("mm", "mm"), "", "test");
    DemoSetStatistics st = DemoSetStatistics.of(set, null, List.of(0, 1, 3, 5, 6), List.of(2, 4));
    assertEquals(50.0, st.extent(), 1e-9);
    assertArrayEquals(new double[] {0.1, 0.2, 0.5, 0.8, 0.9}, st.pathShare(), 1e-9);
    assertEquals(1.0, st.startSpeed(), 1e-9);
    assertEquals(1.0, st.endSpeed(), 1e-9);
    assertEquals(2.0, st.durationMean(), 1e-12);
    assertEquals(Math.sqrt(4 * 0.04 / 6) / 2, st.durationCv(), 1e-12);
    assertEquals(Math.sqrt(4.0 / 7) / 50, st.startSpread(), 1e-12);
    assertEquals(0, st.selfCrossings());
    // A straight line never comes back: samples 10 apart along it are 10 apart (up to a step).
    assertTrue(
        st.minClearance() >= 10 && st.minClearance() < 10.6, "clearance " + st.minClearance());
  }
}
