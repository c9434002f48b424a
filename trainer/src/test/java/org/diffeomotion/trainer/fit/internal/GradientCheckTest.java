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

  @ParameterizedTest(
      name = "d={0} a={1} blocks={2} hidden={3} seed={4} {5} funnel={6} far field={7}")
  @CsvSource({
    "2, 0, 3, 1, 11, ROWS, false, false",
    "2, 1, 2, 2, 12, ROWS, false, false",
    "3, 0, 2, 1, 13, ROWS, false, false",
    "2, 0, 0, 1, 14, ROWS, false, false",
    "2, 0, 3, 1, 15, ROWS, true, false",
    "2, 0, 3, 1, 11, BATCHED, false, false",
    "2, 1, 2, 2, 12, BATCHED, false, false",
    "3, 0, 2, 1, 13, BATCHED, false, false",
    "2, 0, 0, 1, 14, BATCHED, false, false",
    "2, 0, 3, 1, 15, BATCHED, true, false",
    "2, 0, 3, 1, 16, ROWS, false, true",
    "2, 1, 2, 2, 17, BATCHED, false, true",
    "3, 0, 2, 1, 18, ROWS, false, true",
    "2, 0, 3, 1, 19, BATCHED, true, true",
    "3, 0, 2, 1, 20, ROWS, true, true",
    "3, 0, 2, 1, 21, BATCHED, true, false",
    "6, 0, 2, 1, 22, ROWS, true, true",
  })
  void analyticGradientMatchesFiniteDifferences(
      int d,
      int a,
      int blocks,
      int hidden,
      long seed,
      FlowEngine.Path path,
      boolean funnel,
      boolean farField) {
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
    if (farField) {
      // 6 far starts in 2 groups; reaches of a third of the start's distance and less, so that
      // most rollout points are beyond them (the hinge acts) and some are not.
      double[][] far = new double[6][d];
      double[] reach = new double[6];
      for (int j = 0; j < far.length; j++) {
        double r2 = 0;
        for (int c = 0; c < d; c++) {
          far[j][c] = rng.nextDouble(-2, 2);
          r2 += far[j][c] * far[j][c];
        }
        reach[j] = Math.sqrt(r2) * (j % 3) / 6.0;
      }
      f.setFarField(far, new double[] {0.1, 0.4, 0.9}, reach, 2, 0.7);
      f.selectFarGroup(3);
      double reachOnly = f.farFieldLoss();
      assertTrue(reachOnly > 0, "the hinge acts");
      // speeds here are ~|A x| ~ 1: a cap of 0.5 is exceeded by most pairs
      f.setFarSpeed(far, new double[] {0, 0.2, 0.5}, 0.05, 0.5);
      assertTrue(f.farFieldLoss() > reachOnly, "the speed hinge acts");
    }
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

  /**
   * The far-field hinges cost nothing where the rollouts stay within reach: with reaches beyond
   * anywhere the tiny model's rollouts go and a speed cap above any speed, loss and gradient are
   * bit-identical to the engine's without the term (the hinge is not a pull towards the goal).
   */
  @org.junit.jupiter.api.Test
  void farFieldWithinReachChangesNothing() {
    long seed = 21;
    SplittableRandom rng = new SplittableRandom(seed);
    FlowLayout lay = new FlowLayout(2, 0, 3, 5, 1, 0.05, 1.5, seed, false);
    List<double[]> s = new ArrayList<>();
    List<double[][]> z = new ArrayList<>();
    for (int j = 0; j < 3; j++) {
      double[] sj = {0, 0.3, 0.6, 0.9};
      double[][] zj = new double[4][2];
      for (double[] row : zj) {
        row[0] = rng.nextDouble(-1, 1);
        row[1] = rng.nextDouble(-1, 1);
      }
      s.add(sj);
      z.add(zj);
    }
    double[] theta = new double[lay.size];
    for (int i = 0; i < theta.length; i++) {
      theta[i] = 0.4 * rng.nextDouble(-1, 1);
    }
    FlowEngine plain = new FlowEngine(lay, s, z, List.of(), List.of());
    FlowEngine far = new FlowEngine(lay, s, z, List.of(), List.of());
    plain.setParameterValues(theta);
    far.setParameterValues(theta);
    double[][] starts = {{2, 2}, {-2, 1}, {0, -2}};
    far.setFarField(starts, new double[] {0.2, 1, 3}, new double[] {1e3, 1e3, 1e3}, 2, 5.0);
    far.setFarSpeed(starts, new double[] {0, 0.2}, 0.01, 1e6);
    for (long it = 0; it < 2; it++) {
      far.selectFarGroup(it);
      assertEquals(0.0, far.farFieldLoss());
      assertEquals(plain.lossAndGradient(), far.lossAndGradient());
      org.junit.jupiter.api.Assertions.assertArrayEquals(
          plain.gradient().toDoubleVector(), far.gradient().toDoubleVector());
    }
  }

  private static double lossAt(FlowEngine f, double[] theta, int i, double delta) {
    double[] t = theta.clone();
    t[i] = theta[i] + delta;
    f.setParameterValues(t);
    return f.loss() + f.farFieldLoss();
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
