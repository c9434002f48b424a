package org.diffeomotion.model.testing;

import java.util.Arrays;

/**
 * Architecture and normalisation of a model to build with {@link ModelFactory}: what the trainer
 * starts from, and what tests and benchmarks evaluate. Mutable builder with defaults (the benchmark
 * reference model: d = 2, a = 0, 8 blocks, one hidden layer of 64).
 */
public final class ModelSpec {
  String name = "model";
  int stateDim = 2;
  int augmentDim = 0;
  int blocks = 8;
  int[] hidden = {64};
  double clamp = 2.0;
  double epsilon = 0.1;
  double timeScale = 1.0;
  double[] goal;
  double[] scale;
  String frameId = "";
  boolean oscillatory = true;
  double outputWeightScale = 0.5;
  double[] goalOrientation;

  public ModelSpec name(String v) {
    this.name = v;
    return this;
  }

  public ModelSpec stateDim(int v) {
    this.stateDim = v;
    return this;
  }

  /** Augmented (hidden) dimensions of the model's state. */
  public int augmentDim() {
    return augmentDim;
  }

  public ModelSpec augmentDim(int v) {
    this.augmentDim = v;
    return this;
  }

  public ModelSpec blocks(int v) {
    this.blocks = v;
    return this;
  }

  /** Hidden layer widths of every subnet, e.g. {64} or {128, 128}. */
  public ModelSpec hidden(int... widths) {
    this.hidden = widths.clone();
    return this;
  }

  public ModelSpec clamp(double v) {
    this.clamp = v;
    return this;
  }

  public ModelSpec epsilon(double v) {
    this.epsilon = v;
    return this;
  }

  /** tau [s]. */
  public ModelSpec timeScale(double v) {
    this.timeScale = v;
    return this;
  }

  /** Goal [dimension units]; default the origin. */
  public ModelSpec goal(double... v) {
    this.goal = v.clone();
    return this;
  }

  /** Scale sigma [dimension units]; default 1. */
  public ModelSpec scale(double... v) {
    this.scale = v.clone();
    return this;
  }

  public ModelSpec frameId(String v) {
    this.frameId = v;
    return this;
  }

  /**
   * A full-pose model: d = 6 (x, y, z in m, r_x, r_y, r_z in rad), a = 0, the rotation vector
   * relative to the goal orientation q (x, y, z, w; normalised here). A goal set with {@link #goal}
   * must have zeros on the rotation dimensions.
   */
  public ModelSpec pose(double... q) {
    double n = Math.sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
    this.goalOrientation = new double[] {q[0] / n, q[1] / n, q[2] / n, q[3] / n};
    this.stateDim = 6;
    this.augmentDim = 0;
    return this;
  }

  /** Pair dimensions into oscillatory modes (default) or use real modes only. */
  public ModelSpec oscillatory(boolean v) {
    this.oscillatory = v;
    return this;
  }

  /**
   * Standard deviation factor of random last-layer weights (0 gives identity blocks); larger values
   * bend the flow more.
   */
  public ModelSpec outputWeightScale(double v) {
    this.outputWeightScale = v;
    return this;
  }

  double[] goalOrDefault() {
    return goal != null ? goal : new double[stateDim];
  }

  double[] scaleOrDefault() {
    if (scale != null) {
      return scale;
    }
    double[] s = new double[stateDim];
    Arrays.fill(s, 1.0);
    return s;
  }
}
