package org.diffeomotion.trainer.eval;

import java.util.Map;

/**
 * What a report says about a training run.
 *
 * @param options the options that define the run, in display order (name to value).
 * @param parameters number of trainable parameters.
 * @param startIteration iteration the run started from (0, or the checkpoint's when resumed).
 * @param iterations iteration count at the end.
 * @param seconds wall time of the training loop [s].
 * @param p50Millis median wall time per iteration [ms].
 * @param p99Millis 99th percentile of the wall time per iteration [ms].
 * @param maxMillis longest iteration [ms].
 * @param trainLoss final training loss [normalised units^2].
 * @param validationMse final held-out MSE [normalised units^2]; NaN without held-out demos.
 * @param firstLoss loss of the first iteration of this run [normalised units^2].
 * @param backend compute backend, e.g. "nd4j-native 1.0.0-M2.1 (CPU)".
 * @param curve the recorded curve (for the plot), or null.
 */
public record TrainingSummary(
    Map<String, String> options,
    int parameters,
    long startIteration,
    long iterations,
    double seconds,
    double p50Millis,
    double p99Millis,
    double maxMillis,
    double trainLoss,
    double validationMse,
    double firstLoss,
    String backend,
    TrainingCurve curve) {

  public TrainingSummary {
    options = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(options));
  }
}
