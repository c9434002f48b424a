package org.diffeomotion.trainer.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link TrainingSet#startSpacing}: a known answer, in the data's units, and its edge cases. */
class StartSpacingTest {

  /** Straight demos from the normalised starts z0 to the goal, with the given scale. */
  private static TrainingSet straight(double[] scale, double[]... starts) {
    List<Demo> demos = new ArrayList<>();
    for (double[] z0 : starts) {
      int n = 11;
      double[] s = new double[n];
      double[][] z = new double[n][2];
      for (int i = 0; i < n; i++) {
        s[i] = i / 10.0;
        for (int k = 0; k < 2; k++) {
          z[i][k] = z0[k] * (1 - s[i]);
        }
      }
      demos.add(new Demo(s, z));
    }
    return new TrainingSet(
        2,
        0,
        demos,
        List.of(),
        new double[] {0, 0},
        scale,
        1.0,
        List.of("x", "y"),
        List.of("mm", "mm"),
        "",
        "sha256:0");
  }

  @Test
  void meanNearestStartOverTheExtentInTheDataUnits() {
    // Starts (20, 0), (20, 1), (0, 10) in the data's units (x scaled by 2): nearest neighbours 1,
    // 1 and |(20, -9)|; the extent |(20, 1)|.
    TrainingSet t =
        straight(
            new double[] {2, 1}, new double[] {10, 0}, new double[] {10, 1}, new double[] {0, 10});
    double want = (1 + 1 + Math.hypot(20, 9)) / 3 / Math.hypot(20, 1);
    assertEquals(want, t.startSpacing(), 1e-12);
    assertTrue(!TrainOptions.funnelSuitsStarts(t.startSpacing()), "0.40: too far apart");
    // Close starts: the funnel applies.
    TrainingSet close =
        straight(
            new double[] {1, 1},
            new double[] {10, 0},
            new double[] {10, 0.5},
            new double[] {9.5, 0.2});
    assertTrue(close.startSpacing() < 0.06, "" + close.startSpacing());
    assertTrue(TrainOptions.funnelSuitsStarts(close.startSpacing()));
  }

  @Test
  void undefinedForOneDemo() {
    assertTrue(Double.isNaN(straight(new double[] {1, 1}, new double[] {1, 2}).startSpacing()));
  }
}
