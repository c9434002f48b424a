package org.diffeomotion.rosnode.grpc;

import java.time.Instant;
import org.diffeomotion.model.MotionModel;

/**
 * One model as served: the immutable {@link MotionModel}, where it came from, and which load
 * produced it. Immutable and shared between threads; a reload makes a new instance and swaps it
 * into the {@link ModelRegistry} atomically, so a request that already holds an instance
 * finishes on the model it started with.
 *
 * <p>Each instance owns its per-thread evaluators ({@code Rollout}, {@code VelocityField} and
 * scratch arrays are not thread-safe): a thread builds them once per served model and reuses
 * them for every request. When an instance is replaced and no request holds it any more, its
 * evaluators become unreachable with it.
 */
public final class ServedModel {
  private final String name;
  private final MotionModel model;
  private final String path;
  private final String fileSha256;
  private final long generation;
  private final Instant loadedAt;
  private final ThreadLocal<Evaluators> evaluators;
  /** Estimated cost of one rollout point, positions only / with velocities [ns]. */
  private volatile double nanosPerPoint;
  private volatile double nanosPerPointWithVelocity;

  ServedModel(String name, MotionModel model, String path, String fileSha256, long generation,
              Instant loadedAt) {
    this.name = name;
    this.model = model;
    this.path = path;
    this.fileSha256 = fileSha256;
    this.generation = generation;
    this.loadedAt = loadedAt;
    this.evaluators = ThreadLocal.withInitial(() -> new Evaluators(model));
    calibrate();
  }

  /** The name requests select this model by. */
  public String name() {
    return name;
  }

  public MotionModel model() {
    return model;
  }

  /** The model file relative to the model directory ("/"-separated). */
  public String path() {
    return path;
  }

  /** SHA-256 of the file's bytes, lowercase hex. */
  public String fileSha256() {
    return fileSha256;
  }

  /** The registry-wide load counter value of this load (>= 1). */
  public long generation() {
    return generation;
  }

  public Instant loadedAt() {
    return loadedAt;
  }

  /** This thread's evaluators for this model (built on first use). */
  Evaluators evaluators() {
    return evaluators.get();
  }

  /**
   * The estimated time to compute {@code points} rollout points from {@code starts} starts
   * [ns]: measured at load and refined by the requests served since.
   */
  long estimateNanos(long starts, long points, boolean velocities) {
    double perPoint = velocities ? nanosPerPointWithVelocity : nanosPerPoint;
    // One inverse pass per start costs about one point.
    return (long) (perPoint * (double) starts * (double) (points + 1));
  }

  /**
   * Folds one measured request into the estimate. An exponential average: a request slowed by a
   * pause or a busy machine moves it only a little.
   */
  void observe(long points, boolean velocities, long nanos) {
    if (points < 64) {
      return;
    }
    double per = (double) nanos / points;
    if (velocities) {
      nanosPerPointWithVelocity = 0.9 * nanosPerPointWithVelocity + 0.1 * per;
    } else {
      nanosPerPoint = 0.9 * nanosPerPoint + 0.1 * per;
    }
  }

  /**
   * A first estimate of the per-point cost: the fastest of a few 256-point rollouts on this
   * thread. Early calls run before the JIT has compiled the kernels, so the fastest is taken,
   * and served requests refine it ({@link #observe}).
   */
  private void calibrate() {
    Evaluators ev = new Evaluators(model);
    int n = 256;
    double[] times = new double[n];
    for (int i = 0; i < n; i++) {
      times[i] = i * 0.01;
    }
    double[] y0 = model.goal();
    double[] out = new double[n * model.stateDim()];
    double[] vel = new double[n * model.stateDim()];
    long best = Long.MAX_VALUE;
    long bestVel = Long.MAX_VALUE;
    for (int rep = 0; rep < 20; rep++) {
      long t0 = System.nanoTime();
      ev.rollout.tryRollout(y0, times, n, out, null);
      long t1 = System.nanoTime();
      ev.rollout.tryRollout(y0, times, n, out, vel);
      long t2 = System.nanoTime();
      best = Math.min(best, t1 - t0);
      bestVel = Math.min(bestVel, t2 - t1);
    }
    nanosPerPoint = (double) best / n;
    nanosPerPointWithVelocity = (double) bestVel / n;
  }

  @Override
  public String toString() {
    return "ServedModel{" + name + ", " + path + ", generation " + generation + "}";
  }
}
