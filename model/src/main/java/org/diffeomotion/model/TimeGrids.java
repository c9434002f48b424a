package org.diffeomotion.model;

/**
 * Output-time grids shared by every front end (gRPC, the ROS node, the CLI), so that the same
 * request gives the same number of points everywhere.
 */
public final class TimeGrids {
  private TimeGrids() {}

  /**
   * Points of the grid {@code 0, dt, 2 dt, ...} up to {@code duration}, both ends included when
   * {@code duration} is a whole number of steps. The quotient is rounded with a relative tolerance
   * of 1e-9, so that {@code 1.0 / 0.1 = 9.999999999999998} counts as 10 steps (11 points) whatever
   * the magnitudes.
   *
   * @param duration [s], finite, >= 0
   * @param dt [s], finite, > 0
   * @return the number of points, >= 1 (a long: callers compare it with their limits)
   */
  public static long uniformStepCount(double duration, double dt) {
    return (long) Math.floor(duration / dt * (1 + TOLERANCE)) + 1;
  }

  /**
   * Points of the grid {@code 0, 1/rate, 2/rate, ...} up to {@code duration} (a paced stream): as
   * {@link #uniformStepCount} with {@code dt = 1 / rate}, without forming 1 / rate.
   *
   * @param duration [s], finite, >= 0
   * @param rate [Hz], finite, > 0
   */
  public static long uniformRateCount(double duration, double rate) {
    return (long) Math.floor(duration * rate * (1 + TOLERANCE)) + 1;
  }

  /**
   * The number of points of the grid {@code 0, dt, 2 dt, ...} whose last point reaches at least
   * {@code duration}: a plan that lasts until arrival must not stop short of it. A quotient within
   * the tolerance of a whole number counts as that number (1.0 / 0.1 gives 11 points, not 12).
   *
   * @param duration [s], finite, >= 0
   * @param dt [s], > 0
   */
  public static long reachingStepCount(double duration, double dt) {
    return (long) Math.ceil(duration / dt * (1 - TOLERANCE)) + 1;
  }

  /**
   * Writes {@code t[i] = i * dt} for i in [0, n): the grid of {@link #uniformStepCount}. Allocates
   * nothing.
   *
   * @param t at least n values [s]. Modified.
   * @param dt [s], > 0
   */
  public static void fillUniformStep(double[] t, int n, double dt) {
    for (int i = 0; i < n; i++) {
      t[i] = i * dt;
    }
  }

  /**
   * Writes n times evenly spaced over [0, duration], both ends included and the last exactly {@code
   * duration} (not {@code (n - 1) * (duration / (n - 1))}); n = 1 gives the single time 0.
   * Allocates nothing.
   *
   * @param t at least n values [s]. Modified.
   * @param n >= 1
   * @param duration [s], finite, >= 0
   */
  public static void fillUniformCount(double[] t, int n, double duration) {
    for (int i = 0; i < n - 1; i++) {
      t[i] = i * duration / (n - 1);
    }
    t[n - 1] = n == 1 ? 0 : duration;
  }

  // Relative tolerance of the step-count quotient: 1.0 / 0.1 = 9.999999999999998 is 10 steps.
  private static final double TOLERANCE = 1e-9;
}
