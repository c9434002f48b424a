package org.diffeomotion.model;

import java.util.Locale;

/**
 * The inputs a served model accepts: states and goals within a multiple of the model's scale σ
 * around its goal, durations within a multiple of its time scale τ, time-scale overrides within a
 * factor of τ. Outside it the model's numbers mean nothing (σ is the spread of the demonstrations,
 * so 100 σ is two orders of magnitude past anything demonstrated) and, far enough out, overflow
 * (1e300 m); every front end (CLI, gRPC, ROS node) refuses them with a message that names the
 * field, rather than computing −6.6e295.
 *
 * <p>Immutable. {@link #defaults()}: 100 σ, 1000 τ, time scales τ/1000..1000 τ. {@link #of} binds
 * it to one model; the {@link Bounds} checks allocate nothing unless they fail.
 */
public final class Workspace {
  /** Default half-width of the accepted box around the goal [σ]. */
  public static final double DEFAULT_SIGMAS = 100;

  /** Default longest duration [τ]. */
  public static final double DEFAULT_DURATION_TAUS = 1000;

  /** Default factor a time-scale override may differ from τ by (either way). */
  public static final double DEFAULT_TIME_SCALE_FACTOR = 1000;

  private final double sigmas;
  private final double durationTaus;
  private final double timeScaleFactor;

  private Workspace(double sigmas, double durationTaus, double timeScaleFactor) {
    this.sigmas = check("sigmas", sigmas);
    this.durationTaus = check("durationTaus", durationTaus);
    this.timeScaleFactor = check("timeScaleFactor", timeScaleFactor);
    if (timeScaleFactor < 1) {
      throw new IllegalArgumentException("timeScaleFactor must be >= 1, got " + timeScaleFactor);
    }
  }

  private static double check(String name, double v) {
    if (!(v > 0) || !Double.isFinite(v)) {
      throw new IllegalArgumentException(name + " must be finite and > 0, got " + v);
    }
    return v;
  }

  public static Workspace defaults() {
    return new Workspace(DEFAULT_SIGMAS, DEFAULT_DURATION_TAUS, DEFAULT_TIME_SCALE_FACTOR);
  }

  /** Half-width of the accepted box around the goal, per dimension [σ]. */
  public Workspace withSigmas(double k) {
    return new Workspace(k, durationTaus, timeScaleFactor);
  }

  /** Longest accepted duration or time [τ of the model, or of the override when larger]. */
  public Workspace withDurationTaus(double k) {
    return new Workspace(sigmas, k, timeScaleFactor);
  }

  /** Time-scale overrides are accepted within [τ / f, τ f]. */
  public Workspace withTimeScaleFactor(double f) {
    return new Workspace(sigmas, durationTaus, f);
  }

  public double sigmas() {
    return sigmas;
  }

  public double durationTaus() {
    return durationTaus;
  }

  public double timeScaleFactor() {
    return timeScaleFactor;
  }

  /** The bounds for one model. */
  public Bounds of(MotionModel model) {
    return new Bounds(this, model);
  }

  /** Six significant digits without trailing zeros: 100, 2.5, 1e+300, -202. */
  static String num(double v) {
    String s = String.format(Locale.ROOT, "%.6g", v);
    int e = s.indexOf('e');
    String mant = e >= 0 ? s.substring(0, e) : s;
    String exp = e >= 0 ? s.substring(e) : "";
    if (mant.indexOf('.') >= 0) {
      mant = mant.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return mant + exp;
  }

  @Override
  public String toString() {
    return "Workspace{"
        + num(sigmas)
        + " sigma around the goal, durations <= "
        + num(durationTaus)
        + " tau, time scales tau/"
        + num(timeScaleFactor)
        + ".."
        + num(timeScaleFactor)
        + " tau}";
  }

  /** A {@link Workspace} bound to one model: the box [lo, hi] per dimension, τ limits. */
  public static final class Bounds {
    private final Workspace ws;
    private final double[] lo;
    private final double[] hi;
    private final double tau;
    private final java.util.List<String> names;
    private final java.util.List<String> units;

    Bounds(Workspace ws, MotionModel m) {
      this.ws = ws;
      int d = m.stateDim();
      double[] g = m.goal();
      double[] s = m.scale();
      lo = new double[d];
      hi = new double[d];
      for (int i = 0; i < d; i++) {
        lo[i] = g[i] - ws.sigmas * s[i];
        hi[i] = g[i] + ws.sigmas * s[i];
      }
      tau = m.timeScale();
      names = m.dimensionNames();
      units = m.dimensionUnits();
    }

    public Workspace workspace() {
      return ws;
    }

    /** Whether value v of dimension i lies in the box. NaN is outside. */
    public boolean inside(int i, double v) {
      return v >= lo[i] && v <= hi[i];
    }

    /**
     * The first dimension of {@code y[off .. off + d)} outside the box, or -1 when all are in.
     * Allocation-free (the ROS node's state path calls it per message).
     */
    public int outside(double[] y, int off) {
      for (int i = 0; i < lo.length; i++) {
        if (!inside(i, y[off + i])) {
          return i;
        }
      }
      return -1;
    }

    /** {@link #outside(double[], int)} at offset 0. */
    public int outside(double[] y) {
      return outside(y, 0);
    }

    /**
     * The message for value v of dimension i outside the box, naming {@code field} (e.g.
     * "start[0]", "--goal").
     */
    public String describe(String field, int i, double v) {
      String u = units.get(i).isEmpty() ? "" : " " + units.get(i);
      return field
          + " ("
          + names.get(i)
          + ") = "
          + num(v)
          + u
          + " is outside the model's workspace ["
          + num(lo[i])
          + ", "
          + num(hi[i])
          + "]"
          + u
          + " (goal +- "
          + num(ws.sigmas)
          + " sigma; a value this far from every demonstration means nothing to the model)";
    }

    /** Lower end of dimension i [dimension unit]. */
    public double lo(int i) {
      return lo[i];
    }

    /** Upper end of dimension i [dimension unit]. */
    public double hi(int i) {
      return hi[i];
    }

    /** Longest accepted duration for time scale {@code tauUsed} (τ or an override) [s]. */
    public double maxDuration(double tauUsed) {
      return ws.durationTaus * Math.max(tau, tauUsed);
    }

    /**
     * Null when {@code t} [s] is an accepted duration or time, else the message naming the field.
     */
    public String checkDuration(String field, double t, double tauUsed) {
      double max = maxDuration(tauUsed);
      if (t <= max) {
        return null;
      }
      return field
          + " = "
          + num(t)
          + " s is longer than the model's workspace allows: "
          + num(ws.durationTaus)
          + " tau = "
          + num(max)
          + " s (tau = "
          + num(Math.max(tau, tauUsed))
          + " s); the motion has long arrived at the goal by then";
    }

    /** Null when {@code t} [s] is an accepted time-scale override, else the message. */
    public String checkTimeScale(String field, double t) {
      if (t >= tau / ws.timeScaleFactor && t <= tau * ws.timeScaleFactor) {
        return null;
      }
      return field
          + " = "
          + num(t)
          + " s is outside the accepted time scales ["
          + num(tau / ws.timeScaleFactor)
          + ", "
          + num(tau * ws.timeScaleFactor)
          + "] s (the model's tau = "
          + num(tau)
          + " s, / and x "
          + num(ws.timeScaleFactor)
          + ")";
    }
  }
}
