package org.diffeomotion.trainer.fit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The explicit reverse-mode gradient against central finite differences, in double precision, on
 * tiny models with every parameter randomised (last layers included, so that every path - forward
 * pass, inverse pass, c = F(0), the base modes - carries gradient).
 */
class GradientCheckTest {

  @ParameterizedTest(name = "d={0} a={1} blocks={2} hidden={3} seed={4} {5} funnel={6}")
  @CsvSource({
    "2, 0, 3, 1, 11, ROWS, false",
    "2, 1, 2, 2, 12, ROWS, false",
    "3, 0, 2, 1, 13, ROWS, false",
    "2, 0, 0, 1, 14, ROWS, false",
    "2, 0, 3, 1, 15, ROWS, true",
    "2, 0, 3, 1, 11, BATCHED, false",
    "2, 1, 2, 2, 12, BATCHED, false",
    "3, 0, 2, 1, 13, BATCHED, false",
    "2, 0, 0, 1, 14, BATCHED, false",
    "2, 0, 3, 1, 15, BATCHED, true",
  })
  void analyticGradientMatchesFiniteDifferences(
      int d, int a, int blocks, int hidden, long seed, FlowEngine.Path path, boolean funnel) {
    SplittableRandom rng = new SplittableRandom(seed);
    FlowLayout lay = new FlowLayout(d, a, blocks, 5, hidden, 0.05, 1.5, seed, funnel);
    assertEquals(funnel, lay.isFunnel());
    List<double[]> s = new ArrayList<>();
    List<double[][]> z = new ArrayList<>();
    for (int j = 0; j < 3; j++) {
      int n = 4 + j;
      double[] sj = new double[n];
      double[][] zj = new double[n][d];
      for (int i = 0; i < n; i++) {
        sj[i] = i * 0.3;
        for (int c = 0; c < d; c++) {
          zj[i][c] = rng.nextDouble(-1, 1);
        }
      }
      s.add(sj);
      z.add(zj);
    }
    FlowEngine f = new FlowEngine(lay, s, z, List.of(), List.of());
    f.usePath(path);
    double[] theta = new double[lay.size];
    for (int i = 0; i < theta.length; i++) {
      theta[i] = 0.4 * rng.nextDouble(-1, 1);
    }
    for (int j = 0; j < lay.modes; j++) {
      theta[lay.pOffset + j] = 0.8 + 0.3 * rng.nextDouble();
    }
    f.setParameterValues(theta);
    f.lossAndGradient();
    double[] g = f.gradient().toDoubleVector();

    // Fourth-order central differences: truncation ~h^4, round-off ~1e-16 * loss / h.
    double h = 1e-4;
    double[] fd = new double[theta.length];
    for (int i = 0; i < theta.length; i++) {
      double lp1 = lossAt(f, theta, i, h);
      double lm1 = lossAt(f, theta, i, -h);
      double lp2 = lossAt(f, theta, i, 2 * h);
      double lm2 = lossAt(f, theta, i, -2 * h);
      fd[i] = (8 * (lp1 - lm1) - (lp2 - lm2)) / (12 * h);
    }
    Map<String, int[]> groups = groups(lay);
    for (Map.Entry<String, int[]> e : groups.entrySet()) {
      double num = 0;
      double den = 0;
      for (int i : e.getValue()) {
        num += (g[i] - fd[i]) * (g[i] - fd[i]);
        den = Math.max(den, Math.max(Math.abs(g[i]), Math.abs(fd[i])));
      }
      double rel = Math.sqrt(num) / Math.max(den, 1e-12);
      assertTrue(
          den > 1e-8,
          "seed " + seed + ": " + e.getKey() + ": gradient vanishes, the check would be vacuous");
      assertTrue(rel < 1e-6, "seed " + seed + ": " + e.getKey() + ": relative error " + rel);
    }
  }

  private static double lossAt(FlowEngine f, double[] theta, int i, double delta) {
    double[] t = theta.clone();
    t[i] = theta[i] + delta;
    f.setParameterValues(t);
    return f.loss();
  }

  /** Parameter groups: per net and layer kind over all blocks, and the two mode parameters. */
  private static Map<String, int[]> groups(FlowLayout lay) {
    Map<String, List<Integer>> m = new LinkedHashMap<>();
    for (int k = 0; k < lay.blocks; k++) {
      for (int net = 0; net < 2; net++) {
        FlowLayout.Dense[] layers = net == 0 ? lay.netA[k] : lay.netB[k];
        for (int l = 0; l < layers.length; l++) {
          String kind =
              (net == 0 ? "net_a" : "net_b") + (l == layers.length - 1 ? ".last" : ".hidden" + l);
          FlowLayout.Dense dl = layers[l];
          for (int i = 0; i < dl.in() * dl.out(); i++) {
            m.computeIfAbsent("block" + k + "." + kind + ".W", x -> new ArrayList<>())
                .add(dl.weightOffset() + i);
          }
          for (int i = 0; i < dl.out(); i++) {
            m.computeIfAbsent("block" + k + "." + kind + ".b", x -> new ArrayList<>())
                .add(dl.biasOffset() + i);
          }
        }
      }
    }
    for (int j = 0; j < lay.modes; j++) {
      m.computeIfAbsent("modes.p", x -> new ArrayList<>()).add(lay.pOffset + j);
    }
    for (int j = 0; j < lay.oscillatoryModes; j++) {
      m.computeIfAbsent("modes.omega", x -> new ArrayList<>()).add(lay.omegaOffset + j);
    }
    Map<String, int[]> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
    return out;
  }
}
