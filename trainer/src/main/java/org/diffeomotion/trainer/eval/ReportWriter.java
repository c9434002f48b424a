package org.diffeomotion.trainer.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.diffeomotion.model.MotionModel;
import org.diffeomotion.model.StabilityReport;
import org.diffeomotion.proto.model.v1.Provenance;
import org.diffeomotion.trainer.data.PreparedData;

/**
 * Writes a report folder: the plots ({@link Plots}) and {@code report.md} with the data summary,
 * the training run (if any), the metrics per demo, the stability facts and the list of files.
 */
public final class ReportWriter {

  /** File names inside the report folder. */
  public static final String REPORT = "report.md";

  public static final String ROLLOUTS_PNG = "rollouts.png";
  public static final String FIELD_PNG = "field.png";
  public static final String TRAINING_PNG = "training.png";
  public static final String PROFILES_PNG = "profiles.png";

  private ReportWriter() {}

  /**
   * Writes the plots and report.md into dir (created if needed; existing files of the same names
   * are replaced).
   *
   * @param modelFile the model file the report is about (for the text), or null.
   * @param training the training run, or null for an evaluation of an existing model.
   * @return the files written, report.md last.
   */
  public static List<Path> write(
      Path dir,
      MotionModel model,
      Path modelFile,
      DataSummary data,
      TrainingSummary training,
      Evaluation ev,
      String commandLine)
      throws IOException {
    Files.createDirectories(dir);
    List<Path> files = new ArrayList<>();
    String name = model.name();
    Plots.rollouts(model, ev, name, dir.resolve(ROLLOUTS_PNG));
    files.add(dir.resolve(ROLLOUTS_PNG));
    if (model.stateDim() >= 2) {
      Plots.field(model, ev, 13, name, dir.resolve(FIELD_PNG));
      files.add(dir.resolve(FIELD_PNG));
    }
    Plots.demoProfiles(
        model, ev, Coverage.heldOutLabels(data.data()), name, dir.resolve(PROFILES_PNG));
    files.add(dir.resolve(PROFILES_PNG));
    if (training != null && training.curve() != null && training.curve().size() > 0) {
      Plots.trainingCurve(training.curve(), name, dir.resolve(TRAINING_PNG));
      files.add(dir.resolve(TRAINING_PNG));
    }
    String md = markdown(model, modelFile, data, training, ev, commandLine, files);
    Path report = dir.resolve(REPORT);
    org.diffeomotion.model.AtomicFiles.write(report, md.getBytes(StandardCharsets.UTF_8));
    files.add(report);
    return files;
  }

  /** Peak speed of a demo (false) or its rollout (true) by finite differences [units/s]. */
  static double peakSpeed(DemoMetrics m, boolean rollout) {
    double[] y = rollout ? m.rollout() : m.demo();
    int d = y.length / m.points();
    double peak = 0;
    for (int i = 1; i < m.points(); i++) {
      double s = 0;
      for (int k = 0; k < d; k++) {
        double e = y[i * d + k] - y[(i - 1) * d + k];
        s += e * e;
      }
      peak = Math.max(peak, Math.sqrt(s) / (m.times()[i] - m.times()[i - 1]));
    }
    return peak;
  }

  static String markdown(
      MotionModel model,
      Path modelFile,
      DataSummary data,
      TrainingSummary training,
      Evaluation ev,
      String commandLine,
      List<Path> plots) {
    StringBuilder b = new StringBuilder();
    PreparedData pd = data.data();
    int d = pd.dimension();
    String u = unitOf(pd.units());
    b.append("# ")
        .append(training != null ? "Training report: " : "Evaluation report: ")
        .append(model.name())
        .append("\n\n");
    b.append("Written ")
        .append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
        .append(" by diffeo-motion");
    if (modelFile != null) {
      b.append(" for model file `").append(modelFile).append('`');
    }
    b.append(".\n\n");
    if (commandLine != null && !commandLine.isEmpty()) {
      b.append("    ").append(commandLine).append("\n\n");
    }

    b.append("## Data\n\n");
    b.append("| | |\n|---|---|\n");
    row(b, "source", data.source());
    row(b, "reading and preparation", data.reading());
    row(
        b,
        "dimensions",
        dims(pd.dimensionNames(), pd.units())
            + (pd.frameId().isEmpty() ? "" : ", frame `" + pd.frameId() + "`"));
    row(
        b,
        "demonstrations",
        pd.demoCount()
            + " ("
            + pd.trainIndices().length
            + " training, "
            + pd.validationIndices().length
            + " held out)");
    row(b, "samples", data.samples() + " read, resampled to " + pd.gridSize() + " points per demo");
    row(b, "goal g", vec(pd.goal()) + " " + u + " (mean of the end points)");
    if (pd.isPose()) {
      row(
          b,
          "goal orientation q_g",
          vec(pd.goalOrientation())
              + " (x, y, z, w; geodesic (Karcher) mean of the end orientations; r = Log(q_g⁻¹ q))");
      row(
          b,
          "end-point spread",
          String.format(
              Locale.ROOT,
              "position max %.3g mm, rms %.3g mm; orientation max %.3g°, rms %.3g°",
              1e3 * pd.goalSpreadMax(),
              1e3 * pd.goalSpreadRms(),
              Math.toDegrees(pd.rotationSpreadMax()),
              Math.toDegrees(pd.rotationSpreadRms())));
    } else {
      row(
          b,
          "end-point spread",
          String.format(
              Locale.ROOT,
              "max %.3g %s, rms %.3g %s",
              pd.goalSpreadMax(),
              u,
              pd.goalSpreadRms(),
              u));
    }
    row(b, "scale σ", vec(pd.scale()) + " " + u);
    row(
        b,
        "time scale τ",
        String.format(Locale.ROOT, "%.4g s (median duration / 5)", pd.timeScale()));
    row(b, "data-set hash", "`sha256:" + pd.dataHash() + "`");
    b.append('\n');
    b.append("| # | demo | split | duration [s] | start ")
        .append(bracket(u))
        .append(" |\n|---|---|---|---|---|\n");
    List<Double> dur = data.durations();
    for (int i = 0; i < pd.demoCount(); i++) {
      String split = i < ev.demos().size() ? ev.demos().get(i).split().label() : "-";
      b.append("| ")
          .append(i)
          .append(" | ")
          .append(pd.demoNames().get(i))
          .append(" | ")
          .append(split)
          .append(" | ")
          .append(f3(dur.get(i)))
          .append(" | ")
          .append(vec(pd.states(i)[0]))
          .append(" |\n");
    }
    b.append('\n');

    if (training != null) {
      b.append("## Training\n\n| | |\n|---|---|\n");
      for (Map.Entry<String, String> e : training.options().entrySet()) {
        row(b, e.getKey(), e.getValue());
      }
      row(b, "trainable parameters", Integer.toString(training.parameters()));
      row(b, "backend", training.backend());
      row(
          b,
          "iterations",
          training.startIteration() > 0
              ? training.iterations() + " (resumed at " + training.startIteration() + ")"
              : Long.toString(training.iterations()));
      row(b, "training time", String.format(Locale.ROOT, "%.1f s", training.seconds()));
      row(
          b,
          "time per iteration",
          String.format(
              Locale.ROOT,
              "p50 %.2f ms, p99 %.2f ms, max %.2f ms "
                  + "(wall time, held-out evaluations and checkpoints included)",
              training.p50Millis(),
              training.p99Millis(),
              training.maxMillis()));
      row(
          b,
          "training loss",
          String.format(
              Locale.ROOT,
              "%.4g → %.4g (normalised units²)",
              training.firstLoss(),
              training.trainLoss()));
      if (Double.isFinite(training.validationMse())) {
        row(
            b,
            "held-out MSE",
            String.format(Locale.ROOT, "%.4g (normalised units²)", training.validationMse()));
      }
      b.append('\n');
    }

    b.append("## Metrics\n\n");
    b.append(
        "Closed-form rollout from each demo's first point at the demo's own (resampled) times, compared "
            + "with the demo. MSE: mean over points and dimensions of the squared error. DTW: dynamic time "
            + "warping with Euclidean cost, divided by the optimal path's length (the mean distance between "
            + "matched points; 0 for identical curves). Final: distance of the rollout's last point from the "
            + "goal. Max dev.: the largest distance between rollout and demo at equal times.\n\n");
    b.append("| demo | split | MSE ")
        .append(bracket(u + "²"))
        .append(" | RMSE ")
        .append(bracket(u))
        .append(" | DTW ")
        .append(bracket(u))
        .append(" | final ")
        .append(bracket(u))
        .append(" | max dev. ")
        .append(bracket(u))
        .append(" |\n|---|---|---|---|---|---|---|\n");
    for (DemoMetrics m : ev.demos()) {
      b.append("| ")
          .append(m.name())
          .append(" | ")
          .append(m.split().label())
          .append(" | ")
          .append(g3(m.mse()))
          .append(" | ")
          .append(g3(m.rmse()))
          .append(" | ")
          .append(g3(m.dtw()))
          .append(" | ")
          .append(g3(m.finalGoalDistance()))
          .append(" | ")
          .append(g3(m.maxDeviation()))
          .append(" |\n");
    }
    for (Split s : Split.values()) {
      Evaluation.Summary sm = ev.summary(s);
      if (sm != null) {
        b.append("| **mean, ")
            .append(s.label())
            .append(" (")
            .append(sm.demos())
            .append(")** | | **")
            .append(g3(sm.mse()))
            .append("** | **")
            .append(g3(Math.sqrt(sm.mse())))
            .append("** | **")
            .append(g3(sm.dtw()))
            .append("** | **")
            .append(g3(sm.finalGoalDistance()))
            .append("** | **")
            .append(g3(sm.maxDeviation()))
            .append("** (max) |\n");
      }
    }
    b.append('\n');
    if (pd.isPose()) {
      b.append(
          "Full poses, metres and radians apart: position DTW over x, y, z, and the orientation"
              + " error (the rotation angle between the rollout's and the demo's orientations) at the"
              + " pairs of points the position DTW matches.\n\n");
      b.append(
          "| demo | split | position DTW [mm] | orientation error mean [°] | orientation error max"
              + " [°] |\n|---|---|---|---|---|\n");
      for (DemoMetrics m : ev.demos()) {
        PoseMetrics pm = PoseMetrics.of(m);
        b.append("| ")
            .append(m.name())
            .append(" | ")
            .append(m.split().label())
            .append(" | ")
            .append(g3(1e3 * pm.positionDtw()))
            .append(" | ")
            .append(g3(Math.toDegrees(pm.orientationMean())))
            .append(" | ")
            .append(g3(Math.toDegrees(pm.orientationMax())))
            .append(" |\n");
      }
      b.append('\n');
    }
    if (ev.summary(Split.VALIDATION) != null) {
      b.append("Held-out demos (`")
          .append(PROFILES_PNG)
          .append(
              "` shows each one's path and speed profile "
                  + "against the rollout from its start). Interpolation: the demo starts within the widest gap "
                  + "between training starts (normalised coordinates); extrapolation: farther out, where the "
                  + "learned motion is still stable but its path is not constrained by any demo.\n\n");
      b.append("| held-out demo | kind | DTW ")
          .append(bracket(u))
          .append(" | peak speed rollout / demo |\n" + "|---|---|---|---|\n");
      java.util.Map<String, String> kinds = Coverage.heldOutLabels(pd);
      for (DemoMetrics m : ev.of(Split.VALIDATION)) {
        b.append("| ")
            .append(m.name())
            .append(" | ")
            .append(kinds.getOrDefault(m.name(), "held out").replace("held out, ", ""))
            .append(" | ")
            .append(g3(m.dtw()))
            .append(" | ")
            .append(g3(peakSpeed(m, true) / peakSpeed(m, false)))
            .append(" |\n");
      }
      b.append('\n');
      for (Coverage.FarStart f : Coverage.farHeldOutStarts(pd)) {
        b.append("- Note: ").append(f.describe()).append(".\n");
      }
      b.append('\n');
    } else {
      b.append(
              "No demo was held out (`--validation-fraction 0`): every metric above is on training data; `")
          .append(PROFILES_PNG)
          .append("` shows the first training demos' paths and speed profiles.\n\n");
    }

    b.append("## Stability\n\n");
    StabilityReport st = model.stability();
    b.append("| | |\n|---|---|\n");
    row(b, "eigenvalues of A [1/s]", eig(st));
    row(
        b,
        "slowest decay rate",
        String.format(
            Locale.ROOT,
            "%.4g 1/s (time constant %.4g s)",
            st.slowestDecayRate(),
            1 / st.slowestDecayRate()));
    row(b, "guaranteed bound ε/τ", String.format(Locale.ROOT, "%.4g 1/s", st.decayRateBound()));
    row(
        b,
        "global (state feedback)",
        st.global() ? "yes (a = 0)" : "no (a = " + model.augmentDim() + ")");
    b.append('\n').append(st.statement()).append("\n\n");

    Provenance p = model.provenance();
    if (p != null && !p.getBackend().isEmpty()) {
      b.append("## Provenance (stored in the model)\n\n| | |\n|---|---|\n");
      row(b, "data hash", "`" + p.getDataSha256() + "`");
      row(b, "demos", p.getTrainDemos() + " training, " + p.getValidationDemos() + " held out");
      row(b, "iterations", Long.toString(p.getIterations()));
      row(b, "backend", p.getBackend());
      row(b, "generator", p.getGenerator());
      for (Map.Entry<String, Double> e : new java.util.TreeMap<>(p.getMetricsMap()).entrySet()) {
        row(b, "metric " + e.getKey(), g3(e.getValue()));
      }
      row(b, "notes", p.getNotes());
      b.append('\n');
    }

    b.append("## Files\n\n");
    if (modelFile != null) {
      b.append("- `")
          .append(modelFile)
          .append("`: the model (protobuf, read with `ModelArtifacts.read`)\n");
    }
    for (Path f : plots) {
      String n = f.getFileName().toString();
      String what =
          switch (n) {
            case ROLLOUTS_PNG ->
                "demonstrations (wide, light) and the model's rollouts from their starts "
                    + "(dashed), training and held-out coloured apart";
            case PROFILES_PNG ->
                "per held-out demo (without any: the first training demos) its path and its "
                    + "speed over time against the rollout from its start";
            case FIELD_PNG ->
                "streamlines of the learned motion from a grid of starts, with the demos and the goal";
            case TRAINING_PNG -> "training loss and held-out MSE per iteration (log scale)";
            default -> "";
          };
      b.append("- `").append(n).append("`: ").append(what).append('\n');
    }
    b.append("- `").append(REPORT).append("`: this file\n\n");
    for (Path f : plots) {
      b.append("![").append(f.getFileName()).append("](").append(f.getFileName()).append(")\n\n");
    }
    return b.toString();
  }

  private static void row(StringBuilder b, String k, String v) {
    b.append("| ")
        .append(k)
        .append(" | ")
        .append(v.replace("|", "\\|").replace("\n", " "))
        .append(" |\n");
  }

  private static String eig(StabilityReport st) {
    double[] re = st.eigenvalueRealParts();
    double[] im = st.eigenvalueImagParts();
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < re.length; i++) {
      if (i > 0) {
        s.append(", ");
      }
      s.append(String.format(Locale.ROOT, "%.4g", re[i]));
      if (im[i] != 0) {
        s.append(String.format(Locale.ROOT, " %s %.4gi", im[i] < 0 ? "−" : "+", Math.abs(im[i])));
      }
    }
    return s.toString();
  }

  static String unitOf(List<String> units) {
    String first = units.isEmpty() ? "" : units.get(0);
    for (String x : units) {
      if (!x.equals(first)) {
        return "units";
      }
    }
    return first.isEmpty() ? "units" : first;
  }

  private static String bracket(String u) {
    return "[" + u + "]";
  }

  private static String dims(List<String> names, List<String> units) {
    List<String> l = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      l.add(units.get(i).isEmpty() ? names.get(i) : names.get(i) + " [" + units.get(i) + "]");
    }
    return String.join(", ", l);
  }

  static String vec(double[] v) {
    StringBuilder s = new StringBuilder("(");
    for (int i = 0; i < v.length; i++) {
      if (i > 0) {
        s.append(", ");
      }
      s.append(String.format(Locale.ROOT, "%.4f", v[i]));
    }
    return s.append(')').toString();
  }

  private static String f3(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }

  static String g3(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3g", v);
  }
}
