package org.diffeomotion.trainer.bench;

import org.diffeomotion.model.MotionModel;
import org.diffeomotion.trainer.data.DemonstrationSet;
import org.diffeomotion.trainer.data.PreparedData;
import org.diffeomotion.trainer.data.PreprocessOptions;
import org.diffeomotion.trainer.data.Preprocessor;
import org.diffeomotion.trainer.fit.TrainOptions;
import org.diffeomotion.trainer.fit.Trainer;
import org.diffeomotion.trainer.fit.TrainingSet;

/** {@link ShapeFitter#trainerDefaults()}: the training engine with its default options, as {@code diffeo train} runs it. */
final class TrainerDefaultsFitter implements ShapeFitter {

    @Override
    public MotionModel fit(DemonstrationSet training, long seed, ProgressSink progress) throws Exception {
        PreparedData prepared = Preprocessor.prepare(training, PreprocessOptions.defaults());
        TrainingSet ts = TrainingSet.from(prepared, prepared.dimension() == 1 ? 1 : 0);
        // diffeo train's --threads default: one native thread (TRAINING.md, Performance).
        Trainer.setComputeThreads(1);
        Trainer trainer = new Trainer(ts, TrainOptions.defaults().withSeed(seed));
        trainer.fit(p -> progress.report(p.iteration(), p.iterations(), p.loss()));
        return trainer.export("benchmark", "accuracy benchmark: " + describe() + ", seed " + seed + " | data: "
                + training.source());
    }

    @Override
    public String describe() {
        return "Trainer with TrainOptions.defaults() (as diffeo train), PreprocessOptions.defaults() (grid 100, "
                + "no validation split), 1 native thread";
    }
}
