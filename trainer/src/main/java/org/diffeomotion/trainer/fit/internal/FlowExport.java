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
}
