package org.diffeomotion.trainer.fit.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The batched ND4J predictions against the plain-Java scalar reference (ScalarFlow for F and F^-1,
 * the base in closed form per point), with every parameter random.
 */
class BatchedVsScalarTest {

  @ParameterizedTest(name = "d={0} a={1} hidden={2} seed={3}")
  @CsvSource({"2, 0, 1, 31", "3, 1, 2, 32", "1, 1, 1, 33"})
  void batchedPredictionsEqualTheScalarReference(int d, int a, int hidden, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    FlowLayout lay = new FlowLayout(d, a, 4, 16, hidden, 0.05, 2.0, seed);
    List<double[]> s = new ArrayList<>();
    List<double[][]> z = new ArrayList<>();
    for (int j = 0; j < 4; j++) {
      int n = 10 + 3 * j;
      double[] sj = new double[n];
      double[][] zj = new double[n][d];
      for (int i = 0; i < n; i++) {
        sj[i] = i * 0.1;
        for (int c = 0; c < d; c++) {
          zj[i][c] = rng.nextDouble(-1.5, 1.5);
        }
      }
      s.add(sj);
      z.add(zj);
    }
    FlowEngine f = new FlowEngine(lay, s, z, List.of(), List.of());
    double[] th = FlowEngine.initialParameters(lay, seed, 3.0, 2.0);
    for (int i = 0; i < lay.pOffset; i++) {
      th[i] += 0.3 * rng.nextDouble(-1, 1);
    }
    f.setParameterValues(th);
    double[][][] pred = f.predictions(false);

    ScalarFlow sf = new ScalarFlow(lay);
    ScalarFlow.Pass cp = new ScalarFlow.Pass(lay, 1);
    sf.forward(th, cp);
    double[] c = cp.state[lay.blocks][0];
    double worst = 0;
    for (int j = 0; j < s.size(); j++) {
      int n = s.get(j).length;
      ScalarFlow.Pass start = new ScalarFlow.Pass(lay, 1);
      for (int i = 0; i < lay.dim; i++) {
        start.state[lay.blocks][0][i] = (i < d ? z.get(j)[0][i] : 0.0) + c[i];
      }
      sf.inverse(th, start);
      double[] x0 = start.state[0][0];
      ScalarFlow.Pass pts = new ScalarFlow.Pass(lay, n);
      for (int i = 0; i < n; i++) {
        base(lay, th, x0, s.get(j)[i], pts.state[0][i]);
      }
      sf.forward(th, pts);
      for (int i = 0; i < n; i++) {
        for (int k = 0; k < d; k++) {
          double ref = pts.state[lay.blocks][i][k] - c[k];
          worst = Math.max(worst, Math.abs(ref - pred[j][i][k]) / Math.max(1.0, Math.abs(ref)));
        }
      }
    }
    assertTrue(worst < 1e-12, "seed " + seed + ": batched vs scalar: " + worst);
  }

  /** exp(A s) x0, mode by mode. */
  private static void base(FlowLayout lay, double[] th, double[] x0, double s, double[] out) {
    for (int j = 0; j < lay.modes; j++) {
      int k = lay.modeStart(j);
      double p = th[lay.pOffset + j];
      double e = Math.exp(-(p * p + lay.epsilon) * s);
      if (lay.isOscillatory(j)) {
        double w = th[lay.omegaOffset + j] * s;
        out[k] = e * (Math.cos(w) * x0[k] - Math.sin(w) * x0[k + 1]);
        out[k + 1] = e * (Math.sin(w) * x0[k] + Math.cos(w) * x0[k + 1]);
      } else {
        out[k] = e * x0[k];
      }
    }
  }
}
