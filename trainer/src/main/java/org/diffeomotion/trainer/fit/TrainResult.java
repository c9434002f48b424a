package org.diffeomotion.trainer.fit;

/**
 * What a {@link Trainer#fit} run did.
 *
 * @param iterations    the trainer's iteration count at the end (including resumed ones).
 * @param trainLoss     training loss at the final parameters [normalised units^2].
 * @param validationMse held-out MSE at the final parameters [normalised units^2]; NaN without held-out demos.
 * @param seconds       wall time of this run [s].
 * @param lossCurve     training loss of each iteration this run did, in order.
 */
public record TrainResult(long iterations, double trainLoss, double validationMse, double seconds, double[] lossCurve) { }
