package org.diffeomotion.trainer.fit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.diffeomotion.model.FlowEvaluator;
import org.diffeomotion.model.MotionModel;
import org.diffeomotion.model.Seeds;
import org.diffeomotion.model.testing.ModelFactory;
import org.diffeomotion.proto.model.v1.CouplingBlock;
import org.diffeomotion.proto.model.v1.DenseLayer;
import org.diffeomotion.proto.model.v1.Mlp;
import org.diffeomotion.proto.model.v1.Model;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract between trainer and model (DESIGN.md section 2): the trainer's plain-Java flow
 * ({@link ScalarFlow}) computes the same F as the model module, on seeded random models of every
 * spec the model's own randomized tests sweep ({@link Seeds#specs()}). The model's parameters are
 * loaded into the trainer's flat layout, and the trainer's real export path ({@link FlowExport})
 * must give the model's blocks back, so the comparison is of the numbers the trainer would export.
 * Compared: F(x), F^-1(y), the anchor c = F(0), and the Jacobian J_F(x) (the model's forward mode
 * column by column against the trainer's reverse mode row by row). Each comparison runs with the
 * scalar kernels on both sides and with the best (vector) kernels on both sides.
 */
class ScalarFlowMatchesModelTest {

  /** Fixed (reproducible); spec i uses BASE_SEED + i, printed in every assertion message. */
  private static final long BASE_SEED = 20261122L;

  private static final int POINTS = 40;

  /**
   * Relative to max(1, |reference|_inf) (see {@link #check}). Measured worst over all specs and
   * both kernels: F 1.0e-15, F^-1 7.2e-16, c 5.4e-16; J_F 8.0e-15 (entries are sums over the hidden
   * units, so rounding differs more).
   */
  private static final double TOLERANCE = 1e-14;

  private static final double JACOBIAN_TOLERANCE = 3e-14;

  static Stream<Arguments> specsAndKernels() {
    List<Arguments> out = new ArrayList<>();
    for (int i = 0; i < Seeds.specs().length; i++) {
      for (String kernels : new String[] {"scalar", "best"}) {
        out.add(Arguments.of(i, BASE_SEED + i, kernels));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "spec {0}, seed {1}, {2} kernels")
  @MethodSource("specsAndKernels")
  void scalarFlowComputesTheModelsFlow(int spec, long seed, String kernels) {
    MotionModel model = ModelFactory.random(Seeds.specs()[spec], seed);
    Model proto = model.toProto();
    FlowLayout lay = layoutOf(proto);
    double[] th = parametersOf(proto, lay);
    String what =
        "spec "
            + spec
            + " (D = "
            + lay.dim
            + ", "
            + lay.blocks
            + " blocks, "
            + lay.hiddenLayers
            + " x "
            + lay.width
            + "), seed "
            + seed
            + ", "
            + kernels
            + " kernels";
    assertEquals(
        proto.getBlocksList(),
        FlowExport.blocks(lay, th),
        what + ": the export path must write the loaded parameters back unchanged");

    ScalarFlow flow = new ScalarFlow(lay, RowKernels.named(kernels));
    FlowEvaluator ev = FlowEvaluator.create(model, POINTS, kernels);
    int dim = lay.dim;
    int kk = lay.blocks;
    SplittableRandom rng = new SplittableRandom(seed);

    // F(x)
    double[][] x = randomPoints(rng, dim);
    ScalarFlow.Pass fwd = new ScalarFlow.Pass(lay, POINTS);
    for (int j = 0; j < POINTS; j++) {
      System.arraycopy(x[j], 0, fwd.state[0][j], 0, dim);
    }
    flow.forward(th, fwd);
    double[] y = new double[dim * POINTS];
    ev.forward(soa(x, dim), y, POINTS);
    check(what + ", F(x)", fromSoa(y, dim), fwd.state[kk], TOLERANCE);

    // F^-1(y)
    double[][] yy = randomPoints(rng, dim);
    ScalarFlow.Pass inv = new ScalarFlow.Pass(lay, POINTS);
    for (int j = 0; j < POINTS; j++) {
      System.arraycopy(yy[j], 0, inv.state[kk][j], 0, dim);
    }
    flow.inverse(th, inv);
    double[] xi = new double[dim * POINTS];
    ev.inverse(soa(yy, dim), xi, POINTS);
    check(what + ", F^-1(y)", fromSoa(xi, dim), inv.state[0], TOLERANCE);

    // c = F(0)
    ScalarFlow.Pass zero = new ScalarFlow.Pass(lay, 1);
    flow.forward(th, zero);
    check(what + ", c = F(0)", new double[][] {ev.anchor()}, zero.state[kk], TOLERANCE);

    // J_F(x): column i from the model's JVP with dx = e_i, row o from the trainer's reverse
    // mode with dL/dF = e_o (the pass fwd still holds the activations at x).
    double[][][] jModel = new double[POINTS][dim][dim];
    double[] dx = new double[dim * POINTS];
    double[] dy = new double[dim * POINTS];
    for (int i = 0; i < dim; i++) {
      java.util.Arrays.fill(dx, 0.0);
      java.util.Arrays.fill(dx, i * POINTS, (i + 1) * POINTS, 1.0);
      ev.jvp(soa(x, dim), dx, y, dy, POINTS);
      for (int o = 0; o < dim; o++) {
        for (int j = 0; j < POINTS; j++) {
          jModel[j][o][i] = dy[o * POINTS + j];
        }
      }
    }
    double[][][] jScalar = new double[POINTS][dim][dim];
    double[] g = new double[lay.size];
    for (int o = 0; o < dim; o++) {
      for (int j = 0; j < POINTS; j++) {
        java.util.Arrays.fill(fwd.grad[kk][j], 0.0);
        fwd.grad[kk][j][o] = 1.0;
      }
      flow.forwardBackward(th, fwd, g);
      for (int j = 0; j < POINTS; j++) {
        System.arraycopy(fwd.grad[0][j], 0, jScalar[j][o], 0, dim);
      }
    }
    for (int j = 0; j < POINTS; j++) {
      check(what + ", J_F(x) at point " + j, jModel[j], jScalar[j], JACOBIAN_TOLERANCE);
    }
  }

  /** Rows of N(0, 1.5^2) coordinates: most of them where a normalised demo lives, some beyond. */
  private static double[][] randomPoints(SplittableRandom rng, int dim) {
    double[][] p = new double[POINTS][dim];
    for (double[] row : p) {
      for (int i = 0; i < dim; i++) {
        double u1 = 1.0 - rng.nextDouble();
        double u2 = rng.nextDouble();
        row[i] = 1.5 * Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
      }
    }
    return p;
  }

  /** max |actual - expected| / max(1, |expected|_inf) over all entries must be within tol. */
  private static void check(String what, double[][] expected, double[][] actual, double tol) {
    double mag = 1.0;
    double err = 0.0;
    for (int j = 0; j < expected.length; j++) {
      for (int i = 0; i < expected[j].length; i++) {
        mag = Math.max(mag, Math.abs(expected[j][i]));
        err = Math.max(err, Math.abs(actual[j][i] - expected[j][i]));
      }
    }
    double rel = err / mag;
    assertTrue(rel <= tol, what + ": trainer vs model relative difference " + rel + " > " + tol);
  }

  private static double[] soa(double[][] rows, int dim) {
    double[] out = new double[dim * rows.length];
    for (int j = 0; j < rows.length; j++) {
      for (int i = 0; i < dim; i++) {
        out[i * rows.length + j] = rows[j][i];
      }
    }
    return out;
  }

  private static double[][] fromSoa(double[] a, int dim) {
    int n = a.length / dim;
    double[][] out = new double[n][dim];
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < dim; i++) {
        out[j][i] = a[i * n + j];
      }
    }
    return out;
  }

  /**
   * The trainer's layout of a model's architecture: same D, blocks, widths, clamp and permutations.
   */
  static FlowLayout layoutOf(Model proto) {
    int dim = proto.getStateDim() + proto.getAugmentDim();
    List<CouplingBlock> blocks = proto.getBlocksList();
    int[][] perms = new int[blocks.size()][dim];
    for (int k = 0; k < blocks.size(); k++) {
      for (int i = 0; i < dim; i++) {
        perms[k][i] = blocks.get(k).getPermutation(i);
      }
    }
    Mlp net = blocks.get(0).getNetA();
    return new FlowLayout(
        proto.getStateDim(),
        proto.getAugmentDim(),
        blocks.size(),
        net.getLayers(0).getOut(),
        net.getLayersCount() - 1,
        proto.getBase().getEpsilon(),
        blocks.get(0).getClamp(),
        perms);
  }

  /**
   * The model's weights and biases in the trainer's flat parameter vector (base parameters left 0).
   */
  static double[] parametersOf(Model proto, FlowLayout lay) {
    double[] th = new double[lay.size];
    for (int k = 0; k < lay.blocks; k++) {
      CouplingBlock b = proto.getBlocks(k);
      load(b.getNetA(), lay.netA[k], th);
      load(b.getNetB(), lay.netB[k], th);
    }
    return th;
  }

  private static void load(Mlp net, FlowLayout.Dense[] layers, double[] th) {
    assertEquals(layers.length, net.getLayersCount(), "layers");
    for (int l = 0; l < layers.length; l++) {
      DenseLayer src = net.getLayers(l);
      FlowLayout.Dense d = layers[l];
      assertEquals(d.in() * d.out(), src.getWeightsCount(), "weights of layer " + l);
      for (int i = 0; i < src.getWeightsCount(); i++) {
        th[d.weightOffset() + i] = src.getWeights(i);
      }
      for (int i = 0; i < src.getBiasCount(); i++) {
        th[d.biasOffset() + i] = src.getBias(i);
      }
    }
  }
}
