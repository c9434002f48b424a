package org.diffeomotion.trainer.fit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The vector kernels against the scalar reference, one dense layer at a time, on every shape class
 * the vector code distinguishes: one input (planar nets' first layer), inputs narrower than a
 * vector (3-D and pose nets), inputs of a vector or more with and without a tail, outputs with and
 * without a tail. Seeded; the seed is in every message. The gradient checks (GradientCheckTest) run
 * with the best kernels, so the vector reverse mode is also checked against finite differences
 * there.
 */
class RowKernelsTest {
  private static final long SEED = 20261207L;

  /** Relative to max(1, |reference|): sums of at most 67 terms of size ~1, reordered and fused. */
  private static final double TOLERANCE = 1e-13;

  @Test
  void vectorKernelsComputeTheScalarLayersAndTheirReverseMode() {
    RowKernels vector = RowKernels.named("vector");
    RowKernels scalar = RowKernels.scalar();
    assertEquals("vector", vector.name());
    assertEquals("scalar", scalar.name());
    SplittableRandom rng = new SplittableRandom(SEED);
    int[] ins = {1, 2, 3, 7, 8, 9, 13, 64, 67};
    int[] outs = {1, 2, 3, 6, 8, 64, 67};
    int cases = 0;
    for (int in : ins) {
      for (int out : outs) {
        for (boolean squash : new boolean[] {false, true}) {
          // Parameters at an offset, as in the flat layout; garbage around them must not be read.
          int wo = 5;
          int bo = wo + in * out + 3;
          double[] th = new double[bo + out + 4];
          for (int i = 0; i < th.length; i++) {
            th[i] = rng.nextGaussian() * 2;
          }
          FlowLayout.Dense d = new FlowLayout.Dense(in, out, wo, bo);
          double[] h = new double[in];
          for (int i = 0; i < in; i++) {
            h[i] = squash ? Math.tanh(rng.nextGaussian()) : rng.nextGaussian() * 3;
          }
          String what =
              "seed " + SEED + ", in " + in + ", out " + out + (squash ? ", squashed" : ", linear");

          double[] zs = new double[out];
          double[] zv = new double[out];
          scalar.dense(th, d, h, zs, squash);
          vector.dense(th, d, h, zv, squash);
          close(what + ", forward", zs, zv);

          double[] go = new double[out];
          for (int o = 0; o < out; o++) {
            go[o] = rng.nextGaussian();
          }
          double[] gs = new double[th.length];
          double[] gv = new double[th.length];
          for (int i = 0; i < th.length; i++) {
            gs[i] = rng.nextGaussian();
            gv[i] = gs[i]; // the reverse mode adds to g: start from the same non-zero sums
          }
          double[] gis = new double[in + 2];
          double[] giv = new double[in + 2];
          java.util.Arrays.fill(gis, 7.0);
          java.util.Arrays.fill(giv, 7.0);
          scalar.denseBackward(th, d, h, go, gs, gis, squash);
          vector.denseBackward(th, d, h, go, gv, giv, squash);
          close(what + ", dL/dtheta", gs, gv);
          close(what + ", dL/dh", gis, giv);
          assertEquals(7.0, giv[in], what + ": wrote past the input gradient");
          cases++;
        }
      }
    }
    assertEquals(ins.length * outs.length * 2, cases);
  }

  @Test
  void theScalarLayerIsTheFormula() {
    // in 2, out 2: z = tanh(W h + b), by hand.
    double[] th = {0.5, -1.0, 2.0, 0.25, 0.1, -0.2};
    FlowLayout.Dense d = new FlowLayout.Dense(2, 2, 0, 4);
    double[] h = {1.5, -0.5};
    for (RowKernels k : new RowKernels[] {RowKernels.scalar(), RowKernels.named("vector")}) {
      double[] z = new double[2];
      k.dense(th, d, h, z, true);
      assertEquals(Math.tanh(0.5 * 1.5 + 1.0 * 0.5 + 0.1), z[0], 1e-15, k.name());
      assertEquals(Math.tanh(2.0 * 1.5 - 0.25 * 0.5 - 0.2), z[1], 1e-15, k.name());
    }
  }

  @Test
  void namesAreCheckedAndTheBestIsTheVectorOneInThisJvm() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> RowKernels.named("simd"));
    assertTrue(
        e.getMessage().contains("'simd'") && e.getMessage().contains("scalar"), e.getMessage());
    // The surefire argLine adds jdk.incubator.vector, as every launcher of the project does.
    String forced = System.getProperty(RowKernels.PROPERTY, "best");
    assertEquals(forced.equals("best") ? "vector" : forced, RowKernels.bestName());
    System.setProperty(RowKernels.PROPERTY, "simd");
    try {
      IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, RowKernels::best);
      assertTrue(bad.getMessage().contains("-Ddiffeomotion.kernels"), bad.getMessage());
    } finally {
      if (forced.equals("best")) {
        System.clearProperty(RowKernels.PROPERTY);
      } else {
        System.setProperty(RowKernels.PROPERTY, forced);
      }
    }
  }

  private static void close(String what, double[] want, double[] got) {
    for (int i = 0; i < want.length; i++) {
      double tol = TOLERANCE * Math.max(1, Math.abs(want[i]));
      assertEquals(want[i], got[i], tol, what + ", element " + i);
    }
  }
}
