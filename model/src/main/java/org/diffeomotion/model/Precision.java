package org.diffeomotion.model;

import java.util.Locale;

/**
 * Arithmetic precision of the coupling networks (the MLPs inside F, nearly all of the model's cost)
 * in {@link Rollout}, {@link VelocityField} and {@link FlowEvaluator}. Everything else stays in
 * double in both modes: the affine coupling updates {@code v = u * exp(clamp(a)) + b} and their
 * clamps, the base's closed form {@code exp(A t)}, the anchor {@code c = F(0)} and the goal.
 *
 * <ul>
 *   <li>{@link #DOUBLE}: the reference (the default).
 *   <li>{@link #FLOAT}: the networks' weights, activations and tangents in float (Vector API float
 *       kernels, 16 lanes with AVX-512; plain float loops without the Vector API module, same
 *       bits). About 2x faster rollouts (measured: 1000-point p50 0.67 vs 1.31 ms). The model is
 *       the same; its networks' outputs carry float rounding (relative ~1e-7), so positions differ
 *       from {@link #DOUBLE} by a bounded perturbation (tested: within 1e-4 sigma over the test
 *       models, FloatPrecisionTest), while the goal stays exact: F(0) is cancelled by an anchor
 *       computed with the same deterministic float evaluation.
 * </ul>
 */
public enum Precision {
  DOUBLE,
  FLOAT;

  /** Lower-case name, as configuration files and command lines spell it. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code double} or {@code float} (case-insensitive).
   *
   * @throws IllegalArgumentException naming the value and the accepted ones
   */
  public static Precision named(String name) {
    if (name != null) {
      for (Precision p : values()) {
        if (p.label().equals(name.trim().toLowerCase(Locale.ROOT))) {
          return p;
        }
      }
    }
    throw new IllegalArgumentException(
        "unknown precision '" + name + "': expected double or float");
  }
}
