package org.diffeomotion.model;

import org.diffeomotion.model.internal.Kernels;

/**
 * The activation the coupling networks use, evaluated as the model's rollouts evaluate it: with the
 * Vector API (JVM flag {@code --add-modules jdk.incubator.vector}) the rational scheme of the
 * vector kernels (~1 ns an element, relative error ~1e-15), else {@link Math#tanh}. Public so that
 * the trainer fits its networks with the very function the served model computes.
 */
public final class Activations {
  private Activations() {}

  /**
   * In place {@code a[i] = tanh(a[i])} for i in {@code [off, off + len)}; NaN stays NaN, ±∞ gives
   * ±1. No allocation.
   *
   * @throws IndexOutOfBoundsException when the range lies outside {@code a} (before or after some
   *     elements were written)
   */
  public static void tanh(double[] a, int off, int len) {
    Kernels.best().tanh(a, off, len);
  }
}
