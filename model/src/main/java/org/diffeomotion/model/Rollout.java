package org.diffeomotion.model;

import org.diffeomotion.model.internal.CouplingFlow;
import org.diffeomotion.model.internal.FloatKernels;
import org.diffeomotion.model.internal.FlowWorkspace;
import org.diffeomotion.model.internal.Kernels;
import org.diffeomotion.model.internal.StableLinearBase;

/**
 * Closed-form rollouts of a model: {@code y(t) = g + sigma * [F(exp(A t/tau) x0) - c]_{1..d}},
 * {@code x0 = F^-1(z(y0) + c)}. One inverse pass for the start, one forward pass batched over the
 * requested times (in chunks that fit in cache): no step size, no error accumulation, cost
 * independent of the horizon.
 *
 * <p>Stateful and not thread-safe: owns its scratch memory (sized once for one chunk of 64 points,
 * whatever {@link #maxPoints()}) and an optional goal / time-scale override. After warm-up {@link
 * #tryRollout} allocates nothing and never throws; {@link #rollout} validates and throws a
 * descriptive {@link IllegalArgumentException}.
 */
public final class Rollout {
  /** Points per forward batch: the hidden activations of a chunk stay in L1/L2 cache. */
  static final int CHUNK = 64;

  private final MotionModel model;
  private final Kernels k;
  private final Precision precision;
  private final CouplingFlow flow;
  private final StableLinearBase base;
  private final FlowWorkspace ws;
  private final Frame frame;
  private final int maxPoints;
  private final int d;
  private final int dim;
  private final double[] c;
  private final double[] z;
  private final double[] x0;
  private final double[] s;
  private final double[] e;
  private final double[] sn;
  private final double[] cs;
  private final double[] xs;
  private final double[] ys;
  private final double[] vs;
  private final double[] dys;

  /** Points a chunk is padded to a multiple of: the lanes of the kernels in use (CHUNK divides). */
  private final int pad;

  /**
   * @param maxPoints most output times one call may ask for, >= 1
   */
  public Rollout(MotionModel model, int maxPoints) {
    this(model, maxPoints, Kernels.best(), Precision.DOUBLE);
  }

  /** As {@link #Rollout(MotionModel, int)} with named kernels: best, scalar or vector. */
  public Rollout(MotionModel model, int maxPoints, String kernels) {
    this(model, maxPoints, Kernels.named(kernels), Precision.DOUBLE);
  }

  /**
   * As {@link #Rollout(MotionModel, int)} with the coupling networks in {@code precision}.
   *
   * @throws IllegalArgumentException for {@link Precision#FLOAT} when the model's weights or F(0)
   *     do not fit in float range
   */
  public Rollout(MotionModel model, int maxPoints, Precision precision) {
    this(model, maxPoints, Kernels.best(), precision);
  }

  /** With named kernels (best, scalar or vector) and a precision. */
  public Rollout(MotionModel model, int maxPoints, String kernels, Precision precision) {
    this(model, maxPoints, Kernels.named(kernels), precision);
  }

  private Rollout(MotionModel model, int maxPoints, Kernels kernels, Precision precision) {
    if (maxPoints < 1) {
      throw new IllegalArgumentException("maxPoints must be >= 1, got " + maxPoints);
    }
    if (precision == null) {
      throw new IllegalArgumentException("precision is null: expected DOUBLE or FLOAT");
    }
    this.model = model;
    this.k = kernels;
    this.precision = precision;
    FloatKernels fk = precision == Precision.FLOAT ? FloatKernels.matching(kernels) : null;
    this.flow = model.flow();
    this.base = model.base();
    this.ws = new FlowWorkspace(flow, CHUNK, fk);
    this.frame = new Frame(model);
    this.maxPoints = maxPoints;
    this.d = model.stateDim();
    this.dim = model.networkDim();
    this.c = model.anchor(k, fk);
    this.z = new double[dim];
    this.x0 = new double[dim];
    this.s = new double[CHUNK];
    this.e = new double[CHUNK];
    this.sn = new double[CHUNK];
    this.cs = new double[CHUNK];
    this.xs = new double[dim * CHUNK];
    this.ys = new double[dim * CHUNK];
    this.vs = new double[dim * CHUNK];
    this.dys = new double[dim * CHUNK];
    int lanes = Math.max(kernels.lanes(), fk == null ? 1 : fk.lanes());
    this.pad = lanes >= 1 && CHUNK % lanes == 0 ? lanes : 1;
  }

  public MotionModel model() {
    return model;
  }

  public int maxPoints() {
    return maxPoints;
  }

  /**
   * Name of the numeric kernels in use, e.g. {@code vector(512-bit)}, or with float networks {@code
   * vector(512-bit)+float-vector(512-bit)}.
   */
  public String kernels() {
    return ws.floatKernels() == null ? k.name() : k.name() + "+" + ws.floatKernels().name();
  }

  /** Precision of the coupling networks. */
  public Precision precision() {
    return precision;
  }

  /** Moves the attractor to {@code goal} [dimension units] for later calls. Not modified. */
  public void setGoal(double[] goal) {
    frame.setGoal(goal);
  }

  /** Back to the model's own goal. */
  public void resetGoal() {
    frame.resetGoal();
  }

  /** The goal in use [dimension units]; a copy. */
  public double[] goal() {
    return frame.goalCopy();
  }

  /** Uses time scale {@code tau} [s] (larger is slower) for later calls. */
  public void setTimeScale(double tau) {
    frame.setTimeScale(tau);
  }

  /** Back to the model's own time scale. */
  public void resetTimeScale() {
    frame.resetTimeScale();
  }

  public double timeScale() {
    return frame.tau;
  }

  /**
   * Closed-form rollout at {@code n} times without allocating or throwing.
   *
   * @param y0 start state, d values [dimension units]. Not modified.
   * @param times n output times [s] from the start, finite, >= 0, non-decreasing. Not modified.
   * @param n number of output times, 0..maxPoints
   * @param out states, row-major n x d [dimension units]. Modified.
   * @param outVelocity velocities {@code y'(t)} row-major n x d [units/s], or null. Modified.
   * @return {@link Status#OK} or a negative {@link Status} code (out then undefined)
   */
  public int tryRollout(double[] y0, double[] times, int n, double[] out, double[] outVelocity) {
    int st = checkTimes(times, n, out, outVelocity);
    if (st != Status.OK) {
      return st;
    }
    if (y0 == null || y0.length != d) {
      return Status.ERR_DIMENSION;
    }
    if (!frame.normalise(y0, c, z)) {
      return Status.ERR_NON_FINITE_INPUT;
    }
    flow.inverse(k, z, x0, 1, ws);
    return propagate(times, n, out, outVelocity, 0);
  }

  /**
   * Rollouts from {@code count} starts at the same {@code n} times.
   *
   * @param starts row-major count x d [dimension units]. Not modified.
   * @param out row-major count x n x d. Modified.
   * @param outVelocity like out, or null. Modified.
   */
  public int tryRolloutBatch(
      double[] starts, int count, double[] times, int n, double[] out, double[] outVelocity) {
    int st = checkBatch(starts, count, times, n, out, outVelocity);
    if (st != Status.OK) {
      return st;
    }
    return rolloutRange(starts, 0, count, times, n, out, outVelocity);
  }

  /**
   * The rollouts of starts {@code from..to-1} of a checked batch (the arguments as {@link
   * #tryRolloutBatch} has validated them): {@link ParallelRollouts} gives each thread a range.
   */
  int rolloutRange(
      double[] starts,
      int from,
      int to,
      double[] times,
      int n,
      double[] out,
      double[] outVelocity) {
    for (int b = from; b < to; b++) {
      if (!frame.normalise(starts, b * d, c, z)) {
        return Status.ERR_NON_FINITE_INPUT;
      }
      flow.inverse(k, z, x0, 1, ws);
      int st = propagate(times, n, out, outVelocity, b * n * d);
      if (st != Status.OK) {
        return st;
      }
    }
    return Status.OK;
  }

  /** The batch checks of {@link #tryRolloutBatch}, without computing. */
  int checkBatch(double[] starts, int count, double[] times, int n, double[] out, double[] vel) {
    int st = checkTimes(times, n, null, null);
    if (st != Status.OK) {
      return st;
    }
    if (starts == null || count < 0 || starts.length != (long) count * d) {
      return Status.ERR_DIMENSION;
    }
    long need = (long) count * n * d;
    if (out == null || out.length < need || (vel != null && vel.length < need)) {
      return Status.ERR_OUTPUT_TOO_SMALL;
    }
    return Status.OK;
  }

  /**
   * Checks a request without computing it: throws the same descriptive {@link
   * IllegalArgumentException} as {@link #rollout} would.
   */
  public void validate(double[] y0, double[] times, int n) {
    int st = checkTimes(times, n, null, null);
    if (st == Status.OK && (y0 == null || y0.length != d)) {
      st = Status.ERR_DIMENSION;
    }
    if (st == Status.OK && !Frame.where(y0).isEmpty()) {
      st = Status.ERR_NON_FINITE_INPUT;
    }
    if (st != Status.OK) {
      throw new IllegalArgumentException(explain(st, y0, times, n, null, null));
    }
  }

  /** As {@link #tryRollout} without velocities; throws on bad input. */
  public void rollout(double[] y0, double[] times, int n, double[] out) {
    rollout(y0, times, n, out, null);
  }

  /**
   * As {@link #tryRollout}, but bad input throws an {@link IllegalArgumentException} that names the
   * field and value (e.g. {@code times[17] = 0.5 < times[16] = 0.6}).
   */
  public void rollout(double[] y0, double[] times, int n, double[] out, double[] outVelocity) {
    int st = tryRollout(y0, times, n, out, outVelocity);
    if (st != Status.OK) {
      throw new IllegalArgumentException(explain(st, y0, times, n, out, outVelocity));
    }
  }

  /** Allocating convenience: the rollout at {@code times} as a new n x d array. */
  public double[] rollout(double[] y0, double[] times) {
    double[] out = new double[times.length * d];
    rollout(y0, times, times.length, out, null);
    return out;
  }

  private int checkTimes(double[] times, int n, double[] out, double[] outVelocity) {
    if (n < 0 || n > maxPoints) {
      return Status.ERR_TOO_MANY_POINTS;
    }
    if (times == null || times.length < n) {
      return Status.ERR_DIMENSION;
    }
    if (out != null || outVelocity != null) {
      long need = (long) n * d;
      if (out == null || out.length < need || (outVelocity != null && outVelocity.length < need)) {
        return Status.ERR_OUTPUT_TOO_SMALL;
      }
    }
    double prev = 0;
    for (int j = 0; j < n; j++) {
      double t = times[j];
      if (!Double.isFinite(t)) {
        return Status.ERR_NON_FINITE_INPUT;
      }
      if (t < 0) {
        return Status.ERR_NEGATIVE_TIME;
      }
      if (t < prev) {
        return Status.ERR_UNSORTED_TIMES;
      }
      prev = t;
    }
    return Status.OK;
  }

  /** x0 is set; writes the n points for it at out[off...]. */
  private int propagate(double[] times, int n, double[] out, double[] outVel, int off) {
    double invTau = 1.0 / frame.tau;
    double[] goal = frame.goal;
    double[] scale = frame.scale;
    boolean finite = true;
    for (int j0 = 0; j0 < n; j0 += CHUNK) {
      int p = Math.min(CHUNK, n - j0);
      // A chunk of a multiple of the vector length runs no scalar tail loop: the tails cost
      // several times more per point than the vector body (10 points took 2.5x the time of 16).
      // So the chunk is padded with copies of its last time and the extra points are dropped;
      // each point is computed on its own, so the kept ones are unchanged. One point stays one.
      int pp = p <= 1 ? p : Math.min(CHUNK, (p + pad - 1) / pad * pad);
      for (int j = 0; j < p; j++) {
        s[j] = times[j0 + j] * invTau;
      }
      for (int j = p; j < pp; j++) {
        s[j] = s[p - 1];
      }
      base.propagate(k, x0, s, pp, xs, e, sn, cs);
      if (outVel == null) {
        flow.forward(k, xs, ys, pp, ws);
      } else {
        base.apply(xs, vs, pp);
        flow.jvp(k, xs, vs, ys, dys, pp, ws);
      }
      for (int i = 0; i < d; i++) {
        int row = i * pp;
        double g = goal[i];
        double sg = scale[i];
        double ci = c[i];
        double vsc = sg * invTau;
        for (int j = 0; j < p; j++) {
          int at = off + (j0 + j) * d + i;
          double y = g + sg * (ys[row + j] - ci);
          out[at] = y;
          finite &= Double.isFinite(y);
          if (outVel != null) {
            double v = vsc * dys[row + j];
            outVel[at] = v;
            finite &= Double.isFinite(v);
          }
        }
      }
    }
    return finite ? Status.OK : Status.ERR_NON_FINITE_RESULT;
  }

  private String explain(
      int st, double[] y0, double[] times, int n, double[] out, double[] outVel) {
    switch (st) {
      case Status.ERR_TOO_MANY_POINTS:
        return "n = " + n + " output times requested; this rollout takes 0.." + maxPoints;
      case Status.ERR_OUTPUT_TOO_SMALL:
        return "output array too small: need n * d = "
            + n
            + " * "
            + d
            + " values, out has "
            + (out == null ? "null" : out.length)
            + (outVel == null ? "" : ", outVelocity has " + outVel.length);
      case Status.ERR_DIMENSION:
        if (times == null || times.length < n) {
          return "times has " + (times == null ? "null" : times.length) + " values, n = " + n;
        }
        return "start state has "
            + (y0 == null ? "null" : y0.length + " values")
            + ", the model's state dimension is "
            + d
            + " "
            + model.dimensionNames();
      case Status.ERR_NON_FINITE_INPUT:
      case Status.ERR_NEGATIVE_TIME:
      case Status.ERR_UNSORTED_TIMES:
        for (int j = 0; j < n; j++) {
          double t = times[j];
          if (!Double.isFinite(t)) {
            return "times[" + j + "] is " + t + ", must be finite";
          }
          if (t < 0) {
            return "times[" + j + "] = " + t + " is negative: times are seconds from the start";
          }
          if (j > 0 && t < times[j - 1]) {
            return "times["
                + j
                + "] = "
                + t
                + " < times["
                + (j - 1)
                + "] = "
                + times[j - 1]
                + ": times must be non-decreasing";
          }
        }
        return "start state" + Frame.where(y0) + ", must be finite";
      case Status.ERR_NON_FINITE_RESULT:
        return "the rollout overflowed: the start state is far outside the region the model "
            + "can represent (scale "
            + java.util.Arrays.toString(frame.scale)
            + ")";
      default:
        return Status.describe(st);
    }
  }
}
