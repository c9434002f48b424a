package org.diffeomotion.model;

import java.util.Arrays;

/**
 * The per-evaluator affine map between states and normalised coordinates: {@code z = [(y - g) /
 * sigma, 0_a]}, {@code s = t / tau}. The goal and time scale start as the model's and can be
 * overridden (a moved attractor, a faster or slower motion) without touching the shared model.
 */
final class Frame {
  final int d;
  final int dim;
  final double[] goal;
  final double[] scale;
  final double[] modelGoal;
  final double modelTau;
  double tau;

  Frame(MotionModel model) {
    this.d = model.stateDim();
    this.dim = model.networkDim();
    this.modelGoal = model.goalRef();
    this.goal = modelGoal.clone();
    this.scale = model.scaleRef();
    this.modelTau = model.timeScale();
    this.tau = modelTau;
  }

  void setGoal(double[] g) {
    if (g == null || g.length != d) {
      throw new IllegalArgumentException(
          "goal: expected " + d + " values, got " + (g == null ? "null" : g.length));
    }
    for (int i = 0; i < d; i++) {
      if (!Double.isFinite(g[i])) {
        throw new IllegalArgumentException("goal[" + i + "] is " + g[i] + ", must be finite");
      }
    }
    System.arraycopy(g, 0, goal, 0, d);
  }

  void resetGoal() {
    System.arraycopy(modelGoal, 0, goal, 0, d);
  }

  void setTimeScale(double t) {
    if (!(t > 0) || !Double.isFinite(t)) {
      throw new IllegalArgumentException("time_scale must be finite and > 0 [s], got " + t);
    }
    this.tau = t;
  }

  void resetTimeScale() {
    this.tau = modelTau;
  }

  double[] goalCopy() {
    return Arrays.copyOf(goal, d);
  }

  /** out[0..D) = z(y) + c. Returns false when y has a non-finite entry. */
  boolean normalise(double[] y, double[] c, double[] out) {
    return normalise(y, 0, c, out);
  }

  /** As {@link #normalise(double[], double[], double[])} for the state at y[from..from+d). */
  boolean normalise(double[] y, int from, double[] c, double[] out) {
    for (int i = 0; i < d; i++) {
      double v = y[from + i];
      if (!Double.isFinite(v)) {
        return false;
      }
      out[i] = (v - goal[i]) / scale[i] + c[i];
    }
    for (int i = d; i < dim; i++) {
      out[i] = c[i];
    }
    return true;
  }

  static String where(double[] y) {
    for (int i = 0; i < y.length; i++) {
      if (!Double.isFinite(y[i])) {
        return "[" + i + "] is " + y[i];
      }
    }
    return "";
  }
}
