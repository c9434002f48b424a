package org.diffeomotion.model;

/**
 * When a motion has arrived at its goal, and how long a default plan must therefore be.
 *
 * <p>Arrived means: the state is within {@link #distance()} of the goal and moves slower than
 * {@link #speed()}, both in the model's own units per dimension (σ for positions, σ/τ for speeds,
 * the largest over the dimensions). The defaults, 1e-3 σ and 1e-2 σ/τ, are 0.4 mm and 6 mm/s for
 * the sample model (σ ≈ 0.4 m, τ ≈ 0.66 s).
 *
 * <p>Why not a fixed multiple of τ: the base's slowest mode decaying by e^-5 bounds the base state,
 * not the distance in the state, which the flow can stretch (the sample model's plan from (0.3,
 * 0.45) ended 0.19 m from the goal, still moving at 0.5 m/s, at that horizon). {@link #arrivalTime}
 * checks the rollout itself.
 *
 * <p>Immutable; the checks allocate nothing ({@link Scratch} holds the arrays).
 */
public final class Arrival {
  /** Default distance tolerance [σ]. */
  public static final double DEFAULT_DISTANCE = 1e-3;

  /** Default speed tolerance [σ/τ]. */
  public static final double DEFAULT_SPEED = 1e-2;

  /** Bisection steps after the doubling search: the time found is within 2^-8 of a doubling. */
  static final int BISECTIONS = 8;

  private final double distance;
  private final double speed;

  private Arrival(double distance, double speed) {
    if (!(distance > 0) || !Double.isFinite(distance)) {
      throw new IllegalArgumentException(
          "goal distance tolerance must be finite and > 0 [sigma], got " + distance);
    }
    if (!(speed > 0) || !Double.isFinite(speed)) {
      throw new IllegalArgumentException(
          "goal speed tolerance must be finite and > 0 [sigma/tau], got " + speed);
    }
    this.distance = distance;
    this.speed = speed;
  }

  public static Arrival defaults() {
    return new Arrival(DEFAULT_DISTANCE, DEFAULT_SPEED);
  }

  /** Distance tolerance [σ]: max over dimensions of |y_i − g_i| / σ_i. */
  public Arrival withDistance(double sigmas) {
    return new Arrival(sigmas, speed);
  }

  /** Speed tolerance [σ/τ]: max over dimensions of |y'_i| τ / σ_i. */
  public Arrival withSpeed(double sigmasPerTau) {
    return new Arrival(distance, sigmasPerTau);
  }

  public double distance() {
    return distance;
  }

  public double speed() {
    return speed;
  }

  /** max_i |y[off+i] − g_i| / σ_i [σ]. */
  public static double normalisedDistance(double[] y, int off, double[] goal, double[] sigma) {
    double m = 0;
    for (int i = 0; i < goal.length; i++) {
      m = Math.max(m, Math.abs(y[off + i] - goal[i]) / sigma[i]);
    }
    return m;
  }

  /** max_i |v[off+i]| τ / σ_i [σ/τ]. */
  public static double normalisedSpeed(double[] v, int off, double[] sigma, double tau) {
    double m = 0;
    for (int i = 0; i < sigma.length; i++) {
      m = Math.max(m, Math.abs(v[off + i]) * tau / sigma[i]);
    }
    return m;
  }

  /** Euclidean norm of {@code a[off .. off + d)} minus {@code b} (b null: zero) [state units]. */
  public static double norm(double[] a, int off, double[] b, int d) {
    double s = 0;
    for (int i = 0; i < d; i++) {
      double e = a[off + i] - (b == null ? 0 : b[i]);
      s += e * e;
    }
    return Math.sqrt(s);
  }

  /** Whether state y and velocity v (at offset off) have arrived at goal (NaN: not). */
  public boolean reached(
      double[] y, double[] v, int off, double[] goal, double[] sigma, double tau) {
    return normalisedDistance(y, off, goal, sigma) <= distance
        && normalisedSpeed(v, off, sigma, tau) <= speed;
  }

  /** Arrays for {@link #arrivalTime} for one state dimension. */
  public static final class Scratch {
    final double[] time = new double[1];
    final double[] y;
    final double[] v;

    public Scratch(int d) {
      y = new double[d];
      v = new double[d];
    }

    /** The state at the last time checked [dimension units]; valid until the next check. */
    public double[] state() {
      return y;
    }

    /** The velocity at the last time checked [dimension units / s]. */
    public double[] velocity() {
      return v;
    }
  }

  /**
   * The time at which the rollout from {@code y0} has arrived: the first of t0, 2 t0, 4 t0, ... (up
   * to {@code maxTime}) at which it has, then bisected {@value #BISECTIONS} times towards the last
   * one at which it had not, keeping a time at which it has. {@code r}'s goal and time scale are
   * used as set; {@code goal} and {@code tau} must be the same. Allocation-free.
   *
   * @param sigma the model's scale [dimension units]
   * @param t0 first time tried [s], > 0
   * @param maxTime longest time tried [s]
   * @return the arrival time [s], or -1 when not even {@code maxTime} arrives (or the rollout
   *     fails)
   */
  public double arrivalTime(
      Rollout r,
      double[] y0,
      double[] goal,
      double[] sigma,
      double tau,
      double t0,
      double maxTime,
      Scratch s) {
    double lo = 0;
    double t = Math.min(t0, maxTime);
    while (true) {
      if (arrivedAt(r, y0, goal, sigma, tau, t, s)) {
        break;
      }
      if (t >= maxTime) {
        return -1;
      }
      lo = t;
      t = Math.min(2 * t, maxTime);
    }
    double hi = t;
    for (int k = 0; k < BISECTIONS && hi - lo > 1e-9 * hi; k++) {
      double mid = 0.5 * (lo + hi);
      if (arrivedAt(r, y0, goal, sigma, tau, mid, s)) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    return hi;
  }

  /**
   * Whether the rollout from {@code y0} has arrived at time {@code t} [s]; the state and velocity
   * there are left in {@code s}. False when the rollout fails.
   */
  public boolean arrivedAt(
      Rollout r, double[] y0, double[] goal, double[] sigma, double tau, double t, Scratch s) {
    s.time[0] = t;
    if (r.tryRollout(y0, s.time, 1, s.y, s.v) != Status.OK) {
      return false;
    }
    return reached(s.y, s.v, 0, goal, sigma, tau);
  }
}
