package org.diffeomotion.model.internal;

import org.diffeomotion.model.IntegrationStats;
import org.diffeomotion.model.Integrator;
import org.diffeomotion.model.OdeRhs;

/**
 * Fixed-step explicit Runge-Kutta methods given by their Butcher tableau. This class owns the loop
 * over output times; a method is only its tableau.
 */
public final class ExplicitRungeKutta implements Integrator {
  /** Forward Euler, order 1. */
  static final double[][] EULER_A = {{}};

  static final double[] EULER_B = {1};
  static final double[] EULER_C = {0};

  /** Explicit midpoint, order 2. */
  static final double[][] MIDPOINT_A = {{}, {0.5}};

  static final double[] MIDPOINT_B = {0, 1};
  static final double[] MIDPOINT_C = {0, 0.5};

  /** The classical Runge-Kutta method, order 4. */
  static final double[][] RK4_A = {{}, {0.5}, {0, 0.5}, {0, 0, 1}};

  static final double[] RK4_B = {1.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 6};
  static final double[] RK4_C = {0, 0.5, 0.5, 1};

  private final String name;
  private final double[][] a;
  private final double[] b;
  private final double[] c;
  private final double maxStep;

  private ExplicitRungeKutta(String name, double[][] a, double[] b, double[] c, double maxStep) {
    this.name = name;
    this.a = a;
    this.b = b;
    this.c = c;
    this.maxStep = maxStep;
  }

  /**
   * @param maxStep largest step [s], or 0 for one step per output interval
   */
  public static ExplicitRungeKutta euler(double maxStep) {
    return new ExplicitRungeKutta("euler", EULER_A, EULER_B, EULER_C, maxStep);
  }

  public static ExplicitRungeKutta midpoint(double maxStep) {
    return new ExplicitRungeKutta("midpoint", MIDPOINT_A, MIDPOINT_B, MIDPOINT_C, maxStep);
  }

  public static ExplicitRungeKutta rk4(double maxStep) {
    return new ExplicitRungeKutta("rk4", RK4_A, RK4_B, RK4_C, maxStep);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public IntegrationStats integrate(OdeRhs f, double[] y0, double[] times, int n, double[] out) {
    int dim = y0.length;
    int stages = b.length;
    double[][] k = new double[stages][dim];
    double[] y = y0.clone();
    double[] tmp = new double[dim];
    double t = 0;
    long steps = 0;
    for (int j = 0; j < n; j++) {
      double target = times[j];
      while (t < target) {
        double h = maxStep > 0 ? Math.min(maxStep, target - t) : target - t;
        // The last sliver of an interval can round below ulp(t): land on target exactly.
        if (t + h <= t) {
          break;
        }
        for (int s = 0; s < stages; s++) {
          for (int i = 0; i < dim; i++) {
            double acc = y[i];
            for (int r = 0; r < s; r++) {
              acc += h * a[s][r] * k[r][i];
            }
            tmp[i] = acc;
          }
          f.eval(t + c[s] * h, tmp, k[s]);
        }
        for (int i = 0; i < dim; i++) {
          double acc = 0;
          for (int s = 0; s < stages; s++) {
            acc += b[s] * k[s][i];
          }
          y[i] += h * acc;
        }
        t = t + h >= target - 1e-15 * Math.max(1, Math.abs(target)) ? target : t + h;
        steps++;
      }
      System.arraycopy(y, 0, out, j * dim, dim);
    }
    return new IntegrationStats(steps, 0, steps * stages);
  }
}
