package org.diffeomotion.model;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Runs a served model's hot paths for a while so that the JIT compiles them before the first real
 * request pays for it.
 *
 * <p>Why: in a fresh JVM the first 1000-point rollout of the reference model costs 0.8–2 s in float
 * and 0.45–0.6 s in double (interpreted and profiled code of the Vector API kernels, which
 * allocates an object per vector operation), and the fused float network reaches its final compiled
 * form only 2–4 s into a run; until then a rollout costs milliseconds instead of 0.5 ms. A server
 * or node that starts serving at once would hand that to its first clients.
 *
 * <p>How: on its own evaluators (a {@link Rollout} and, where the model has a reactive field, a
 * {@link VelocityField}; never the ones that serve requests), it repeats 1000-point rollouts with
 * and without velocities, a short batch of starts and single velocity queries, from a few starts
 * around the goal within one scale σ, for a fixed wall-clock budget. The budget is fixed, not
 * "until the cost stops falling": the JIT's intermediate tier runs at a steady but several times
 * slower speed for seconds before the final compile lands, so no timing plateau says the work is
 * done. Run it on a background thread ({@link #startInBackground}): the JIT is shared by every
 * thread, so requests served meanwhile profit as soon as a method is compiled, and the warm-up
 * thread has minimum priority. The measured rollouts are reported to an optional {@link Timing}
 * (the gRPC registry uses it to tighten its deadline bound).
 *
 * <p>Not for hot paths: it allocates its evaluators and buffers once per call of {@link #run}.
 */
public final class Warmup {
  /** Points per warm-up rollout: the size of a typical plan. */
  public static final int POINTS = 1000;

  /** The longest budget accepted [s]. */
  public static final double MAX_BUDGET_SECONDS = 60.0;

  /** Receives the measured warm-up rollouts. Called on the warm-up thread. */
  @FunctionalInterface
  public interface Timing {
    /**
     * One rollout of {@code points} points from one start took {@code nanos} [ns], with velocities
     * or not.
     */
    void rolloutTimed(int points, boolean velocities, long nanos);
  }

  /**
   * What a warm-up did.
   *
   * @param rounds rounds completed (each: two 1000-point rollouts, a 4-start batch, 64 velocity
   *     queries where the model has a reactive field)
   * @param firstRolloutNanos the first position-only 1000-point rollout [ns]
   * @param lastRolloutNanos the last one [ns]
   * @param bestRolloutNanos the fastest one [ns]
   * @param elapsedNanos wall-clock time spent [ns]
   * @param stopped whether it was stopped (interrupt) before its budget was spent
   */
  public record Report(
      int rounds,
      long firstRolloutNanos,
      long lastRolloutNanos,
      long bestRolloutNanos,
      long elapsedNanos,
      boolean stopped) {
    /** One line for a log: rounds, time, first / last / best rollout. */
    public String describe() {
      return String.format(
          java.util.Locale.ROOT,
          "warm-up %s after %.2f s, %d rounds: 1000-point rollout first %.3f ms, last %.3f ms,"
              + " best %.3f ms",
          stopped ? "stopped" : "done",
          elapsedNanos / 1e9,
          rounds,
          firstRolloutNanos / 1e6,
          lastRolloutNanos / 1e6,
          bestRolloutNanos / 1e6);
    }
  }

  private Warmup() {}

  /**
   * Checks a warm-up budget [s]: finite, 0 (off) to {@link #MAX_BUDGET_SECONDS}.
   *
   * @param field the parameter's name for the message (e.g. {@code "~warmup"})
   * @return the budget [s]
   * @throws IllegalArgumentException naming the field otherwise
   */
  public static double checkBudget(String field, double seconds) {
    if (!(seconds >= 0.0 && seconds <= MAX_BUDGET_SECONDS)) {
      throw new IllegalArgumentException(
          field
              + " = "
              + seconds
              + " s is not a warm-up budget: expected 0 (off) to "
              + MAX_BUDGET_SECONDS
              + " s");
    }
    return seconds;
  }

  /**
   * Warms up on the calling thread for {@code budgetSeconds} [s] (at least one round, unless the
   * thread is interrupted first). Stops early, with {@link Report#stopped()}, when the thread is
   * interrupted; the interrupt status is kept.
   *
   * @param precision the precision the model is served in
   * @param timing receives each timed 1000-point rollout, or null
   * @throws IllegalArgumentException if the budget is out of range or the model cannot be evaluated
   *     in {@code precision}
   */
  public static Report run(
      MotionModel model, Precision precision, double budgetSeconds, Timing timing) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(precision, "precision");
    checkBudget("budgetSeconds", budgetSeconds);
    long t0 = System.nanoTime();
    long budget = (long) (budgetSeconds * 1e9);
    int d = model.stateDim();
    Rollout rollout = new Rollout(model, POINTS, precision);
    VelocityField field =
        model.supportsStateFeedback() ? new VelocityField(model, precision) : null;
    double[] times = new double[POINTS];
    // Ten time scales: past the demonstrated duration, as plans are.
    TimeGrids.fillUniformStep(times, POINTS, 10.0 * model.timeScale() / (POINTS - 1));
    double[][] starts = starts(model);
    double[] batch = new double[4 * d];
    for (int s = 0; s < 4; s++) {
      System.arraycopy(starts[s % starts.length], 0, batch, s * d, d);
    }
    int batchPoints = POINTS / 4;
    double[] out = new double[POINTS * d];
    double[] vel = new double[POINTS * d];
    double[] v = new double[d];
    long first = -1;
    long last = -1;
    long best = Long.MAX_VALUE;
    int rounds = 0;
    boolean stopped = false;
    while (true) {
      if (Thread.currentThread().isInterrupted()) {
        stopped = true;
        break;
      }
      double[] y0 = starts[rounds % starts.length];
      long a = System.nanoTime();
      int st = rollout.tryRollout(y0, times, POINTS, out, null);
      long b = System.nanoTime();
      check(st, "rollout");
      st = rollout.tryRollout(y0, times, POINTS, out, vel);
      long c = System.nanoTime();
      check(st, "rollout with velocities");
      check(rollout.tryRolloutBatch(batch, 4, times, batchPoints, out, null), "batch rollout");
      if (field != null) {
        for (int q = 0; q < 64; q++) {
          check(field.tryVelocity(starts[q % starts.length], v), "velocity query");
        }
      }
      if (timing != null) {
        timing.rolloutTimed(POINTS, false, b - a);
        timing.rolloutTimed(POINTS, true, c - b);
      }
      if (first < 0) {
        first = b - a;
      }
      last = b - a;
      best = Math.min(best, last);
      rounds++;
      if (System.nanoTime() - t0 >= budget) {
        break;
      }
    }
    return new Report(
        rounds,
        Math.max(first, 0),
        Math.max(last, 0),
        best == Long.MAX_VALUE ? 0 : best,
        System.nanoTime() - t0,
        stopped);
  }

  /**
   * Starts {@link #run} on a daemon thread of minimum priority named {@code "warmup-" + name}.
   * Interrupt the thread to stop it early; {@code done} (may be null) receives the report, or is
   * not called if the warm-up failed (the failure goes to the thread's uncaught-exception handler).
   *
   * @return the started thread; null if {@code budgetSeconds} is 0 (warm-up off)
   */
  public static Thread startInBackground(
      MotionModel model,
      Precision precision,
      double budgetSeconds,
      Timing timing,
      Consumer<Report> done) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(precision, "precision");
    checkBudget("budgetSeconds", budgetSeconds);
    if (budgetSeconds == 0.0) {
      return null;
    }
    Thread t =
        new Thread(
            () -> {
              Report r = run(model, precision, budgetSeconds, timing);
              if (done != null) {
                done.accept(r);
              }
            },
            "warmup-" + model.name());
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
    return t;
  }

  /** The goal and goal ± σ/2 along each diagonal of the first two dimensions (a few starts). */
  private static double[][] starts(MotionModel model) {
    double[] g = model.goal();
    double[] s = model.scale();
    int d = g.length;
    double[][] out = new double[5][];
    out[0] = g.clone();
    for (int k = 1; k < 5; k++) {
      double[] y = g.clone();
      for (int j = 0; j < d; j++) {
        // Signs vary by dimension and start so that no two starts coincide.
        double sign = (((k >> (j % 2)) & 1) == 0) ? 1.0 : -1.0;
        y[j] += sign * 0.5 * s[j];
      }
      out[k] = y;
    }
    return out;
  }

  private static void check(int status, String what) {
    if (status != Status.OK) {
      throw new IllegalStateException("warm-up " + what + " failed: " + Status.describe(status));
    }
  }
}
