package org.diffeomotion.model;

import java.util.Locale;
import org.diffeomotion.model.internal.StableLinearBase;

/**
 * The stability facts of a model: the eigenvalues of the base matrix A, the slowest decay rate, and
 * the Lyapunov argument that makes the goal globally asymptotically stable.
 */
public final class StabilityReport {
  private final double[] re;
  private final double[] im;
  private final double tau;
  private final double epsilon;
  private final int augment;
  private final boolean pose;
  private final int stateDim;

  StabilityReport(MotionModel model) {
    StableLinearBase base = model.base();
    int dim = model.networkDim();
    re = new double[dim];
    im = new double[dim];
    int at = 0;
    for (int k = 0; k < base.modeCount(); k++) {
      re[at] = base.realPart(k);
      if (base.isOscillatory(k)) {
        im[at] = base.omega(k);
        re[at + 1] = base.realPart(k);
        im[at + 1] = -base.omega(k);
        at += 2;
      } else {
        at += 1;
      }
    }
    tau = model.timeScale();
    epsilon = base.epsilon();
    augment = model.augmentDim();
    pose = model.isPose();
    stateDim = model.stateDim();
  }

  /** Real parts of the D eigenvalues of A in physical time [1/s] (all < 0). A copy. */
  public double[] eigenvalueRealParts() {
    double[] r = re.clone();
    for (int i = 0; i < r.length; i++) {
      r[i] /= tau;
    }
    return r;
  }

  /** Imaginary parts of the D eigenvalues in physical time [rad/s]. A copy. */
  public double[] eigenvalueImagParts() {
    double[] r = im.clone();
    for (int i = 0; i < r.length; i++) {
      r[i] /= tau;
    }
    return r;
  }

  /** The slowest decay rate of the base, min over modes of p^2 + eps, in [1/s]. */
  public double slowestDecayRate() {
    double m = Double.POSITIVE_INFINITY;
    for (double r : re) {
      m = Math.min(m, -r);
    }
    return m / tau;
  }

  /** The guaranteed lower bound eps / tau on every decay rate [1/s]. */
  public double decayRateBound() {
    return epsilon / tau;
  }

  /** Whether the global guarantee covers state feedback (a = 0). */
  public boolean global() {
    return augment == 0;
  }

  /** The guarantee in words, for reports, `inspect` and the gRPC DescribeModel call. */
  public String statement() {
    String lyap =
        String.format(
            Locale.ROOT,
            "The base x' = A x has eigenvalues with real parts in [%.4g, %.4g] 1/s (every one <= "
                + "-eps/tau = %.4g 1/s). Its symmetric part is negative definite, so V = |x|^2 "
                + "decreases along every solution: V' = 2 x^T A x <= -2 (eps/tau) V. ",
            min(re) / tau,
            max(re) / tau,
            -epsilon / tau);
    if (pose) {
      return lyap
          + "F is a diffeomorphism of R^6 with F(0) mapped to the goal pose, so V(y) = "
          + "|F^-1(z(y) + c)|^2 is a strict Lyapunov function of the learned field on y = [p, r], "
          + "r = Log(q_g^-1 q) the rotation vector relative to the goal orientation q_g: the "
          + "position converges globally and the orientation almost globally, from every "
          + "orientation except the measure-zero set of half-turns |r| = pi away from the goal "
          + "(where the rotation vector flips); no continuous field on SO(3) can do better "
          + "(a topological obstruction). The goal pose is exact (p = g, r = 0).";
    }
    if (augment == 0) {
      return lyap
          + "F is a diffeomorphism of R^"
          + stateDim
          + " with F(0) mapped to the goal, "
          + "so V(y) = |F^-1(z(y) + c)|^2 is a strict Lyapunov function of the learned field: "
          + "the goal is its unique equilibrium and is globally asymptotically stable, for "
          + "closed-form rollouts and for state feedback alike.";
    }
    return lyap
        + "With "
        + augment
        + " augmentation dimension(s), rollouts from [y0, 0] "
        + "converge to the goal, but the reactive field is only defined on the slice [y, 0]: "
        + "state feedback carries no global guarantee for this model.";
  }

  private static double min(double[] a) {
    double m = Double.POSITIVE_INFINITY;
    for (double v : a) {
      m = Math.min(m, v);
    }
    return m;
  }

  private static double max(double[] a) {
    double m = Double.NEGATIVE_INFINITY;
    for (double v : a) {
      m = Math.max(m, v);
    }
    return m;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "slowest decay rate %.4g 1/s (time constant %.4g s), " + "bound eps/tau = %.4g 1/s%n",
            slowestDecayRate(),
            1 / slowestDecayRate(),
            decayRateBound()));
    sb.append("eigenvalues [1/s]:");
    for (int i = 0; i < re.length; i++) {
      sb.append(String.format(Locale.ROOT, " %.4g%+.4gi", re[i] / tau, im[i] / tau));
    }
    sb.append(System.lineSeparator()).append(statement());
    return sb.toString();
  }
}
