package org.diffeomotion.model;

/**
 * Output-time grids shared by every front end (gRPC, the ROS node, the CLI), so that the same
 * request gives the same number of points everywhere.
 */
public final class TimeGrids {
  private TimeGrids() {}

  /**
   * Points of the grid {@code 0, dt, 2 dt, ...} up to {@code duration}, both ends included when
   * {@code duration} is a whole number of steps. The quotient is rounded with a relative
   * tolerance of 1e-9, so that {@code 1.0 / 0.1 = 9.999999999999998} counts as 10 steps
   * (11 points) whatever the magnitudes.
   *
   * @param duration [s], finite, >= 0
   * @param dt [s], finite, > 0
   * @return the number of points, >= 1 (a long: callers compare it with their limits)
   */
  public static long uniformStepCount(double duration, double dt) {
    return (long) Math.floor(duration / dt * (1 + 1e-9)) + 1;
  }
}
