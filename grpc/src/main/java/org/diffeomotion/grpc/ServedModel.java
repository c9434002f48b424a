package org.diffeomotion.grpc;

import java.time.Instant;
import org.diffeomotion.model.MotionModel;
import org.diffeomotion.model.Precision;

/**
 * One model as served: the immutable {@link MotionModel}, where it came from, and which load
 * produced it. Immutable and shared between threads; a reload makes a new instance and swaps it
 * into the {@link ModelRegistry} atomically, so a request that already holds an instance finishes
 * on the model it started with.
 *
 * <p>Each instance owns its per-thread evaluators ({@code Rollout}, {@code VelocityField} and
 * scratch arrays are not thread-safe): a thread builds them once per served model and reuses them
 * for every request. When an instance is replaced, its thread-local entries linger in the pool
 * threads until the JDK purges stale entries; each is small, because every request trims its
 * scratch to {@link Evaluators#RETAIN_VALUES} values per array.
 */
public final class ServedModel {
  private final String name;
  private final MotionModel model;
  private final String path;
  private final String fileSha256;
  private final long generation;
  private final Instant loadedAt;
  private final Precision precision;
  private final ThreadLocal<Evaluators> evaluators;
  private final RolloutCost cost;

  ServedModel(
      String name,
      MotionModel model,
      String path,
      String fileSha256,
      long generation,
      Instant loadedAt,
      Precision precision,
      RolloutCost cost) {
    this.name = name;
    this.model = model;
    this.path = path;
    this.fileSha256 = fileSha256;
    this.generation = generation;
    this.loadedAt = loadedAt;
    this.precision = precision;
    this.evaluators = ThreadLocal.withInitial(() -> new Evaluators(model, precision));
    this.cost = cost;
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

  /** The precision of the coupling networks in this model's evaluators (the registry's). */
  public Precision precision() {
    return precision;
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

  /** The background JIT warm-up of this load, or null ({@link ModelRegistry#warmup(double)}). */
  private volatile Thread warmup;

  void warmup(Thread t) {
    warmup = t;
  }

  /** This thread's evaluators for this model (built on first use). */
  Evaluators evaluators() {
    return evaluators.get();
  }

  /** Cores the shared batch evaluator uses (1 = none: batches run on the request's thread). */
  static final int CORES = Runtime.getRuntime().availableProcessors();

  private final Object parallelLock = new Object();
  private org.diffeomotion.model.ParallelRollouts parallel;
  private boolean retired;

  /**
   * The model's shared multi-core batch evaluator (issue 11: a RolloutBatch large enough to gain is
   * split over every core while no other batch uses it), built on first use; null on a one-core
   * machine or once the model is retired.
   */
  org.diffeomotion.model.ParallelRollouts parallel() {
    if (CORES < 2) {
      return null;
    }
    synchronized (parallelLock) {
      if (parallel == null && !retired) {
        parallel =
            new org.diffeomotion.model.ParallelRollouts(
                model,
                Evaluators.MAX_POINTS,
                precision,
                CORES,
                org.diffeomotion.model.ParallelRollouts.DEFAULT_MIN_POINTS_PER_THREAD);
      }
      return parallel;
    }
  }

  /**
   * Stops the shared batch evaluator's threads (after a batch in progress ends): called when this
   * load is replaced. Requests still holding this model compute on their own threads.
   */
  void retire() {
    Thread w = warmup;
    if (w != null) {
      w.interrupt();
    }
    synchronized (parallelLock) {
      retired = true;
      if (parallel != null) {
        parallel.close();
        parallel = null;
      }
    }
  }

  /** What a rollout of this model costs at the least (deadline checks). */
  RolloutCost cost() {
    return cost;
  }

  @Override
  public String toString() {
    return "ServedModel{" + name + ", " + path + ", generation " + generation + "}";
  }
}
