package org.diffeomotion.trainer.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.diffeomotion.model.So3;
import org.diffeomotion.trainer.data.Demonstration;
import org.diffeomotion.trainer.data.DemonstrationSet;
import org.junit.jupiter.api.Test;

class PoseDemoGeneratorTest {

  @Test
  void demosTurnSixtyToOneTwentyDegreesIntoACommonGoalPose() {
    for (String name : PoseBenchmark.DEFAULT_SHAPES) {
      DemonstrationSet set = PoseDemoGenerator.generate(HandwritingBenchmark.shape(name));
      assertEquals(7, set.dimension());
      assertEquals(HandwritingBenchmark.DEMOS, set.size());
      double[] end0 = set.demo(0).states()[set.demo(0).size() - 1];
      for (int i = 0; i < set.size(); i++) {
        Demonstration d = set.demo(i);
        double[][] y = d.states();
        int n = y.length;
        double turn = Math.toDegrees(So3.angleBetween(y[0], 3, y[n - 1], 3));
        assertTrue(turn > 45 && turn < 140, name + " demo " + i + " turns " + turn + " deg");
        double endSpread = Math.toDegrees(So3.angleBetween(end0, 3, y[n - 1], 3));
        assertTrue(endSpread < 3, name + " demo " + i + " ends " + endSpread + " deg from demo 0");
        assertEquals(0, y[0][2], 1e-12, "starts in the plane z = 0");
        assertEquals(0, y[n - 1][2], 1e-12, "ends in the plane z = 0");
        double worstStep = 0;
        for (int j = 0; j < n; j++) {
          assertEquals(1, So3.norm(y[j], 3), 1e-12, "unit quaternion");
          if (j > 0) {
            worstStep = Math.max(worstStep, So3.angleBetween(y[j - 1], 3, y[j], 3));
          }
        }
        assertTrue(
            Math.toDegrees(worstStep) < 2,
            name + " demo " + i + ": the orientation jumps " + worstStep);
      }
    }
  }

  @Test
  void generationIsDeterministic() {
    DemonstrationSet a = PoseDemoGenerator.generate(HandwritingBenchmark.shape("S"));
    DemonstrationSet b = PoseDemoGenerator.generate(HandwritingBenchmark.shape("S"));
    assertEquals(a.sha256(), b.sha256());
  }

  @Test
  void errorsOfADemoAgainstItselfAreZeroAndOfTheReferenceAreNot() {
    DemonstrationSet set = PoseDemoGenerator.generate(HandwritingBenchmark.shape("C"));
    Demonstration d = set.demo(2);
    double[] own = new double[7 * d.size()];
    for (int j = 0; j < d.size(); j++) {
      System.arraycopy(d.states()[j], 0, own, 7 * j, 7);
    }
    PoseBenchmark.Errors self = PoseBenchmark.errors(own, d);
    assertEquals(0, self.dtwMm(), 0);
    assertEquals(0, self.maxDeg(), 1e-6);
    double[] ref =
        PoseBenchmark.reference(List.of(set.demo(0), set.demo(1), set.demo(3)), d.size());
    PoseBenchmark.Errors e = PoseBenchmark.errors(ref, d);
    assertTrue(e.dtwMm() > 0.1 && e.dtwMm() < 10, "reference DTW " + e.dtwMm() + " mm");
    assertTrue(e.meanDeg() > 0.1 && e.meanDeg() < 20, "reference orientation " + e.meanDeg());
  }
}
