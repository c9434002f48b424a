package org.diffeomotion.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.diffeomotion.model.testing.ModelFactory;
import org.diffeomotion.model.testing.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FlowTest {

  /**
   * The velocity query's Jacobian from the inverse pass's kept activations: inverseKeep gives the
   * bits of inverse, and tangentAtInverse the forward-mode JVP (recomputed at F^-1(y)) to rounding,
   * in double and in float, over every test spec (odd D, augmented, several hidden layers).
   */
  @ParameterizedTest(name = "spec {0}, {1} kernels")
  @MethodSource("org.diffeomotion.model.Seeds#specIndicesTimesKernels")
  void tangentFromTheInversePassEqualsTheForwardJvp(int specIndex, String kernels) {
    long seed = Seeds.base("tangentAtInverse/" + kernels);
    Random rnd = new Random(seed + 1_000_003L * specIndex);
    ModelSpec spec = Seeds.specs()[specIndex];
    org.diffeomotion.model.internal.Kernels k =
        org.diffeomotion.model.internal.Kernels.named(kernels);
    for (int trial = 0; trial < 6; trial++) {
      MotionModel model = ModelFactory.random(spec, rnd.nextLong());
      org.diffeomotion.model.internal.CouplingFlow flow = model.flow();
      int dim = model.networkDim();
      for (boolean single : new boolean[] {false, true}) {
        org.diffeomotion.model.internal.FlowWorkspace ws =
            new org.diffeomotion.model.internal.FlowWorkspace(
                flow, 1, single ? org.diffeomotion.model.internal.FloatKernels.matching(k) : null);
        for (int q = 0; q < 8; q++) {
          double[] y = new double[dim];
          double[] dx = new double[dim];
          for (int i = 0; i < dim; i++) {
            y[i] = 3 * rnd.nextGaussian();
            dx[i] = rnd.nextGaussian();
          }
          double[] x = new double[dim];
          double[] xk = new double[dim];
          flow.inverse(k, y, x, 1, ws);
          flow.inverseKeep(k, y, xk, ws);
          double[] fx = new double[dim];
          double[] jv = new double[dim];
          double[] tk = new double[dim];
          flow.jvp(k, x, dx, fx, jv, 1, ws);
          flow.inverseKeep(k, y, xk, ws);
          flow.tangentAtInverse(k, dx, tk, ws);
          double norm = 0;
          for (int i = 0; i < dim; i++) {
            norm = Math.max(norm, Math.abs(jv[i]));
          }
          for (int i = 0; i < dim; i++) {
            String where =
                "seed "
                    + seed
                    + ", spec "
                    + specIndex
                    + (single ? " float" : " double")
                    + ", dim "
                    + i;
            assertEquals(
                Double.doubleToRawLongBits(x[i]),
                Double.doubleToRawLongBits(xk[i]),
                where + ": inverseKeep " + xk[i] + " vs inverse " + x[i]);
            // float: the JVP's forward pass re-rounds the nets' inputs to float
            double tol = (single ? 2e-5 : 1e-11) * Math.max(1, norm);
            assertEquals(jv[i], tk[i], tol, where + ": tangent at the inverse vs forward JVP");
          }
        }
      }
    }
  }

  @ParameterizedTest(name = "spec {0}, {1} kernels")
  @MethodSource("org.diffeomotion.model.Seeds#specIndicesTimesKernels")
  void inverseOfForwardIsIdentityOverRandomModelsAndStates(int specIndex, String kernels) {
    long seed = Seeds.base("inverseOfForward/" + kernels);
    Random rnd = new Random(seed + 1_000_003L * specIndex);
    ModelSpec spec = Seeds.specs()[specIndex];
    for (int trial = 0; trial < 10; trial++) {
      MotionModel model = ModelFactory.random(spec, rnd.nextLong());
      int dim = model.networkDim();
      int points = 1 + rnd.nextInt(100);
      FlowEvaluator f = FlowEvaluator.create(model, points, kernels);
      double[] x = new double[dim * points];
      for (int i = 0; i < x.length; i++) {
        // Mostly ordinary states, some extreme ones (1e3 scale) and exact zeros.
        double mag = rnd.nextInt(10) == 0 ? 1e3 : 3;
        x[i] = rnd.nextInt(20) == 0 ? 0 : mag * rnd.nextGaussian();
      }
      double[] y = new double[x.length];
      double[] back = new double[x.length];
      f.forward(x, y, points);
      f.inverse(y, back, points);
      for (int i = 0; i < x.length; i++) {
        double err = Math.abs(back[i] - x[i]) / Math.max(1, Math.abs(x[i]));
        assertTrue(
            err < 1e-12,
            "inverse(forward(x)) != x at "
                + i
                + ": "
                + x[i]
                + " -> "
                + back[i]
                + " (D="
                + dim
                + ", points="
                + points
                + ")");
      }
      // And the other way round: forward(inverse(y)) = y.
      f.inverse(x, back, points);
      f.forward(back, y, points);
      for (int i = 0; i < x.length; i++) {
        assertEquals(x[i], y[i], 1e-12 * Math.max(1, Math.abs(x[i])));
      }
    }
  }

  @ParameterizedTest(name = "spec {0}, {1} kernels")
  @MethodSource("org.diffeomotion.model.Seeds#specIndicesTimesKernels")
  void jvpMatchesCentralFiniteDifferences(int specIndex, String kernels) {
    long seed = Seeds.base("jvp/" + kernels);
    Random rnd = new Random(seed + 1_000_003L * specIndex);
    ModelSpec spec = Seeds.specs()[specIndex];
    for (int trial = 0; trial < 5; trial++) {
      MotionModel model = ModelFactory.random(spec, rnd.nextLong());
      int dim = model.networkDim();
      FlowEvaluator f = FlowEvaluator.create(model, 1, kernels);
      double[] x = gaussian(rnd, dim, 1.5);
      double[] v = gaussian(rnd, dim, 1.0);
      double[] y = new double[dim];
      double[] jv = new double[dim];
      f.jvp(x, v, y, jv, 1);
      double[] fx = new double[dim];
      f.forward(x, fx, 1);
      for (int i = 0; i < dim; i++) {
        assertEquals(fx[i], y[i], 1e-14 * Math.max(1, Math.abs(fx[i])), "jvp primal");
      }
      double h = 1e-5;
      double[] xp = new double[dim];
      double[] xm = new double[dim];
      double[] yp = new double[dim];
      double[] ym = new double[dim];
      for (int i = 0; i < dim; i++) {
        xp[i] = x[i] + h * v[i];
        xm[i] = x[i] - h * v[i];
      }
      f.forward(xp, yp, 1);
      f.forward(xm, ym, 1);
      for (int i = 0; i < dim; i++) {
        double fd = (yp[i] - ym[i]) / (2 * h);
        assertEquals(
            fd,
            jv[i],
            1e-6 * Math.max(1, Math.abs(fd)),
            "JVP component " + i + " vs central difference (D=" + dim + ")");
      }
    }
  }

  @Test
  void batchedEvaluationEqualsPointByPoint() {
    long seed = Seeds.base("batchVsSingle");
    Random rnd = new Random(seed);
    MotionModel model =
        ModelFactory.random(new ModelSpec().stateDim(3).blocks(5).hidden(32), rnd.nextLong());
    int points = 37;
    FlowEvaluator batch = model.newFlowEvaluator(points);
    FlowEvaluator single = model.newFlowEvaluator(1);
    double[] x = gaussian(rnd, 3 * points, 2);
    double[] dx = gaussian(rnd, 3 * points, 1);
    double[] y = new double[x.length];
    double[] dy = new double[x.length];
    batch.jvp(x, dx, y, dy, points);
    for (int p = 0; p < points; p++) {
      double[] xi = {x[p], x[points + p], x[2 * points + p]};
      double[] di = {dx[p], dx[points + p], dx[2 * points + p]};
      double[] yi = new double[3];
      double[] dyi = new double[3];
      single.jvp(xi, di, yi, dyi, 1);
      for (int i = 0; i < 3; i++) {
        assertEquals(yi[i], y[i * points + p], 1e-13 * Math.max(1, Math.abs(yi[i])));
        assertEquals(dyi[i], dy[i * points + p], 1e-12 * Math.max(1, Math.abs(dyi[i])));
      }
    }
  }

  @ParameterizedTest(name = "spec {0}")
  @MethodSource("org.diffeomotion.model.Seeds#specIndices")
  void vectorKernelsAgreeWithTheScalarReference(int specIndex) {
    long seed = Seeds.base("vectorVsScalar");
    Random rnd = new Random(seed + 1_000_003L * specIndex);
    ModelSpec spec = Seeds.specs()[specIndex];
    MotionModel model = ModelFactory.random(spec, rnd.nextLong());
    int dim = model.networkDim();
    int points = 50;
    FlowEvaluator s = FlowEvaluator.create(model, points, "scalar");
    FlowEvaluator v = FlowEvaluator.create(model, points, "vector");
    double[] x = gaussian(rnd, dim * points, 3);
    double[] dx = gaussian(rnd, dim * points, 1);
    double[] ys = new double[x.length];
    double[] yv = new double[x.length];
    double[] ds = new double[x.length];
    double[] dv = new double[x.length];
    s.jvp(x, dx, ys, ds, points);
    v.jvp(x, dx, yv, dv, points);
    for (int i = 0; i < x.length; i++) {
      double e = Math.abs(ys[i] - yv[i]) / Math.max(1, Math.abs(ys[i]));
      assertTrue(e < 1e-12, "forward differs at " + i + ": " + ys[i] + " vs " + yv[i]);
      assertEquals(ds[i], dv[i], 1e-11 * Math.max(1, Math.abs(ds[i])));
    }
  }

  @Test
  void permutationDirectionIsOutputIFromElementPermI() throws Exception {
    // Zero nets make v1 || v2 = u, so the block is the bare permutation: out[i] = u[perm[i]].
    // [1, 2, 0] is not its own inverse, so the opposite convention would fail.
    org.diffeomotion.proto.model.v1.Model id =
        ModelFactory.identity(new ModelSpec().stateDim(3).blocks(1).hidden(4)).toProto();
    org.diffeomotion.proto.model.v1.Model m =
        id.toBuilder()
            .setBlocks(
                0,
                id.getBlocks(0).toBuilder()
                    .clearPermutation()
                    .addPermutation(1)
                    .addPermutation(2)
                    .addPermutation(0))
            .build();
    FlowEvaluator f = MotionModel.fromProto(m).newFlowEvaluator(1);
    double[] y = new double[3];
    f.forward(new double[] {10, 20, 30}, y, 1);
    assertEquals(20, y[0], 0.0);
    assertEquals(30, y[1], 0.0);
    assertEquals(10, y[2], 0.0);
  }

  @Test
  void identityModelIsTheIdentityMap() {
    MotionModel model = ModelFactory.identity(new ModelSpec().stateDim(3).blocks(4));
    FlowEvaluator f = model.newFlowEvaluator(1);
    double[] x = {0.3, -7, 2e4};
    double[] y = new double[3];
    f.forward(x, y, 1);
    for (int i = 0; i < 3; i++) {
      assertEquals(x[i], y[i], 0.0);
    }
    assertEquals(0.0, f.anchor()[0], 0.0);
  }

  private static String Kernels() {
    return org.diffeomotion.model.internal.Kernels.vector().name();
  }

  static double[] gaussian(Random rnd, int n, double sd) {
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = sd * rnd.nextGaussian();
    }
    return a;
  }
}
