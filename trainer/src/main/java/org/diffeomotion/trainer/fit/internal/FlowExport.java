package org.diffeomotion.trainer.fit.internal;

import java.util.ArrayList;
import java.util.List;
import org.diffeomotion.proto.model.v1.CouplingBlock;
import org.diffeomotion.proto.model.v1.DenseLayer;
import org.diffeomotion.proto.model.v1.LinearBase;
import org.diffeomotion.proto.model.v1.Mlp;
import org.diffeomotion.proto.model.v1.Mode;

/**
 * The trainer's export path for the learned numbers: the flat parameter vector of a {@link
 * FlowLayout} written as the artifact's linear base and coupling blocks (the layout the model
 * module reads). The rest of the artifact (names, normalisation, provenance) is the trainer's.
 */
public final class FlowExport {
  private FlowExport() {}

  /** The linear base: epsilon, and per mode its kind, p and omega. th not modified. */
  public static LinearBase base(FlowLayout lay, double[] th) {
    LinearBase.Builder base = LinearBase.newBuilder().setEpsilon(lay.epsilon);
    for (int j = 0; j < lay.modes; j++) {
      boolean osc = lay.isOscillatory(j);
      base.addModes(
          Mode.newBuilder()
              .setKind(osc ? Mode.Kind.OSCILLATORY : Mode.Kind.REAL)
              .setP(th[lay.pOffset + j])
              .setOmega(osc ? th[lay.omegaOffset + j] : 0.0));
    }
    return base.build();
  }

  /** The coupling blocks in order: clamp, permutation, net_a and net_b. th not modified. */
  public static List<CouplingBlock> blocks(FlowLayout lay, double[] th) {
    List<CouplingBlock> out = new ArrayList<>(lay.blocks);
    for (int k = 0; k < lay.blocks; k++) {
      CouplingBlock.Builder b =
          CouplingBlock.newBuilder()
              .setClamp(lay.clamp)
              .setNetA(mlp(lay.netA[k], th))
              .setNetB(mlp(lay.netB[k], th));
      for (int p : lay.permutations[k]) {
        b.addPermutation(p);
      }
      out.add(b.build());
    }
    return out;
  }

  private static Mlp mlp(FlowLayout.Dense[] layers, double[] th) {
    Mlp.Builder b = Mlp.newBuilder();
    for (FlowLayout.Dense d : layers) {
      DenseLayer.Builder l = DenseLayer.newBuilder().setIn(d.in()).setOut(d.out());
      for (int i = 0; i < d.in() * d.out(); i++) {
        l.addWeights(th[d.weightOffset() + i]);
      }
      for (int i = 0; i < d.out(); i++) {
        l.addBias(th[d.biasOffset() + i]);
      }
      b.addLayers(l);
    }
    return b.build();
  }

  /**
   * The flow of parameters {@code th} as a model in the normalised coordinates (goal 0, scale 1,
   * time scale 1): what alignment and validation scores roll out in closed form.
   */
  public static org.diffeomotion.proto.model.v1.Model normalisedModel(
      FlowLayout layout, double[] th) {
    org.diffeomotion.proto.model.v1.Model.Builder m =
        org.diffeomotion.proto.model.v1.Model.newBuilder()
            .setName("normalised")
            .setStateDim(layout.stateDim)
            .setFrameId("normalised")
            .setTimeScale(1.0)
            .setAugmentDim(layout.dim - layout.stateDim)
            .setBase(base(layout, th))
            .addAllBlocks(blocks(layout, th));
    for (int i = 0; i < layout.stateDim; i++) {
      m.addDimensionNames("z" + i);
      m.addDimensionUnits("1");
      m.addGoal(0.0);
      m.addScale(1.0);
    }
    return m.build();
  }
}
