package org.diffeomotion.model.testing;

import java.util.Random;
import org.diffeomotion.model.ModelFormatException;
import org.diffeomotion.model.MotionModel;
import org.diffeomotion.proto.model.v1.CouplingBlock;
import org.diffeomotion.proto.model.v1.DenseLayer;
import org.diffeomotion.proto.model.v1.LinearBase;
import org.diffeomotion.proto.model.v1.Mlp;
import org.diffeomotion.proto.model.v1.Mode;
import org.diffeomotion.proto.model.v1.Model;
import org.diffeomotion.proto.model.v1.Provenance;

/**
 * Test fixture: builds models that were not trained, random weights (tests, benchmarks) and the
 * identity. Shipped in the model's test jar only, never in the main API.
 */
public final class ModelFactory {
  private ModelFactory() {}

  /**
   * A model with seeded random weights: hidden weights N(0, 1/in), last layers N(0,
   * (outputWeightScale)^2 / in), random permutations, random modes.
   */
  public static MotionModel random(ModelSpec spec, long seed) {
    return build(spec, new Random(seed), false, "random weights, seed " + seed);
  }

  /**
   * The identity model of the given architecture: every block's last layers are zero and its
   * permutation is the identity, so F(x) = x and the model is its linear base (what the trainer
   * starts from, up to the permutations).
   */
  public static MotionModel identity(ModelSpec spec) {
    return build(spec, new Random(0), true, "identity");
  }

  /** The message {@link #random} would validate; for tests that corrupt single fields. */
  public static Model randomProto(ModelSpec spec, long seed) {
    return proto(spec, new Random(seed), false, "random weights, seed " + seed);
  }

  private static MotionModel build(ModelSpec spec, Random rnd, boolean identity, String note) {
    try {
      return MotionModel.fromProto(proto(spec, rnd, identity, note));
    } catch (ModelFormatException e) {
      throw new IllegalArgumentException("model spec is invalid: " + e.getMessage(), e);
    }
  }

  private static Model proto(ModelSpec spec, Random rnd, boolean identity, String note) {
    int d = spec.stateDim;
    int dim = d + spec.augmentDim;
    int m = dim / 2;
    Model.Builder b =
        Model.newBuilder()
            .setName(spec.name)
            .setStateDim(d)
            .setAugmentDim(spec.augmentDim)
            .setFrameId(spec.frameId)
            .setTimeScale(spec.timeScale);
    boolean pose = spec.goalOrientation != null;
    for (int i = 0; i < d; i++) {
      if (pose) {
        b.addDimensionNames(new String[] {"x", "y", "z", "r_x", "r_y", "r_z"}[i]);
        b.addDimensionUnits(i < 3 ? "m" : "rad");
      } else {
        b.addDimensionNames(d <= 3 ? new String[] {"x", "y", "z"}[i] : "q" + i);
        b.addDimensionUnits(d <= 3 ? "m" : "rad");
      }
      b.addGoal(spec.goalOrDefault()[i]);
      b.addScale(spec.scaleOrDefault()[i]);
    }
    if (pose) {
      org.diffeomotion.proto.model.v1.PoseLayout.Builder p =
          org.diffeomotion.proto.model.v1.PoseLayout.newBuilder()
              .addPositionDims(0)
              .addPositionDims(1)
              .addPositionDims(2)
              .addRotationDims(3)
              .addRotationDims(4)
              .addRotationDims(5);
      for (double v : spec.goalOrientation) {
        p.addGoalOrientation(v);
      }
      b.setPose(p);
    }
    LinearBase.Builder base = LinearBase.newBuilder().setEpsilon(spec.epsilon);
    int covered = 0;
    while (covered < dim) {
      boolean osc = spec.oscillatory && dim - covered >= 2;
      double p = identity ? 0.5 : 0.3 + 0.7 * rnd.nextDouble();
      Mode.Builder mode = Mode.newBuilder().setP(p);
      if (osc) {
        mode.setKind(Mode.Kind.OSCILLATORY).setOmega(identity ? 1.0 : -2 + 4 * rnd.nextDouble());
        covered += 2;
      } else {
        mode.setKind(Mode.Kind.REAL);
        covered += 1;
      }
      base.addModes(mode);
    }
    b.setBase(base);
    for (int k = 0; k < spec.blocks; k++) {
      CouplingBlock.Builder blk = CouplingBlock.newBuilder().setClamp(spec.clamp);
      int[] perm = new int[dim];
      for (int i = 0; i < dim; i++) {
        perm[i] = i;
      }
      if (!identity) {
        for (int i = dim - 1; i > 0; i--) {
          int j = rnd.nextInt(i + 1);
          int t = perm[i];
          perm[i] = perm[j];
          perm[j] = t;
        }
      }
      for (int v : perm) {
        blk.addPermutation(v);
      }
      blk.setNetA(mlp(dim - m, 2 * m, spec, rnd, identity));
      blk.setNetB(mlp(m, 2 * (dim - m), spec, rnd, identity));
      b.addBlocks(blk);
    }
    b.setProvenance(
        Provenance.newBuilder()
            .setBackend("synthetic")
            .setGenerator("diffeo-motion-model ModelFactory")
            .setNotes(note));
    return b.build();
  }

  private static Mlp mlp(int in, int out, ModelSpec spec, Random rnd, boolean identity) {
    Mlp.Builder net = Mlp.newBuilder();
    int prev = in;
    int[] widths = new int[spec.hidden.length + 1];
    System.arraycopy(spec.hidden, 0, widths, 0, spec.hidden.length);
    widths[spec.hidden.length] = out;
    for (int l = 0; l < widths.length; l++) {
      boolean last = l == widths.length - 1;
      int o = widths[l];
      DenseLayer.Builder layer = DenseLayer.newBuilder().setIn(prev).setOut(o);
      double sd = (last ? spec.outputWeightScale : 1.0) / Math.sqrt(prev);
      for (int i = 0; i < o * prev; i++) {
        layer.addWeights(identity && last ? 0.0 : sd * rnd.nextGaussian());
      }
      for (int i = 0; i < o; i++) {
        layer.addBias(identity && last ? 0.0 : (last ? 0.1 : 0.5) * rnd.nextGaussian());
      }
      net.addLayers(layer);
      prev = o;
    }
    return net.build();
  }
}
