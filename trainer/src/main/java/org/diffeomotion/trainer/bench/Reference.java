package org.diffeomotion.trainer.bench;

import java.util.List;
import org.diffeomotion.trainer.data.Demonstration;

/**
 * The no-learning reference of the benchmark, and the resampling it needs: the index-aligned mean
 * of the training demonstrations (point j = the mean of the demos' point j), which is what one gets
 * by "averaging the demos" without any model. A learned model must follow a held-out demonstration
 * more closely than this.
 */
final class Reference {

  private Reference() {}

  /**
   * Whether every demo has {@code n} samples, then they are used as they are; otherwise each is
   * resampled to n points (see {@link #resampled}).
   */
  static boolean sameLength(List<Demonstration> demos, int n) {
    for (Demonstration d : demos) {
      if (d.size() != n) {
        return false;
      }
    }
    return true;
  }

  /**
   * The index-aligned mean of {@code demos}, row-major n x d: point j is the mean of the demos'
   * sample j if they all have n samples, else of the demos resampled to n points uniform in their
   * own time ({@link #resampled}).
   *
   * @param demos at least one, all of the same dimension. Not modified.
   */
  static double[] indexAlignedMean(List<Demonstration> demos, int n) {
    int d = demos.get(0).dimension();
    double[] mean = new double[n * d];
    boolean raw = sameLength(demos, n);
    for (Demonstration demo : demos) {
      double[] y = raw ? rowMajor(demo) : resampled(demo, n);
      for (int i = 0; i < n * d; i++) {
        mean[i] += y[i];
      }
    }
    for (int i = 0; i < n * d; i++) {
      mean[i] /= demos.size();
    }
    return mean;
  }

  /** The demo's states, row-major n x d. */
  static double[] rowMajor(Demonstration demo) {
    int n = demo.size();
    int d = demo.dimension();
    double[] y = new double[n * d];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < d; k++) {
        y[i * d + k] = demo.state(i, k);
      }
    }
    return y;
  }

  /**
   * The demo linearly interpolated at n times uniform over its duration, row-major n x d; the first
   * and last points are its own first and last samples.
   */
  static double[] resampled(Demonstration demo, int n) {
    int d = demo.dimension();
    double t0 = demo.time(0);
    double duration = demo.duration();
    double[] y = new double[n * d];
    int seg = 0;
    for (int j = 0; j < n; j++) {
      double t = j == n - 1 ? demo.time(demo.size() - 1) : t0 + duration * j / (n - 1);
      while (seg < demo.size() - 2 && demo.time(seg + 1) < t) {
        seg++;
      }
      double span = demo.time(seg + 1) - demo.time(seg);
      double f = span > 0 ? Math.min(1, Math.max(0, (t - demo.time(seg)) / span)) : 0;
      for (int k = 0; k < d; k++) {
        y[j * d + k] = demo.state(seg, k) + f * (demo.state(seg + 1, k) - demo.state(seg, k));
      }
    }
    return y;
  }

  /** The largest finite-difference speed between consecutive points [units/s]. */
  static double peakSpeed(double[] y, double[] t, int n, int d) {
    double best = 0;
    for (int j = 0; j + 1 < n; j++) {
      best = Math.max(best, speed(y, t, j, d));
    }
    return best;
  }

  /** Finite-difference speed between points j and j + 1 [units/s]. */
  static double speed(double[] y, double[] t, int j, int d) {
    double s = 0;
    for (int k = 0; k < d; k++) {
      double e = y[(j + 1) * d + k] - y[j * d + k];
      s += e * e;
    }
    return Math.sqrt(s) / (t[j + 1] - t[j]);
  }
}
