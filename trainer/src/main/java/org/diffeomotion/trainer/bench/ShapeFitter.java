package org.diffeomotion.trainer.bench;

import org.diffeomotion.model.MotionModel;
import org.diffeomotion.trainer.data.DemonstrationSet;

/**
 * How the accuracy benchmark gets a model from training demonstrations: the one place that decides
 * what "training with the default options" means. {@link #trainerDefaults()} does what {@code
 * diffeo train} does today; a new training pipeline replaces it here and nowhere else.
 *
 * <p>An implementation sees the training demonstrations only (never the held-out ones) and must not
 * take a validation split from anywhere else.
 */
public interface ShapeFitter {

  /** Receives training progress (for a progress line; called on the training thread). */
  @FunctionalInterface
  interface ProgressSink {

    /**
     * @param iteration iterations done.
     * @param iterations iterations in total.
     * @param loss training loss [normalised units^2].
     */
    void report(long iteration, long iterations, double loss);

    /** A sink that ignores every report. */
    static ProgressSink none() {
      return (i, n, loss) -> {};
    }
  }

  /**
   * Trains a model.
   *
   * @param training the training demonstrations. Not modified.
   * @param seed seed of everything random in training.
   * @param progress where progress goes.
   * @return the exported (validated) model
   * @throws Exception when training or export fails; the benchmark records the shape as failed and
   *     goes on
   */
  MotionModel fit(DemonstrationSet training, long seed, ProgressSink progress) throws Exception;

  /** One line for the report: what this fitter does. */
  String describe();

  /**
   * What {@code diffeo train} does with its defaults (TrainCommand): {@code Preprocessor.prepare}
   * with {@code PreprocessOptions.defaults()} (grid 100, no validation split), {@code
   * TrainingSet.from(prepared, a)} with diffeo train's augmentation choice ({@code --augment
   * auto}), a {@code Trainer} with {@code TrainOptions.defaults().withSeed(seed)} on one native
   * thread, {@code fit}, {@code export}, the fit check.
   */
  static ShapeFitter trainerDefaults() {
    return new TrainerDefaultsFitter();
  }
}
