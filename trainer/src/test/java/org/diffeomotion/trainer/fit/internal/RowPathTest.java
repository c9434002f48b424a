package org.diffeomotion.trainer.fit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The plain-Java row path (RowLoss) against the batched ND4J pass: the same loss, gradient and
 * predictions on random models (every parameter random, so the inverse pass, c = F(0) and the
 * base's modes all carry gradient), at sizes on both sides of the AUTO crossover.
 */
class RowPathTest {

  /**
   * AUTO's limit: without a bound for the vector kernels on the CPU backend (measured 3x faster
   * than the batched pass from 100 to 8000 points, LossPathBench), 1000 points for the scalar ones.
   */
  @org.junit.jupiter.api.Test
  void theAutoPathUsesRowsAtEverySizeWithTheVectorKernelsOnTheCpu() {
    // (On a GPU backend the batched pass keeps every size above the limit.)
    boolean cpu =
        org.nd4j.linalg.factory.Nd4j.getBackend()
            .getClass()
            .getSimpleName()
            .toLowerCase()
            .contains("cpu");
    assertEquals(
        cpu ? Integer.MAX_VALUE : FlowEngine.ROW_PATH_MAX_POINTS,
        FlowEngine.rowPathMaxPoints(RowKernels.named("vector")));
    assertEquals(FlowEngine.ROW_PATH_MAX_POINTS, FlowEngine.rowPathMaxPoints(RowKernels.scalar()));
    assertEquals(1000, FlowEngine.ROW_PATH_MAX_POINTS);
  }

  @ParameterizedTest(name = "d={0} a={1} hidden={2} points/demo={3} seed={4} funnel={5}")
  @CsvSource({
    "2, 0, 1, 12, 41, false",
    "3, 1, 2, 9, 42, false",
    "1, 1, 1, 7, 43, false",
    "2, 0, 1, 700, 44, false",
    "2, 0, 1, 12, 45, true",
    "2, 0, 2, 9, 46, true"
  })
  void rowPathEqualsTheBatchedPass(int d, int a, int hidden, int n, long seed, boolean funnel) {
    SplittableRandom rng = new SplittableRandom(seed);
    FlowLayout lay = new FlowLayout(d, a, 4, 16, hidden, 0.05, 2.0, seed, funnel);
    List<double[]> s = new ArrayList<>();
    List<double[][]> z = new ArrayList<>();
    for (int j = 0; j < 4; j++) {
      int nj = n + j;
      double[] sj = new double[nj];
      double[][] zj = new double[nj][d];
      for (int i = 0; i < nj; i++) {
        sj[i] = i * 3.0 / nj;
        for (int c = 0; c < d; c++) {
          zj[i][c] = rng.nextDouble(-1.5, 1.5);
        }
      }
      s.add(sj);
      z.add(zj);
    }
    FlowEngine rows = new FlowEngine(lay, s, z, s, z);
    FlowEngine batched = new FlowEngine(lay, s, z, s, z);
    rows.usePath(FlowEngine.Path.ROWS);
    batched.usePath(FlowEngine.Path.BATCHED);
    double[] th = new double[lay.size];
    for (int i = 0; i < th.length; i++) {
      th[i] = 0.5 * rng.nextDouble(-1, 1);
    }
    for (int j = 0; j < lay.modes; j++) {
      th[lay.pOffset + j] = 0.8 + 0.3 * rng.nextDouble();
    }
    rows.setParameterValues(th);
    batched.setParameterValues(th);

    double lr = rows.lossAndGradient();
    double lb = batched.lossAndGradient();
    assertTrue(lb > 1e-3, "the loss is not trivial: " + lb);
    assertEquals(lb, lr, 1e-12 * lb, "seed " + seed + ": loss");
    double[] gr = rows.gradient().toDoubleVector();
    double[] gb = batched.gradient().toDoubleVector();
    double worst = 0;
    double scale = 0;
    for (int i = 0; i < gr.length; i++) {
      worst = Math.max(worst, Math.abs(gr[i] - gb[i]));
      scale = Math.max(scale, Math.abs(gb[i]));
    }
    assertTrue(scale > 1e-6, "the gradient does not vanish");
    assertTrue(worst < 1e-11 * scale, "seed " + seed + ": gradient differs by " + worst / scale);
    assertEquals(batched.gradientNorm(), rows.gradientNorm(), 1e-11 * batched.gradientNorm());
    assertEquals(batched.validationLoss(), rows.validationLoss(), 1e-12 * lb);

    double[][][] pr = rows.predictions(false);
    double[][][] pb = batched.predictions(false);
    for (int j = 0; j < pr.length; j++) {
      for (int i = 0; i < pr[j].length; i++) {
        for (int k = 0; k < d; k++) {
          assertEquals(pb[j][i][k], pr[j][i][k], 1e-12 * Math.max(1, Math.abs(pb[j][i][k])));
        }
      }
    }
  }
}
