package org.diffeomotion.trainer.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class EvaluationTest {

  @Test
  void metricsOfAConstantOffsetKnownAnswers() {
    int n = 5;
    double[] t = {0, 0.25, 0.5, 0.75, 1.0};
    double[] y = new double[2 * n];
    double[] yhat = new double[2 * n];
    for (int i = 0; i < n; i++) {
      y[2 * i] = 0.1 * i;
      y[2 * i + 1] = -0.2 * i;
      yhat[2 * i] = y[2 * i] + 0.03;
      yhat[2 * i + 1] = y[2 * i + 1] + 0.04;
    }
    double[] goal = {0.4, -0.8};
    DemoMetrics m = Evaluation.compare("d", Split.TRAIN, t, y, yhat, n, 2, goal);
    assertEquals((0.03 * 0.03 + 0.04 * 0.04) / 2, m.mse(), 1e-15);
    assertEquals(0.05, m.maxDeviation(), 1e-15);
    // The rollout ends at y[end] + (0.03, 0.04) and y[end] is the goal.
    assertEquals(0.05, m.finalGoalDistance(), 1e-15);
    assertEquals(1.0, m.duration());
    assertEquals(n, m.points());
  }

  @Test
  void perfectRolloutScoresZero() {
    double[] t = {0, 1, 2};
    double[] y = {1, 1, 0.5, 0.5, 0, 0};
    DemoMetrics m =
        Evaluation.compare("d", Split.VALIDATION, t, y, y.clone(), 3, 2, new double[] {0, 0});
    assertEquals(0.0, m.mse());
    assertEquals(0.0, m.dtw());
    assertEquals(0.0, m.maxDeviation());
    assertEquals(0.0, m.finalGoalDistance());
  }

  @Test
  void summaryAveragesPerSplit() {
    double[] t = {0, 1};
    DemoMetrics a =
        Evaluation.compare(
            "a", Split.TRAIN, t, new double[] {0, 0}, new double[] {1, 1}, 2, 1, new double[] {0});
    DemoMetrics b =
        Evaluation.compare(
            "b", Split.TRAIN, t, new double[] {0, 0}, new double[] {3, 3}, 2, 1, new double[] {0});
    DemoMetrics c =
        Evaluation.compare(
            "c",
            Split.VALIDATION,
            t,
            new double[] {0, 0},
            new double[] {2, 2},
            2,
            1,
            new double[] {0});
    Evaluation ev = new Evaluation(java.util.List.of(a, b, c));
    Evaluation.Summary s = ev.summary(Split.TRAIN);
    assertEquals(2, s.demos());
    assertEquals((1.0 + 9.0) / 2, s.mse(), 1e-15);
    assertEquals(3.0, s.maxDeviation());
    assertEquals(2.0, s.finalGoalDistance());
    assertEquals(1, ev.summary(Split.VALIDATION).demos());
    assertEquals(null, ev.summary(Split.EVALUATED));
  }
}
