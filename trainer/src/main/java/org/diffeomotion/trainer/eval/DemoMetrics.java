package org.diffeomotion.trainer.eval;

/**
 * How well a model reproduces one demonstration: the closed-form rollout from the demo's first
 * point, at the demo's own (resampled) times, compared with the demo. Distances are Euclidean over
 * the state dimensions, in the state's units (e.g. [m]).
 *
 * @param name the demo's name, e.g. {@code demos_2d.bag#3}.
 * @param split train, validation or evaluated.
 * @param points points compared (the resampling grid).
 * @param duration the demo's duration [s].
 * @param mse mean over points and dimensions of (rollout - demo)^2 [units^2].
 * @param dtw DTW distance between rollout and demo, normalised by the optimal path's length ({@link
 *     Dtw}) [units].
 * @param finalGoalDistance distance of the rollout's last point (at the demo's duration) from the
 *     goal [units].
 * @param maxDeviation largest distance between rollout and demo at equal times [units].
 * @param times the times [s], length points.
 * @param demo the demo's states, row-major points x d [units].
 * @param rollout the rollout's states, row-major points x d [units].
 */
public record DemoMetrics(
    String name,
    Split split,
    int points,
    double duration,
    double mse,
    double dtw,
    double finalGoalDistance,
    double maxDeviation,
    double[] times,
    double[] demo,
    double[] rollout) {

  /** sqrt(mse) [units]. */
  public double rmse() {
    return Math.sqrt(mse);
  }
}
