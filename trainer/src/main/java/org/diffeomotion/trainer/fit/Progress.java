package org.diffeomotion.trainer.fit;

/**
 * One progress report.
 *
 * @param iteration iterations done so far (1-based after the first step).
 * @param iterations iterations the run will do in total.
 * @param loss fitted loss of the leading start before this iteration's update: over shooting
 *     windows while {@code window > 0}, else over whole demos [normalised units^2].
 * @param validationMse held-out MSE of the leading start [normalised units^2]; NaN when not
 *     computed at this iteration.
 * @param msPerIteration mean wall time per iteration since the last report [ms].
 * @param etaSeconds estimated time to the end of the run [s].
 * @param window shooting-window length in samples fitted at this iteration; 0 = whole demos.
 * @param bestLoss lowest whole-demo training loss over all starts so far (the iterate that would be
 *     exported) [normalised units^2]; NaN when not computed at this iteration.
 */
public record Progress(
    long iteration,
    long iterations,
    double loss,
    double validationMse,
    double msPerIteration,
    double etaSeconds,
    int window,
    double bestLoss) {}
