package org.diffeomotion.model;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Closed-form rollouts of many starts on several cores: a batch is split into contiguous ranges of
 * starts, one per thread, each computed by that thread's own {@link Rollout}: every start is
 * computed the same way wherever it runs, so the results are those of one {@link
 * Rollout#tryRolloutBatch} to the last bit or two (the vector kernels' exp, sin and cos round
 * differently before and after the JIT compiles them, on any thread). The calling thread computes
 * the first range and waits for the others.
 *
 * <p>Small batches stay on the calling thread: a range is handed to another thread only when each
 * thread gets at least {@code minPointsPerThread} output points (starts x times). Measured with
 * {@code scripts/bench-parallel.sh} (ParallelBench, reference model, 2 cores): a forced split of 2
 * starts gains nothing at 10 points each (p50 ratio 1.01), 1.39 at 25, 1.84 at 50 and 1.9-2.0 from
 * 100 on; {@link #DEFAULT_MIN_POINTS_PER_THREAD} = 128 keeps small batches on the caller with a
 * margin, where waking a parked worker (tens of microseconds on a busy machine) would cost more
 * than it saves.
 *
 * <p>The worker threads are daemons started once and parked between batches; handing out a batch
 * and waiting for it allocate nothing (volatile fields, an atomic counter, park/unpark), so the
 * serving paths keep their zero-allocation gate. Not thread-safe: one caller at a time (like {@link
 * Rollout}). {@link #close} stops the workers.
 */
public final class ParallelRollouts implements AutoCloseable {
  /**
   * Default least output points per thread before a batch is split (measured crossover, see the
   * class comment).
   */
  public static final int DEFAULT_MIN_POINTS_PER_THREAD = 128;

  private final Rollout[] rollouts;
  private final Worker[] workers;
  private final int minPointsPerThread;
  private final int[] from;
  private final int[] to;
  private final int[] status;
  private final AtomicInteger pending = new AtomicInteger();
  private final java.util.concurrent.atomic.AtomicBoolean busy =
      new java.util.concurrent.atomic.AtomicBoolean();
  private volatile Thread caller;
  private volatile boolean closed;

  // The batch in progress: written by the caller before it publishes a new generation to the
  // workers (a volatile write), read by the workers after they see it.
  private double[] starts;
  private double[] times;
  private double[] out;
  private double[] outVelocity;
  private int n;

  /**
   * @param maxPoints most output times per start, >= 1
   * @param threads threads to use including the caller's, >= 1 (e.g. the cores available)
   * @param minPointsPerThread least output points per thread before a batch is split, >= 1
   * @throws IllegalArgumentException for a bad argument, or for FLOAT when the model does not fit
   *     in float
   */
  public ParallelRollouts(
      MotionModel model, int maxPoints, Precision precision, int threads, int minPointsPerThread) {
    if (threads < 1 || threads > 256) {
      throw new IllegalArgumentException("threads must be in 1..256, got " + threads);
    }
    if (minPointsPerThread < 1) {
      throw new IllegalArgumentException(
          "minPointsPerThread must be >= 1, got " + minPointsPerThread);
    }
    this.minPointsPerThread = minPointsPerThread;
    this.rollouts = new Rollout[threads];
    for (int i = 0; i < threads; i++) {
      rollouts[i] = new Rollout(model, maxPoints, precision);
    }
    this.from = new int[threads];
    this.to = new int[threads];
    this.status = new int[threads];
    this.workers = new Worker[threads - 1];
    for (int i = 1; i < threads; i++) {
      workers[i - 1] = new Worker(i, model.name());
      workers[i - 1].start();
    }
  }

  /** With one thread per available processor and the default crossover. */
  public ParallelRollouts(MotionModel model, int maxPoints, Precision precision) {
    this(
        model,
        maxPoints,
        precision,
        Runtime.getRuntime().availableProcessors(),
        DEFAULT_MIN_POINTS_PER_THREAD);
  }

  /** Threads including the caller's. */
  public int threads() {
    return rollouts.length;
  }

  /** Threads a batch of {@code count} starts x {@code n} times is split over. */
  public int threadsFor(int count, int n) {
    long points = (long) count * n;
    return (int)
        Math.max(1, Math.min(Math.min(rollouts.length, count), points / minPointsPerThread));
  }

  /**
   * As {@link Rollout#tryRolloutBatch}: rollouts from {@code count} starts at the same {@code n}
   * times, split over threads when large enough, with the goal and time scale set by {@link
   * #setGoal} and {@link #setTimeScale}. Allocates nothing and never throws.
   *
   * @return {@link Status#OK}, the first negative {@link Status} code (in start order), or {@link
   *     Status#ERR_BUSY} while another thread's batch runs
   */
  public int tryRolloutBatch(
      double[] starts, int count, double[] times, int n, double[] out, double[] outVelocity) {
    if (!busy.compareAndSet(false, true)) {
      return closed ? Status.ERR_CLOSED : Status.ERR_BUSY;
    }
    try {
      return closed ? Status.ERR_CLOSED : run(starts, count, times, n, out, outVelocity);
    } finally {
      busy.set(false);
    }
  }

  /**
   * As {@link #tryRolloutBatch} with this batch's own goal (null = the model's) and time scale (0 =
   * the model's) [s], set and reset within the call: for callers that share this object.
   */
  public int tryRolloutBatch(
      double[] starts,
      int count,
      double[] times,
      int n,
      double[] out,
      double[] outVelocity,
      double[] goal,
      double timeScale) {
    if (!busy.compareAndSet(false, true)) {
      return closed ? Status.ERR_CLOSED : Status.ERR_BUSY;
    }
    try {
      if (closed) {
        return Status.ERR_CLOSED;
      }
      if (goal != null && goal.length != rollouts[0].model().stateDim()) {
        return Status.ERR_DIMENSION;
      }
      for (Rollout r : rollouts) {
        if (goal != null) {
          r.setGoal(goal);
        }
        if (timeScale != 0) {
          r.setTimeScale(timeScale);
        }
      }
      return run(starts, count, times, n, out, outVelocity);
    } catch (IllegalArgumentException e) {
      return Status.ERR_NON_FINITE_INPUT; // a non-finite goal or time scale (checked at the edge)
    } finally {
      for (Rollout r : rollouts) {
        r.resetGoal();
        r.resetTimeScale();
      }
      busy.set(false);
    }
  }

  private int run(
      double[] starts, int count, double[] times, int n, double[] out, double[] outVelocity) {
    Rollout own = rollouts[0];
    int st = own.checkBatch(starts, count, times, n, out, outVelocity);
    if (st != Status.OK) {
      return st;
    }
    int use = threadsFor(count, n);
    if (use <= 1) {
      return own.rolloutRange(starts, 0, count, times, n, out, outVelocity);
    }
    this.starts = starts;
    this.times = times;
    this.out = out;
    this.outVelocity = outVelocity;
    this.n = n;
    for (int i = 0; i < use; i++) {
      from[i] = (int) ((long) count * i / use);
      to[i] = (int) ((long) count * (i + 1) / use);
    }
    caller = Thread.currentThread();
    pending.set(use - 1);
    for (int i = 1; i < use; i++) {
      workers[i - 1].publish();
    }
    status[0] = own.rolloutRange(starts, from[0], to[0], times, n, out, outVelocity);
    while (pending.get() != 0) {
      LockSupport.park(this);
    }
    this.starts = null;
    this.times = null;
    this.out = null;
    this.outVelocity = null;
    for (int i = 0; i < use; i++) {
      if (status[i] != Status.OK) {
        return status[i];
      }
    }
    return Status.OK;
  }

  /**
   * Moves the attractor of every thread's rollout for later {@link #tryRolloutBatch} calls (not
   * while another thread may be using this object: use the overload with a goal then).
   */
  public void setGoal(double[] goal) {
    for (Rollout r : rollouts) {
      r.setGoal(goal);
    }
  }

  public void resetGoal() {
    for (Rollout r : rollouts) {
      r.resetGoal();
    }
  }

  /** Uses time scale tau [s] on every thread (between batches only). */
  public void setTimeScale(double tau) {
    for (Rollout r : rollouts) {
      r.setTimeScale(tau);
    }
  }

  public void resetTimeScale() {
    for (Rollout r : rollouts) {
      r.resetTimeScale();
    }
  }

  /** The worker threads (for allocation and liveness checks in tests). */
  Thread[] workerThreads() {
    return workers.clone();
  }

  /**
   * Waits for the batch in progress (if any), stops the worker threads and waits (at most 1 s each)
   * for them to end. Idempotent.
   */
  @Override
  public void close() {
    while (!busy.compareAndSet(false, true)) {
      if (closed) {
        return;
      }
      Thread.onSpinWait();
    }
    closed = true; // busy stays set: every later call answers ERR_CLOSED
    for (Worker w : workers) {
      LockSupport.unpark(w);
    }
    for (Worker w : workers) {
      try {
        w.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private final class Worker extends Thread {
    private final int index;
    private volatile int generation;
    private int seen;

    Worker(int index, String model) {
      super("rollout-worker-" + index + "-" + model);
      this.index = index;
      setDaemon(true);
    }

    void publish() {
      generation = generation + 1;
      LockSupport.unpark(this);
    }

    @Override
    public void run() {
      while (true) {
        int g = generation;
        if (g == seen) {
          if (closed) {
            return;
          }
          LockSupport.park(this);
          continue;
        }
        seen = g;
        runRange();
      }
    }

    /*
     * One batch's range, a method of its own: run() never returns, so the JIT could only compile
     * it on the stack (OSR); this method gets an ordinary compile once it has run often enough.
     */
    private void runRange() {
      int st;
      try {
        st =
            rollouts[index].rolloutRange(
                starts, from[index], to[index], times, n, out, outVelocity);
      } catch (RuntimeException | Error e) {
        // rolloutRange does not throw on checked input; if the JVM does (out of memory), the
        // caller must not wait forever: report the range as failed.
        st = Status.ERR_NON_FINITE_RESULT;
      }
      status[index] = st;
      if (pending.decrementAndGet() == 0) {
        LockSupport.unpark(caller);
      }
    }
  }
}
