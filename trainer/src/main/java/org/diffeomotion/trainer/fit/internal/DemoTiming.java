package org.diffeomotion.trainer.fit.internal;

import org.diffeomotion.trainer.fit.Demo;

/**
 * The times the trainer fits a demo's samples at ({@code Timing.PROGRESS}, TRAINING.md "Timing").
 * The samples stay where they are; only their times change, so no resampling error is added.
 */
public final class DemoTiming {

  private DemoTiming() {}

  /**
   * Re-times a demo so that the fraction of its path covered by sample i is reached at the time an
   * exponential approach with rate lambda reaches it over the given duration: {@code frac(s) = (1 -
   * e^(-lambda s)) / (1 - e^(-lambda S))}, so s_i = -ln(1 - frac_i (1 - e^(-lambda S))) / lambda.
   * This is the progress profile of the untrained model (the base seen through the identity), so F
   * has to bend the paths, not re-time them. Path length is measured in the demo's normalised
   * coordinates. Samples where the demo stands still keep distinct, increasing times (a gap of 1e-9
   * of the duration).
   *
   * @param d the demo (normalised). Not modified.
   * @param duration S, the duration to fit it over [normalised time], > 0.
   * @param lambda the rate [1 / normalised time], > 0.
   * @return the new demo: the same states, times from 0 to about S.
   */
  public static Demo progress(Demo d, double duration, double lambda) {
    double[] frac = pathFraction(d);
    int n = frac.length;
    double[] s = new double[n];
    double tail = -Math.expm1(-lambda * duration);
    double gap = 1e-9 * duration;
    for (int i = 1; i < n; i++) {
      double si = i == n - 1 ? duration : -Math.log1p(-frac[i] * tail) / lambda;
      s[i] = Math.max(si, s[i - 1] + gap);
    }
    return new Demo(s, d.z());
  }

  /**
   * The fraction of the demo's path (length in its normalised coordinates) covered at each sample:
   * 0 at the first, 1 at the last; uniform in the sample index for a demo that does not move.
   */
  public static double[] pathFraction(Demo d) {
    double[][] z = d.z();
    int n = z.length;
    double[] cum = new double[n];
    for (int i = 1; i < n; i++) {
      double q = 0;
      for (int k = 0; k < z[i].length; k++) {
        double e = z[i][k] - z[i - 1][k];
        q += e * e;
      }
      cum[i] = cum[i - 1] + Math.sqrt(q);
    }
    double total = cum[n - 1];
    for (int i = 0; i < n; i++) {
      cum[i] = total > 0 ? cum[i] / total : n == 1 ? 1.0 : (double) i / (n - 1);
    }
    return cum;
  }

  /**
   * The demo linearly interpolated at n uniform times over its duration (first and last samples its
   * own); the demo itself when it has at most n samples.
   */
  public static Demo resample(Demo d, int n) {
    int m = d.points();
    if (m <= n) {
      return d;
    }
    double[] s = d.s();
    double[][] z = d.z();
    double total = s[m - 1];
    double[] out = new double[n];
    double[][] oz = new double[n][];
    int seg = 0;
    for (int i = 0; i < n; i++) {
      double t = i == n - 1 ? total : total * i / (n - 1);
      while (seg < m - 2 && s[seg + 1] < t) {
        seg++;
      }
      out[i] = t;
      if (i == n - 1) {
        oz[i] = z[m - 1].clone();
        continue;
      }
      double a = Math.min(1.0, Math.max(0.0, (t - s[seg]) / (s[seg + 1] - s[seg])));
      oz[i] = new double[z[seg].length];
      for (int k = 0; k < oz[i].length; k++) {
        oz[i][k] = z[seg][k] + a * (z[seg + 1][k] - z[seg][k]);
      }
    }
    return new Demo(out, oz);
  }
}
