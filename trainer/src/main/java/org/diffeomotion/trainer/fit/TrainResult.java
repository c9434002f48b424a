package org.diffeomotion.trainer.fit;

/**
 * What a {@link Trainer#fit} run did.
 *
 * @param iterations the trainer's iteration count at the end (including resumed ones).
 * @param trainLoss whole-demo training loss of the selected start's best iterate [normalised
 *     units^2].
 * @param validationMse held-out MSE of that iterate [normalised units^2]; NaN without held-out
 *     demos.
 * @param seconds wall time of this run [s].
 * @param lossCurve fitted loss of each iteration this run did (the leading start's), in order.
 * @param windowCurve the shooting-window length of each of those iterations; 0 = whole demos.
 * @param bestIteration iteration of the exported (best) iterate; -1 if none was evaluated.
 * @param selectedSeed seed of the start that was selected.
 * @param rollbacks rollbacks on loss spikes, over all starts.
 * @param diverged true when every start diverged (nothing trainable was found).
 * @param startLosses best whole-demo loss of each start [normalised units^2].
 */
public record TrainResult(
    long iterations,
    double trainLoss,
    double validationMse,
    double seconds,
    double[] lossCurve,
    int[] windowCurve,
    long bestIteration,
    long selectedSeed,
    int rollbacks,
    boolean diverged,
    double[] startLosses) {}
