package org.diffeomotion.trainer.bench;

/**
 * The speed envelope of one demonstration over normalised time {@code u = t / T} in [0, 1]:
 *
 * <pre>
 *   v(u) = (b + (1 - b) (1 - exp(-(u / riseTime)^riseShape))) * (1 - exp(-((1 - u) / fallTime)^fallShape))
 * </pre>
 *
 * a quick smooth rise from {@code b} (the start speed relative to the plateau), a long flat plateau
 * and a fall to exactly 0 at {@code u = 1}. The plateau is what makes it much flatter than minimum
 * jerk (the default parameters put 7 / 19 / 53 / 85 / 95 % of the path at 10 / 20 / 50 / 80 / 90 %
 * of the time, as measured on human handwriting; minimum jerk gives 1 / 6 / 50 / 94 / 99 %). The
 * generator multiplies it by the two-thirds power law along the path.
 *
 * @param startSpeed b: speed at u = 0 relative to the plateau, in [0, 1).
 * @param riseTime time constant of the rise, as a fraction of the duration (> 0).
 * @param riseShape exponent of the rise (> 0; 2 is a Gaussian-like onset).
 * @param fallTime time constant of the fall before the end, as a fraction of the duration (> 0).
 * @param fallShape exponent of the fall (> 0; below 1 the speed reaches 0 with a finite slope).
 */
record TimeLaw(
    double startSpeed, double riseTime, double riseShape, double fallTime, double fallShape) {

  /** Sub-intervals per output interval of the Simpson integration of v. */
  private static final int SUBSTEPS = 8;

  TimeLaw {
    if (!(startSpeed >= 0
        && startSpeed < 1
        && riseTime > 0
        && riseShape > 0
        && fallTime > 0
        && fallShape > 0)) {
      throw new IllegalArgumentException(
          "time law parameters out of range: "
              + startSpeed
              + ", "
              + riseTime
              + ", "
              + riseShape
              + ", "
              + fallTime
              + ", "
              + fallShape);
    }
  }

  /** v(u) for u in [0, 1]. */
  double speed(double u) {
    double rise =
        startSpeed
            + (1 - startSpeed) * (1 - StrictMath.exp(-StrictMath.pow(u / riseTime, riseShape)));
    double rest = StrictMath.max(0.0, 1 - u);
    double fall = 1 - StrictMath.exp(-StrictMath.pow(rest / fallTime, fallShape));
    return rise * fall;
  }

  /**
   * The share of the total "envelope distance" {@code ∫0^u v / ∫0^1 v} at {@code n} uniform times
   * {@code u_j = j / (n - 1)}: 0 at the first, exactly 1 at the last, non-decreasing.
   */
  double[] cumulativeShare(int n) {
    double[] c = new double[n];
    double h = 1.0 / ((n - 1) * (double) SUBSTEPS);
    double prev = speed(0);
    for (int j = 1; j < n; j++) {
      double sum = 0;
      double u0 = (j - 1) / (double) (n - 1);
      // Composite Simpson over SUBSTEPS/2 double steps.
      for (int k = 0; k < SUBSTEPS; k += 2) {
        double a = prev;
        double m = speed(u0 + (k + 1) * h);
        double b = speed(u0 + (k + 2) * h);
        sum += h / 3 * (a + 4 * m + b);
        prev = b;
      }
      c[j] = c[j - 1] + sum;
    }
    double total = c[n - 1];
    for (int j = 0; j < n; j++) {
      c[j] /= total;
    }
    c[n - 1] = 1.0;
    return c;
  }
}
