package org.diffeomotion.model.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.diffeomotion.model.Seeds;
import org.junit.jupiter.api.Test;

/** The vectorized kernels against the scalar reference, including edge arguments. */
class KernelsTest {
  private final Kernels vec = Kernels.named("vector");
  private final Kernels ref = Kernels.scalar();

  @Test
  void tanhIsAccurateOverTheWholeRangeAndAtEdges() {
    int n = 200_001;
    double[] a = new double[n + 9];
    for (int i = 0; i < n; i++) {
      a[i] = -30 + 60.0 * i / (n - 1);
    }
    double[] edges = {0.0, -0.0, 1e-300, -1e-300, 1e-8, 19.06, 20, 1e300, -1e300};
    System.arraycopy(edges, 0, a, n, edges.length);
    double[] v = a.clone();
    vec.tanh(v, 0, v.length);
    double worstRel = 0;
    double worstAbs = 0;
    for (int i = 0; i < a.length; i++) {
      double want = Math.tanh(a[i]);
      double abs = Math.abs(v[i] - want);
      worstAbs = Math.max(worstAbs, abs);
      if (want != 0) {
        worstRel = Math.max(worstRel, abs / Math.abs(want));
      }
    }
    assertTrue(worstRel < 4e-15, "relative error " + worstRel);
    assertEquals(1.0, v[n + 7], 0.0);
    assertEquals(-1.0, v[n + 8], 0.0);
    double[] nan = new double[16];
    java.util.Arrays.fill(nan, Double.NaN);
    vec.tanh(nan, 0, 16);
    assertTrue(Double.isNaN(nan[3]), "NaN must stay NaN (so the evaluators can report it)");
  }

  @Test
  void denseMatchesTheReferenceForEveryShape() {
    long seed = Seeds.base("dense");
    Random rnd = new Random(seed);
    int[][] shapes = {{1, 64}, {64, 2}, {3, 5}, {17, 9}, {8, 8}, {64, 64}};
    for (int[] sh : shapes) {
      for (int points : new int[] {1, 2, 7, 8, 9, 64}) {
        int in = sh[0];
        int out = sh[1];
        double[] w = gaussian(rnd, in * out);
        double[] b = gaussian(rnd, out);
        int xOff = 3;
        double[] x = gaussian(rnd, xOff + in * points);
        for (boolean withBias : new boolean[] {true, false}) {
          double[] y1 = new double[2 + out * points];
          double[] y2 = new double[2 + out * points];
          ref.dense(w, withBias ? b : null, out, in, x, xOff, points, y1, 2);
          vec.dense(w, withBias ? b : null, out, in, x, xOff, points, y2, 2);
          for (int i = 0; i < y1.length; i++) {
            assertEquals(
                y1[i],
                y2[i],
                1e-13 * Math.max(1, Math.abs(y1[i])),
                "in=" + in + " out=" + out + " points=" + points + " at " + i);
          }
        }
        double[] t1 = new double[out * points];
        double[] t2 = new double[out * points];
        ref.denseTanh(w, b, out, in, x, xOff, points, t1, 0);
        vec.denseTanh(w, b, out, in, x, xOff, points, t2, 0);
        for (int i = 0; i < t1.length; i++) {
          assertEquals(t1[i], t2[i], 1e-14, "denseTanh in=" + in + " out=" + out + " at " + i);
        }
      }
    }
  }

  @Test
  void expAndSinCosMatchTheReference() {
    long seed = Seeds.base("expSinCos");
    Random rnd = new Random(seed);
    double[] a = gaussian(rnd, 1001);
    for (int i = 0; i < a.length; i++) {
      a[i] *= 5;
    }
    double[] e1 = a.clone();
    double[] e2 = a.clone();
    ref.exp(e1, 0, a.length);
    vec.exp(e2, 0, a.length);
    double[] s1 = new double[a.length];
    double[] c1 = new double[a.length];
    double[] s2 = new double[a.length];
    double[] c2 = new double[a.length];
    ref.sinCos(a, s1, c1, a.length);
    vec.sinCos(a, s2, c2, a.length);
    for (int i = 0; i < a.length; i++) {
      assertEquals(e1[i], e2[i], 4e-16 * e1[i]);
      assertEquals(s1[i], s2[i], 4e-16);
      assertEquals(c1[i], c2[i], 4e-16);
    }
  }

  private static double[] gaussian(Random rnd, int n) {
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = rnd.nextGaussian();
    }
    return a;
  }
}
