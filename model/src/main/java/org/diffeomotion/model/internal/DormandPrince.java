package org.diffeomotion.model.internal;

import org.diffeomotion.model.IntegrationStats;
import org.diffeomotion.model.Integrator;
import org.diffeomotion.model.OdeRhs;

/**
 * Adaptive Dormand-Prince 5(4) (Hairer, Norsett, Wanner, "Solving ODEs I", II.5) with its
 * fourth-order continuous extension for output between steps, so output times do not force small
 * steps. Error control per component: {@code sc_i = atol + rtol * max(|y_i|, |y1_i|)}, a step is
 * accepted when the RMS of {@code err_i / sc_i} is <= 1.
 */
public final class DormandPrince implements Integrator {
  static final double C2 = 1.0 / 5;
  static final double C3 = 3.0 / 10;
  static final double C4 = 4.0 / 5;
  static final double C5 = 8.0 / 9;
  static final double A21 = 1.0 / 5;
  static final double A31 = 3.0 / 40;
  static final double A32 = 9.0 / 40;
  static final double A41 = 44.0 / 45;
  static final double A42 = -56.0 / 15;
  static final double A43 = 32.0 / 9;
  static final double A51 = 19372.0 / 6561;
  static final double A52 = -25360.0 / 2187;
  static final double A53 = 64448.0 / 6561;
  static final double A54 = -212.0 / 729;
  static final double A61 = 9017.0 / 3168;
  static final double A62 = -355.0 / 33;
  static final double A63 = 46732.0 / 5247;
  static final double A64 = 49.0 / 176;
  static final double A65 = -5103.0 / 18656;

  /** Fifth-order weights (also the last row of A: first same as last). */
  static final double B1 = 35.0 / 384;

  static final double B3 = 500.0 / 1113;
  static final double B4 = 125.0 / 192;
  static final double B5 = -2187.0 / 6784;
  static final double B6 = 11.0 / 84;

  /** Error weights: fifth-order minus fourth-order solution. */
  static final double E1 = 71.0 / 57600;

  static final double E3 = -71.0 / 16695;
  static final double E4 = 71.0 / 1920;
  static final double E5 = -17253.0 / 339200;
  static final double E6 = 22.0 / 525;
  static final double E7 = -1.0 / 40;

  /** Dense output coefficients. */
  static final double D1 = -12715105075.0 / 11282082432.0;

  static final double D3 = 87487479700.0 / 32700410799.0;
  static final double D4 = -10690763975.0 / 1880347072.0;
  static final double D5 = 701980252875.0 / 199316789632.0;
  static final double D6 = -1453857185.0 / 822651844.0;
  static final double D7 = 69997945.0 / 29380423.0;

  private final double rtol;
  private final double atol;
  private final double h0;
  private final long maxSteps;

  /**
   * @param h0 first step [s], or 0 to choose it from the problem
   * @param maxSteps the integration fails (IllegalStateException) after this many steps
   */
  public DormandPrince(double rtol, double atol, double h0, long maxSteps) {
    this.rtol = rtol;
    this.atol = atol;
    this.h0 = h0;
    this.maxSteps = maxSteps;
  }

  @Override
  public String name() {
    return "dopri5";
  }

  @Override
  public IntegrationStats integrate(OdeRhs f, double[] y0, double[] times, int n, double[] out) {
    int dim = y0.length;
    double[] y = y0.clone();
    double[] y1 = new double[dim];
    double[] tmp = new double[dim];
    double[] k1 = new double[dim];
    double[] k2 = new double[dim];
    double[] k3 = new double[dim];
    double[] k4 = new double[dim];
    double[] k5 = new double[dim];
    double[] k6 = new double[dim];
    double[] k7 = new double[dim];
    double[] r5 = new double[dim];
    long evals = 0;
    long steps = 0;
    long rejected = 0;
    int j = 0;
    while (j < n && times[j] <= 0) {
      System.arraycopy(y, 0, out, j * dim, dim);
      j++;
    }
    if (j == n) {
      return new IntegrationStats(0, 0, 0);
    }
    double tEnd = times[n - 1];
    f.eval(0, y, k1);
    evals++;
    double h = h0 > 0 ? h0 : initialStep(f, y, k1, tmp, k2, tEnd);
    evals += h0 > 0 ? 0 : 1;
    double t = 0;
    while (j < n) {
      if (steps + rejected >= maxSteps) {
        throw new IllegalStateException(
            "dopri5: more than "
                + maxSteps
                + " steps before t = "
                + tEnd
                + " s (stiff or diverging problem?)");
      }
      h = Math.min(h, tEnd - t);
      for (int i = 0; i < dim; i++) {
        tmp[i] = y[i] + h * A21 * k1[i];
      }
      f.eval(t + C2 * h, tmp, k2);
      for (int i = 0; i < dim; i++) {
        tmp[i] = y[i] + h * (A31 * k1[i] + A32 * k2[i]);
      }
      f.eval(t + C3 * h, tmp, k3);
      for (int i = 0; i < dim; i++) {
        tmp[i] = y[i] + h * (A41 * k1[i] + A42 * k2[i] + A43 * k3[i]);
      }
      f.eval(t + C4 * h, tmp, k4);
      for (int i = 0; i < dim; i++) {
        tmp[i] = y[i] + h * (A51 * k1[i] + A52 * k2[i] + A53 * k3[i] + A54 * k4[i]);
      }
      f.eval(t + C5 * h, tmp, k5);
      for (int i = 0; i < dim; i++) {
        tmp[i] = y[i] + h * (A61 * k1[i] + A62 * k2[i] + A63 * k3[i] + A64 * k4[i] + A65 * k5[i]);
      }
      f.eval(t + h, tmp, k6);
      for (int i = 0; i < dim; i++) {
        y1[i] = y[i] + h * (B1 * k1[i] + B3 * k3[i] + B4 * k4[i] + B5 * k5[i] + B6 * k6[i]);
      }
      f.eval(t + h, y1, k7);
      evals += 6;
      double err = 0;
      for (int i = 0; i < dim; i++) {
        double e =
            h * (E1 * k1[i] + E3 * k3[i] + E4 * k4[i] + E5 * k5[i] + E6 * k6[i] + E7 * k7[i]);
        double sc = atol + rtol * Math.max(Math.abs(y[i]), Math.abs(y1[i]));
        err += (e / sc) * (e / sc);
      }
      err = Math.sqrt(err / dim);
      if (!Double.isFinite(err)) {
        err = 1e10;
      }
      if (err <= 1.0) {
        double tNew = t + h;
        for (int i = 0; i < dim; i++) {
          r5[i] = h * (D1 * k1[i] + D3 * k3[i] + D4 * k4[i] + D5 * k5[i] + D6 * k6[i] + D7 * k7[i]);
        }
        while (j < n && times[j] <= tNew) {
          double theta = (times[j] - t) / h;
          double th1 = 1 - theta;
          int o = j * dim;
          for (int i = 0; i < dim; i++) {
            double c2 = y1[i] - y[i];
            double c3 = h * k1[i] - c2;
            double c4 = c2 - h * k7[i] - c3;
            out[o + i] = y[i] + theta * (c2 + th1 * (c3 + theta * (c4 + th1 * r5[i])));
          }
          j++;
        }
        System.arraycopy(y1, 0, y, 0, dim);
        System.arraycopy(k7, 0, k1, 0, dim);
        t = tNew;
        steps++;
      } else {
        rejected++;
      }
      double fac = err == 0 ? 5 : Math.min(5, Math.max(0.2, 0.9 * Math.pow(err, -0.2)));
      if (err > 1.0) {
        fac = Math.min(1.0, fac);
      }
      h *= fac;
    }
    return new IntegrationStats(steps, rejected, evals);
  }

  /** Hairer's starting step heuristic (Solving ODEs I, II.4). */
  private double initialStep(
      OdeRhs f, double[] y, double[] f0, double[] y1, double[] f1, double tEnd) {
    int dim = y.length;
    double d0 = 0;
    double d1 = 0;
    for (int i = 0; i < dim; i++) {
      double sc = atol + rtol * Math.abs(y[i]);
      d0 += (y[i] / sc) * (y[i] / sc);
      d1 += (f0[i] / sc) * (f0[i] / sc);
    }
    d0 = Math.sqrt(d0 / dim);
    d1 = Math.sqrt(d1 / dim);
    double h = (d0 < 1e-5 || d1 < 1e-5) ? 1e-6 : 0.01 * d0 / d1;
    h = Math.min(h, tEnd);
    for (int i = 0; i < dim; i++) {
      y1[i] = y[i] + h * f0[i];
    }
    f.eval(h, y1, f1);
    double d2 = 0;
    for (int i = 0; i < dim; i++) {
      double sc = atol + rtol * Math.abs(y[i]);
      d2 += ((f1[i] - f0[i]) / sc) * ((f1[i] - f0[i]) / sc);
    }
    d2 = Math.sqrt(d2 / dim) / h;
    double h1 =
        Math.max(d1, d2) <= 1e-15
            ? Math.max(1e-6, h * 1e-3)
            : Math.pow(0.01 / Math.max(d1, d2), 0.2);
    return Math.min(100 * h, Math.min(h1, tEnd));
  }
}
