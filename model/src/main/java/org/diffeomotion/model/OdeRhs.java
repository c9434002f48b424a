package org.diffeomotion.model;

/** The right-hand side of an autonomous-or-not ODE {@code y' = f(t, y)}; allocation-free. */
@FunctionalInterface
public interface OdeRhs {
  /**
   * @param t time [s]
   * @param y state. Not modified.
   * @param dydt the derivative at (t, y). Modified.
   */
  void eval(double t, double[] y, double[] dydt);
}
