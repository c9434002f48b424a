package org.diffeomotion.model;

/**
 * A numerical integrator of {@code y' = f(t, y)} from {@code y(0) = y0}, reporting the state at the
 * requested output times. They exist to check the closed-form rollout (they must agree) and to
 * measure what the closed form saves. Obtain one by name from {@link Integrators}.
 */
public interface Integrator {
  /** The name it is registered under, e.g. {@code "rk4"}. */
  String name();

  /**
   * @param f right-hand side. Must not retain y.
   * @param y0 start state; its length is the dimension. Not modified.
   * @param times n output times [s], finite, >= 0, non-decreasing. Not modified.
   * @param out states at the output times, row-major n x dim. Modified.
   */
  IntegrationStats integrate(OdeRhs f, double[] y0, double[] times, int n, double[] out);
}
