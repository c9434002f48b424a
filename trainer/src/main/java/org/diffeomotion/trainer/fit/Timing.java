package org.diffeomotion.trainer.fit;

/**
 * Which times the trainer fits the demonstrated samples at (TRAINING.md, "Timing").
 *
 * <p>The model is an autonomous first-order system seen through a diffeomorphism: its speed at the
 * start of a motion is that of the base, the largest along the whole rollout, while human
 * demonstrations start at rest and accelerate over a fifth of their duration. Fitting the
 * demonstrated times forces F to crush space around every start; gradient descent finds cheaper
 * compromises instead (a hook that leaves the start and comes back, corners cut), and the shape
 * suffers. Measured on the handwriting benchmark (trainer/BENCHMARK.md) the held-out DTW is about
 * half with {@link #PROGRESS}; the price is the speed profile: the model starts at its peak speed
 * and decelerates, as every first-order dynamical system does.
 */
public enum Timing {
  /**
   * Shape first (default): each demo is re-timed so that its path fraction follows the base's own
   * exponential profile over the median demo duration, {@code (1 - e^(-λ s)) / (1 - e^(-λ S))} with
   * λ the initial decay rate; the model then reproduces the paths and the overall duration, not the
   * demo's acceleration phase.
   */
  PROGRESS,
  /** The demonstrated times (the loss compares rollout and demo at equal times). */
  DEMO
}
