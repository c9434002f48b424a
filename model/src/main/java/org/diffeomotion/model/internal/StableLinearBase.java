package org.diffeomotion.model.internal;

/**
 * The stable linear base {@code x' = A x}, A block-diagonal with real modes {@code lambda = -(p^2 +
 * eps)} and oscillatory 2x2 modes {@code [[alpha, -omega], [omega, alpha]]}, {@code alpha = -(p^2 +
 * eps)}. Time is normalised time {@code s = t / tau}. Immutable.
 */
public final class StableLinearBase {
  private final int dim;
  private final double epsilon;
  private final boolean[] oscillatory;
  private final int[] firstDim;

  /** Real part of each mode's eigenvalue(s): -(p^2 + eps) < 0. */
  private final double[] rate;

  private final double[] omega;

  /** Arguments validated by the model reader. */
  public StableLinearBase(
      int dim, double epsilon, boolean[] oscillatory, double[] p, double[] omega) {
    this.dim = dim;
    this.epsilon = epsilon;
    this.oscillatory = oscillatory;
    this.omega = omega;
    this.rate = new double[p.length];
    this.firstDim = new int[p.length];
    int at = 0;
    for (int k = 0; k < p.length; k++) {
      rate[k] = -(p[k] * p[k] + epsilon);
      firstDim[k] = at;
      at += oscillatory[k] ? 2 : 1;
    }
  }

  public int dim() {
    return dim;
  }

  public double epsilon() {
    return epsilon;
  }

  public int modeCount() {
    return rate.length;
  }

  public boolean isOscillatory(int mode) {
    return oscillatory[mode];
  }

  /** Real part of the mode's eigenvalue(s) [1/normalised time], always <= -epsilon. */
  public double realPart(int mode) {
    return rate[mode];
  }

  /** Imaginary part +-omega of an oscillatory mode [rad/normalised time]; 0 for real modes. */
  public double omega(int mode) {
    return omega[mode];
  }

  /**
   * {@code out[:, j] = exp(A s[j]) x0} for j < n, written as D rows of n (structure of arrays).
   *
   * @param x0 base start state, D values. Not modified.
   * @param s normalised times, n values. Not modified.
   * @param out D rows of n. Modified.
   * @param e scratch, n values. Modified.
   * @param sn scratch, n values. Modified.
   * @param cs scratch, n values. Modified.
   */
  public void propagate(
      Kernels k,
      double[] x0,
      double[] s,
      int n,
      double[] out,
      double[] e,
      double[] sn,
      double[] cs) {
    for (int mode = 0; mode < rate.length; mode++) {
      double lam = rate[mode];
      for (int j = 0; j < n; j++) {
        e[j] = lam * s[j];
      }
      k.exp(e, 0, n);
      int i = firstDim[mode];
      if (!oscillatory[mode]) {
        double x = x0[i];
        int row = i * n;
        for (int j = 0; j < n; j++) {
          out[row + j] = e[j] * x;
        }
      } else {
        double w = omega[mode];
        for (int j = 0; j < n; j++) {
          cs[j] = w * s[j];
        }
        k.sinCos(cs, sn, cs, n);
        double xa = x0[i];
        double xb = x0[i + 1];
        int ra = i * n;
        int rb = ra + n;
        for (int j = 0; j < n; j++) {
          out[ra + j] = e[j] * (cs[j] * xa - sn[j] * xb);
          out[rb + j] = e[j] * (sn[j] * xa + cs[j] * xb);
        }
      }
    }
  }

  /** {@code out = A x} for {@code points} points (D rows). out must not alias x. */
  public void apply(double[] x, double[] out, int points) {
    for (int mode = 0; mode < rate.length; mode++) {
      double lam = rate[mode];
      int ra = firstDim[mode] * points;
      if (!oscillatory[mode]) {
        for (int j = 0; j < points; j++) {
          out[ra + j] = lam * x[ra + j];
        }
      } else {
        double w = omega[mode];
        int rb = ra + points;
        for (int j = 0; j < points; j++) {
          double a = x[ra + j];
          double b = x[rb + j];
          out[ra + j] = lam * a - w * b;
          out[rb + j] = w * a + lam * b;
        }
      }
    }
  }
}
