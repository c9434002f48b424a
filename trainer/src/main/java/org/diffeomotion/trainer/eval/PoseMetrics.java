package org.diffeomotion.trainer.eval;

import org.diffeomotion.model.So3;

/**
 * The errors of a full-pose rollout against a demo, position and orientation apart (metres and
 * radians are not added up): the position DTW over x, y, z [m] ({@link Dtw}, normalised by the path
 * length), and, at the pairs of points that this DTW matches, the rotation angle between the
 * rollout's and the demo's orientations [rad], its mean and max. The angle between q_g ⊗ Exp(a) and
 * q_g ⊗ Exp(b) does not depend on q_g, so the states' rotation vectors suffice.
 *
 * @param positionDtw mean distance between matched points of the position curves [m].
 * @param orientationMean mean rotation angle between matched points [rad].
 * @param orientationMax largest rotation angle between matched points [rad].
 */
public record PoseMetrics(double positionDtw, double orientationMean, double orientationMax) {

  /**
   * @param rollout states [x, y, z, r_x, r_y, r_z], row-major n x 6. Not modified.
   * @param demo states, row-major m x 6. Not modified.
   */
  public static PoseMetrics of(double[] rollout, int n, double[] demo, int m) {
    double dtw = Dtw.align(positions(rollout, n), n, positions(demo, m), m, 3).normalised();
    int[][] path = Dtw.path(rollout, n, demo, m, 3, 6);
    double[] qa = new double[4];
    double[] qb = new double[4];
    double sum = 0;
    double max = 0;
    for (int[] p : path) {
      So3.exp(rollout, p[0] * 6 + 3, qa, 0);
      So3.exp(demo, p[1] * 6 + 3, qb, 0);
      double a = So3.angleBetween(qa, 0, qb, 0);
      sum += a;
      max = Math.max(max, a);
    }
    return new PoseMetrics(dtw, sum / path.length, max);
  }

  /** The pose metrics of one evaluated demo of a full-pose model (d = 6). */
  public static PoseMetrics of(DemoMetrics m) {
    return of(m.rollout(), m.points(), m.demo(), m.points());
  }

  private static double[] positions(double[] y, int n) {
    double[] p = new double[n * 3];
    for (int i = 0; i < n; i++) {
      System.arraycopy(y, i * 6, p, i * 3, 3);
    }
    return p;
  }
}
