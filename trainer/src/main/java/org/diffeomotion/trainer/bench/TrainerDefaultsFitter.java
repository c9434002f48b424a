package org.diffeomotion.trainer.bench;

import org.diffeomotion.model.MotionModel;
import org.diffeomotion.proto.model.v1.Model;
import org.diffeomotion.trainer.data.DemonstrationSet;
import org.diffeomotion.trainer.data.PreparedData;
import org.diffeomotion.trainer.data.PreprocessOptions;
import org.diffeomotion.trainer.data.Preprocessor;
import org.diffeomotion.trainer.eval.FitCheck;
import org.diffeomotion.trainer.fit.TrainOptions;
import org.diffeomotion.trainer.fit.TrainResult;
import org.diffeomotion.trainer.fit.Trainer;
import org.diffeomotion.trainer.fit.TrainingSet;

/**
 * {@link ShapeFitter#trainerDefaults()}: the training engine with its default options, as {@code
 * diffeo train} runs it, and the fit check {@code diffeo train} applies before it writes a model.
 * The benchmark measures a refused model too (it says how bad a refused fit is); the verdict goes
 * into the model's provenance as the metric {@code fit_check_passed} (1 or 0).
 */
final class TrainerDefaultsFitter implements ShapeFitter {

  @Override
  public MotionModel fit(DemonstrationSet training, long seed, ProgressSink progress)
      throws Exception {
    PreparedData prepared = Preprocessor.prepare(training, PreprocessOptions.defaults());
    TrainingSet ts = TrainingSet.from(prepared, prepared.dimension() == 1 ? 1 : 0);
    // diffeo train's --threads default: one native thread per start (TRAINING.md, Performance).
    Trainer.setComputeThreads(1);
    Trainer trainer = new Trainer(ts, TrainOptions.defaults().withSeed(seed));
    TrainResult result = trainer.fit(p -> progress.report(p.iteration(), p.iterations(), p.loss()));
    MotionModel model =
        trainer.export(
            "benchmark",
            "accuracy benchmark: "
                + describe()
                + ", seed "
                + seed
                + " | data: "
                + training.source());
    FitCheck.Verdict verdict = FitCheck.check(model, trainer.identityModel("identity"), prepared);
    boolean passed = verdict.passed() && !result.diverged();
    Model proto = model.toProto();
    return MotionModel.fromProto(
        proto.toBuilder()
            .setProvenance(
                proto.getProvenance().toBuilder()
                    .putMetrics("fit_check_passed", passed ? 1 : 0)
                    .setNotes(
                        proto.getProvenance().getNotes()
                            + (passed
                                ? ""
                                : " | fit check: "
                                    + verdict.describe()
                                    + (result.diverged() ? "; training diverged" : ""))))
            .build());
  }

  @Override
  public String describe() {
    return "Trainer with TrainOptions.defaults() (as diffeo train), PreprocessOptions.defaults() (grid 100, "
        + "no validation split), 1 native thread per start, and diffeo train's fit check";
  }
}
