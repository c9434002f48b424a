package org.diffeomotion.trainer.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.diffeomotion.model.ModelArtifacts;
import org.diffeomotion.model.MotionModel;
import org.diffeomotion.model.So3;
import org.diffeomotion.model.StabilityReport;
import org.diffeomotion.proto.model.v1.Mode;
import org.diffeomotion.proto.model.v1.Model;
import org.diffeomotion.proto.model.v1.Provenance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code diffeo inspect}: what a model file holds. */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description =
        "Shows a model file: dimensions, names, units, frame, goal, scales, time scale, base modes, "
            + "eigenvalues, slowest decay, the stability statement and the training provenance. The file is "
            + "validated as the node validates it.")
final class InspectCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL", description = "Model file.")
  Path modelFile;

  @Override
  public Integer call() throws Exception {
    PrintWriter o = spec.commandLine().getOut();
    MotionModel m = ModelArtifacts.read(modelFile);
    Model p = m.toProto();
    o.printf(Locale.ROOT, "model         %s (%s, valid)%n", m.name(), modelFile);
    o.printf(
        Locale.ROOT,
        "state         d = %d, augmentation a = %d (D = %d)%n",
        m.stateDim(),
        m.augmentDim(),
        m.networkDim());
    o.printf(
        Locale.ROOT, "dimensions    %s%n", Commands.dims(m.dimensionNames(), m.dimensionUnits()));
    o.printf(Locale.ROOT, "frame         %s%n", m.frameId().isEmpty() ? "(none)" : m.frameId());
    o.printf(Locale.ROOT, "goal g        %s%n", Commands.vec(m.goal()));
    if (m.isPose()) {
      double[] q = m.goalOrientation();
      double[] r = new double[3];
      So3.log(q, 0, r, 0);
      double angle = Math.sqrt(r[0] * r[0] + r[1] * r[1] + r[2] * r[2]);
      o.printf(
          Locale.ROOT,
          "pose          full-pose model: position dims %s, rotation-vector dims %s"
              + " (r = Log(q_g^-1 q) [rad], q = q_g Exp(r))%n",
          java.util.Arrays.toString(m.positionDims()),
          java.util.Arrays.toString(m.rotationDims()));
      o.printf(
          Locale.ROOT,
          "goal q_g      %s (x, y, z, w); rotation vector %s rad, %.4g deg from the identity%n",
          Commands.vec(q),
          Commands.vec(r),
          Math.toDegrees(angle));
    }
    o.printf(Locale.ROOT, "scale sigma   %s%n", Commands.vec(m.scale()));
    o.printf(Locale.ROOT, "time scale    tau = %.6g s%n", m.timeScale());
    o.printf(
        Locale.ROOT,
        "flow          %d coupling blocks, %d multiply-adds and %d tanh per point%n",
        p.getBlocksCount(),
        m.multiplyAddsPerPoint(),
        m.tanhPerPoint());
    o.printf(
        Locale.ROOT,
        "base          %d mode%s, epsilon = %.4g%n",
        p.getBase().getModesCount(),
        p.getBase().getModesCount() == 1 ? "" : "s",
        p.getBase().getEpsilon());
    double tau = m.timeScale();
    double eps = p.getBase().getEpsilon();
    for (int k = 0; k < p.getBase().getModesCount(); k++) {
      Mode md = p.getBase().getModes(k);
      double rate = md.getP() * md.getP() + eps;
      if (md.getKind() == Mode.Kind.OSCILLATORY) {
        o.printf(
            Locale.ROOT,
            "  mode %d      oscillatory: decay %.4g 1/s, frequency %.4g rad/s (%.4g Hz)%n",
            k,
            rate / tau,
            md.getOmega() / tau,
            Math.abs(md.getOmega()) / tau / (2 * Math.PI));
      } else {
        o.printf(Locale.ROOT, "  mode %d      real: decay %.4g 1/s%n", k, rate / tau);
      }
    }
    StabilityReport st = m.stability();
    double[] re = st.eigenvalueRealParts();
    double[] im = st.eigenvalueImagParts();
    StringBuilder eig = new StringBuilder();
    for (int i = 0; i < re.length; i++) {
      eig.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.4g%+.4gi", re[i], im[i]));
    }
    o.printf(Locale.ROOT, "eigenvalues   %s [1/s]%n", eig);
    o.printf(
        Locale.ROOT,
        "slowest decay %.4g 1/s (time constant %.4g s); guaranteed >= eps/tau = %.4g 1/s%n",
        st.slowestDecayRate(),
        1 / st.slowestDecayRate(),
        st.decayRateBound());
    o.printf(
        Locale.ROOT,
        "feedback      %s%n",
        m.supportsStateFeedback()
            ? "state feedback covered by the global guarantee (a = 0)"
            : "rollouts only: the reactive field is defined on the slice [y, 0]");
    o.println("stability     " + st.statement());
    Provenance pv = m.provenance();
    o.println("provenance");
    o.printf(
        Locale.ROOT,
        "  data        %s%n",
        pv.getDataSha256().isEmpty() ? "(none)" : pv.getDataSha256());
    o.printf(
        Locale.ROOT,
        "  demos       %d training, %d held out%n",
        pv.getTrainDemos(),
        pv.getValidationDemos());
    o.printf(Locale.ROOT, "  iterations  %d%n", pv.getIterations());
    o.printf(Locale.ROOT, "  backend     %s%n", pv.getBackend());
    if (pv.hasCreated()) {
      o.printf(
          Locale.ROOT, "  created     %s%n", Instant.ofEpochSecond(pv.getCreated().getSeconds()));
    }
    o.printf(Locale.ROOT, "  generator   %s%n", pv.getGenerator());
    for (Map.Entry<String, Double> e : new TreeMap<>(pv.getMetricsMap()).entrySet()) {
      o.printf(Locale.ROOT, "  metric      %s = %.4g%n", e.getKey(), e.getValue());
    }
    if (!pv.getNotes().isEmpty()) {
      o.printf(Locale.ROOT, "  notes       %s%n", pv.getNotes());
    }
    o.flush();
    return 0;
  }
}
