package org.diffeomotion.trainer.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.diffeomotion.trainer.data.Demonstration;
import org.diffeomotion.trainer.eval.Dtw;
import org.junit.jupiter.api.Test;

class GeneratorOracleTest {
  private static final GeneratorParameters P = GeneratorParameters.DEFAULTS;

  @Test
  void conditioningOnTheStartBeatsTheUnconditionedMeanAndStartsAtTheStart() {
    BenchmarkShape shape = HandwritingBenchmark.shape("S");
    AccuracyBenchmark.Case cs = AccuracyBenchmark.Case.of(shape);
    Demonstration held = cs.set().demo(2);
    GeneratorOracle.Estimate e = GeneratorOracle.estimate(shape, P, held, 0, 600, 7);
    double[] y = Reference.rowMajor(held);
    double startGap = Math.hypot(e.conditionalMean()[0] - y[0], e.conditionalMean()[1] - y[1]);
    assertTrue(
        startGap < 3 * e.bandwidth(),
        "conditional mean starts " + startGap + " mm from the held-out start");
    assertTrue(e.effective() >= GeneratorOracle.MIN_EFFECTIVE, "effective " + e.effective());

    // The same draws, unweighted: the generator's mean path, which ignores the start.
    DemoGenerator.ShapeDraws sd = DemoGenerator.ShapeDraws.of(shape, P);
    Curve nominal = DemoGenerator.nominalPaths(shape, P).get(0);
    Random rnd = new Random(DemoGenerator.scramble(7));
    double[] mean = new double[2 * GeneratorOracle.POINTS];
    for (int k = 0; k < 600; k++) {
      double[] a =
          GeneratorOracle.atEqualFractions(
              DemoGenerator.drawPath(nominal, sd.startSpread(), sd.variability(), P, rnd));
      for (int i = 0; i < a.length; i++) {
        mean[i] += a[i] / 600;
      }
    }
    int n = held.size();
    double[] timed = GeneratorOracle.atFractions(mean, GeneratorOracle.arcFractions(y, n));
    double unconditioned = Dtw.align(timed, n, y, n, 2).normalised();
    assertTrue(
        e.conditionalMeanDtw() < 0.85 * unconditioned,
        "conditional " + e.conditionalMeanDtw() + " mm vs unconditioned " + unconditioned + " mm");
    assertTrue(e.floorDtw() > 0 && e.floorDtw() < unconditioned, "floor " + e.floorDtw());
  }

  @Test
  void deterministicAndRefusesTooFewDraws() {
    BenchmarkShape shape = HandwritingBenchmark.shape("C");
    Demonstration held = AccuracyBenchmark.Case.of(shape).set().demo(4);
    GeneratorOracle.Estimate a = GeneratorOracle.estimate(shape, P, held, 0, 200, 3);
    GeneratorOracle.Estimate b = GeneratorOracle.estimate(shape, P, held, 0, 200, 3);
    assertArrayEquals(a.conditionalMean(), b.conditionalMean());
    assertTrue(a.floorDtw() == b.floorDtw());
    IllegalArgumentException ex =
        assertThrows(
            IllegalArgumentException.class,
            () -> GeneratorOracle.estimate(shape, P, held, 0, 50, 3));
    assertTrue(ex.getMessage().contains("draws"), ex.getMessage());
  }
}
