package org.diffeomotion.grpc;

import org.diffeomotion.model.MotionModel;
import org.diffeomotion.model.Precision;
import org.diffeomotion.model.Rollout;
import org.diffeomotion.model.TimeGrids;

/**
 * The least time a rollout of one model costs, per point, positions only and with velocities [ns]:
 * the fastest seen, first by {@link #calibrate} (a short benchmark the registry runs when it loads
 * a model, before the model is served), then lowered by every request served. Deadlines are refused
 * against this bound, so that only requests that cannot be met are refused, never ones that might
 * just make it. Thread-safe (benign races: any interleaving of updates is still a bound).
 */
final class RolloutCost {
  private volatile double nanosPerPoint;
  private volatile double nanosPerPointWithVelocity;

  private RolloutCost(double nanosPerPoint, double nanosPerPointWithVelocity) {
    this.nanosPerPoint = nanosPerPoint;
    this.nanosPerPointWithVelocity = nanosPerPointWithVelocity;
  }

  /**
   * The fastest of repeated 256-point rollouts on the calling thread, at least 20 and until 150 ms
   * have passed (at most 200), so that the JIT has compiled the kernels before the fastest run
   * counts; a cold estimate would refuse requests that could be met. In the precision the model is
   * served in: a double bound would refuse float requests that could be met.
   *
   * @throws IllegalArgumentException for {@link Precision#FLOAT} when the model cannot be evaluated
   *     in float
   */
  static RolloutCost calibrate(MotionModel model, Precision precision) {
    Rollout rollout = new Rollout(model, 256, precision);
    int n = 256;
    double[] times = new double[n];
    TimeGrids.fillUniformStep(times, n, 0.01);
    double[] y0 = model.goal();
    double[] out = new double[n * model.stateDim()];
    double[] vel = new double[n * model.stateDim()];
    long best = Long.MAX_VALUE;
    long bestVel = Long.MAX_VALUE;
    long until = System.nanoTime() + 150_000_000L;
    for (int rep = 0; rep < 200 && (rep < 20 || System.nanoTime() < until); rep++) {
      long t0 = System.nanoTime();
      rollout.tryRollout(y0, times, n, out, null);
      long t1 = System.nanoTime();
      rollout.tryRollout(y0, times, n, out, vel);
      long t2 = System.nanoTime();
      best = Math.min(best, t1 - t0);
      bestVel = Math.min(bestVel, t2 - t1);
    }
    return new RolloutCost((double) best / n, (double) bestVel / n);
  }

  /**
   * A lower bound on the time to compute {@code points} rollout points from {@code starts} starts
   * [ns].
   */
  long estimateNanos(long starts, long points, boolean velocities) {
    double perPoint = velocities ? nanosPerPointWithVelocity : nanosPerPoint;
    // One inverse pass per start costs about one point.
    return (long) (perPoint * (double) starts * (double) (points + 1));
  }

  /** Folds one measured rollout of {@code points} points that took {@code nanos} into the bound. */
  void observe(long points, boolean velocities, long nanos) {
    if (points < 64) {
      return;
    }
    double per = (double) nanos / points;
    if (velocities) {
      if (per < nanosPerPointWithVelocity) {
        nanosPerPointWithVelocity = per;
      }
    } else if (per < nanosPerPoint) {
      nanosPerPoint = per;
    }
  }
}
