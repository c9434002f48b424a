package org.diffeomotion.rosnode;

/**
 * What went wrong with an input or an output of the motion node: each kind has its own log throttle
 * ({@link ThrottledLog}), so that a flood of one kind does not hide another.
 */
enum ErrorKind {
  /** A start in another frame (no TF lookup). */
  START_FRAME,
  /** A start with a NaN, the wrong dimension or joints, or outside the workspace. */
  START_INPUT,
  /** A pose model's start whose orientation is no unit quaternion (NaN, all zeros, norm off). */
  START_ORIENTATION,
  /** A rollout that failed from an accepted start. */
  START_EVAL,
  /** A state in another frame. */
  STATE_FRAME,
  /** A state with a NaN, the wrong dimension or joints, or outside the workspace. */
  STATE_INPUT,
  /** A pose model's state whose orientation is no unit quaternion. */
  STATE_ORIENTATION,
  /** A velocity query that failed at an accepted state. */
  STATE_EVAL,
  /** A state for a model without state feedback (a > 0). */
  STATE_NO_FEEDBACK,
  /** A goal in another frame. */
  GOAL_FRAME,
  /** A goal with a NaN, the wrong dimension or joints, or outside the workspace. */
  GOAL_INPUT,
  /** A plan that ends before arriving at the goal (WARN, not ERROR). */
  PLAN_ARRIVAL
}
