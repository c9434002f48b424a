package org.diffeomotion.grpc;

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
 * them for every request. When an instance is replaced, its thread-local entries linger in the
 * pool threads until the JDK purges stale entries; each is small, because every request trims
 * its scratch to {@link Evaluators#RETAIN_VALUES} values per array.
 */
public final class ServedModel {
  private final String name;
  private final MotionModel model;
  private final String path;
  private final String fileSha256;
  private final long generation;
  private final Instant loadedAt;
  private final ThreadLocal<Evaluators> evaluators;
  /**
   * The fastest cost of one rollout point seen so far, positions only / with velocities [ns]:
   * measured at load, lowered by every request served since.
   */
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

  /** The last workspace asked for and its bounds for this model (one pair, replaced together). */
  private volatile org.diffeomotion.model.Workspace.Bounds bounds;

  /** {@code ws} bound to this model; computed once per workspace and kept. */
  org.diffeomotion.model.Workspace.Bounds bounds(org.diffeomotion.model.Workspace ws) {
    org.diffeomotion.model.Workspace.Bounds b = bounds;
    if (b == null || b.workspace() != ws) {
      b = ws.of(model);
      bounds = b;
    }
    return b;
  }

  /** This thread's evaluators for this model (built on first use). */
  Evaluators evaluators() {
    return evaluators.get();
  }

  /**
   * A lower bound on the time to compute {@code points} rollout points from {@code starts}
   * starts [ns], from the fastest per-point time seen. Deadlines are refused against this bound
   * so that only requests that cannot be met are refused, never ones that might just make it.
   */
  long estimateNanos(long starts, long points, boolean velocities) {
    double perPoint = velocities ? nanosPerPointWithVelocity : nanosPerPoint;
    // One inverse pass per start costs about one point.
    return (long) (perPoint * (double) starts * (double) (points + 1));
  }

  /** Folds one measured rollout into the bound (a benign race: any interleaving is a bound). */
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

  /**
   * The first bound: the fastest of repeated 256-point rollouts on the loading thread, at least
   * 20 and until 150 ms have passed (at most 200), so that the JIT has compiled the kernels
   * before the fastest run counts; a cold estimate would refuse requests that could be met.
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
    long until = System.nanoTime() + 150_000_000L;
    for (int rep = 0; rep < 200 && (rep < 20 || System.nanoTime() < until); rep++) {
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
