package org.diffeomotion.rosnode;

/** The result of checking one input message (start, state, goal) before it is used. */
enum InputStatus {
  OK,
  /** Another frame than the node's (no TF lookup). */
  FRAME,
  /** The wrong number of values, or joints missing. */
  DIMENSION,
  /** A NaN or infinite value. */
  NON_FINITE,
  /**
   * A pose model's orientation that is no unit quaternion: NaN or infinite, all zeros (unset), or a
   * norm more than {@code PoseMap.MAX_NORM_ERROR} from 1.
   */
  ORIENTATION,
  /** Outside the model's workspace ({@code ~workspace_sigmas}). */
  OUTSIDE
}
