package org.diffeomotion.trainer.fit;

/**
 * One progress report.
 *
 * @param iteration      iterations done so far (1-based after the first step).
 * @param iterations     iterations the run will do in total.
 * @param loss           training loss before this iteration's update [normalised units^2].
 * @param validationMse  held-out MSE after the update [normalised units^2]; NaN when not computed at this iteration.
 * @param msPerIteration mean wall time per iteration since the last report [ms].
 * @param etaSeconds     estimated time to the end of the run [s].
 */
public record Progress(long iteration, long iterations, double loss, double validationMse,
                       double msPerIteration, double etaSeconds) { }
