package org.diffeomotion.trainer.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.diffeomotion.model.ModelArtifacts;
import org.diffeomotion.model.MotionModel;
import org.diffeomotion.trainer.data.DemonstrationSet;
import org.diffeomotion.trainer.data.PreparedData;
import org.diffeomotion.trainer.data.PreprocessOptions;
import org.diffeomotion.trainer.data.Preprocessor;
import org.diffeomotion.trainer.eval.DataSummary;
import org.diffeomotion.trainer.eval.Evaluation;
import org.diffeomotion.trainer.eval.ReportWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code diffeo evaluate}: metrics of a model file on demonstrations. */
@Command(
    name = "evaluate",
    sortOptions = false,
    mixinStandardHelpOptions = true,
    description =
        "Evaluates a model on demonstrations: closed-form rollouts from each demo's start, with "
            + "RMSE, DTW, final distance to the goal and largest deviation per demo (with --report, also "
            + "plots and report.md).")
final class EvaluateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL", description = "Model file.")
  Path modelFile;

  @Parameters(
      index = "1..*",
      arity = "1..*",
      paramLabel = "INPUT",
      description = "Demonstrations: .bag files, or one .csv file.")
  List<Path> inputs;

  @Option(
      names = "--report",
      paramLabel = "DIR",
      description = "Write plots and report.md into DIR.")
  Path report;

  @Mixin DataOptions data = new DataOptions();

  @Option(
      names = "--validation-fraction",
      paramLabel = "F",
      description =
          "Label the demos training / held out by the split train made with this fraction and "
              + "--split-seed (use the training run's values); default: no split, every demo 'evaluated'.")
  Double validationFraction;

  @Option(
      names = "--split-seed",
      paramLabel = "S",
      defaultValue = "0",
      description = "Seed of that split (default: ${DEFAULT-VALUE}).")
  long splitSeed;

  @Override
  public Integer call() throws Exception {
    PrintWriter o = spec.commandLine().getOut();
    data.bagOptions();
    if (data.rotationWeight != null) {
      throw new ParameterException(
          spec.commandLine(),
          "--rotation-weight weighs the training loss; evaluate judges a trained model in the"
              + " demos' own units, so it takes none");
    }
    PreprocessOptions prep = data.preprocessOptions();
    MotionModel model = ModelArtifacts.read(modelFile);
    DemonstrationSet set = data.read(inputs);
    if (model.isPose() != set.isPose()) {
      throw new DiffeoCli.UserException(
          model.isPose()
              ? modelFile + " is a full-pose model: read the demonstrations with --pose"
              : modelFile + " is not a full-pose model: read the demonstrations without --pose");
    }
    if (model.isPose()) {
      // The data's r are relative to their own mean end orientation; the model's to its q_g.
      set = org.diffeomotion.trainer.data.PoseDemos.relativeTo(set, model.goalOrientation());
    }
    if (validationFraction != null) {
      try {
        prep = prep.withValidation(validationFraction, splitSeed);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(
            spec.commandLine(), "--validation-fraction: " + e.getMessage());
      }
    }
    PreparedData prepared = Preprocessor.prepare(set, prep);
    Commands.printData(o, set, prepared, validationFraction != null);
    String hash = "sha256:" + prepared.dataHash();
    if (hash.equals(model.provenance().getDataSha256())) {
      o.println(
          "  (the data set the model was trained on: its training and held-out demos are all here)");
    }
    Evaluation ev;
    try {
      ev = Evaluation.of(model, prepared, validationFraction != null);
    } catch (IllegalArgumentException e) {
      throw new DiffeoCli.UserException(
          modelFile + " vs " + set.source() + ", field " + e.getMessage());
    }
    o.println("model " + model.name() + " (" + modelFile + ")");
    Commands.printMetrics(o, ev, prepared.units());
    if (model.isPose()) {
      Commands.printPoseMetrics(o, ev);
    }
    if (report != null) {
      List<Path> files =
          ReportWriter.write(
              report,
              model,
              modelFile,
              new DataSummary(set.source(), data.describe(), set.sampleCount(), prepared),
              null,
              ev,
              "diffeo " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
      o.println("report: " + files.get(files.size() - 1) + " (" + files.size() + " files)");
    }
    return 0;
  }
}
