package org.diffeomotion.trainer.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PoseMetricsTest {

  /** n states along a line, turning about x by 0..1 rad. */
  private static double[] demo(int n) {
    double[] y = new double[n * 6];
    for (int j = 0; j < n; j++) {
      double s = j / (n - 1.0);
      y[j * 6] = 0.3 * s;
      y[j * 6 + 1] = -0.1 * s;
      y[j * 6 + 3] = 1.0 - s;
    }
    return y;
  }

  @Test
  void identicalCurvesHaveNoError() {
    double[] y = demo(20);
    PoseMetrics m = PoseMetrics.of(y, 20, y, 20);
    assertEquals(0.0, m.positionDtw());
    assertEquals(0.0, m.orientationMean());
    assertEquals(0.0, m.orientationMax());
  }

  @Test
  void aConstantExtraTurnAboutTheSameAxisIsTheOrientationError() {
    double[] y = demo(20);
    double[] turned = y.clone();
    for (int j = 0; j < 20; j++) {
      turned[j * 6 + 3] += Math.toRadians(10);
      turned[j * 6 + 2] += 0.004; // 4 mm higher: the position DTW, the same pairs matched
    }
    PoseMetrics m = PoseMetrics.of(turned, 20, y, 20);
    assertEquals(0.004, m.positionDtw(), 1e-15);
    assertEquals(Math.toRadians(10), m.orientationMean(), 1e-14);
    assertEquals(Math.toRadians(10), m.orientationMax(), 1e-14);
  }
}
