package org.diffeomotion.model.bench;

/**
 * The alternative to the Vector API that the benchmark measures: tanh from arithmetic only, written
 * so that an auto-vectorizer could take it. Range reduction {@code u = x / 64}, the (5,4) Pade
 * approximant of tanh on |u| <= 20/64, then six doublings {@code tanh(2u) = 2t / (1 + t^2)} carried
 * as numerator/denominator so only one division is left. On JDK 17's C2 the loop does not vectorize
 * (measured in {@link ModelBench}), which is why the model uses the Vector API and keeps Math.tanh
 * as its reference.
 */
final class RationalTanh {
  private static final double A1 = 105.0 / 945;
  private static final double A2 = 1.0 / 945;
  private static final double B1 = 420.0 / 945;
  private static final double B2 = 15.0 / 945;

  private RationalTanh() {}

  static void apply(double[] a, double[] o, int n) {
    for (int i = 0; i < n; i++) {
      // tanh(20) rounds to 1.0: clamping keeps the doublings from overflowing.
      double x = Math.max(-20.0, Math.min(20.0, a[i]));
      double u = x * (1.0 / 64);
      double u2 = u * u;
      double num = u * (1.0 + u2 * (A1 + u2 * A2));
      double den = 1.0 + u2 * (B1 + u2 * B2);
      double t;
      t = num * den;
      den = 0.5 * (den * den + num * num);
      num = t;
      t = num * den;
      den = 0.5 * (den * den + num * num);
      num = t;
      t = num * den;
      den = 0.5 * (den * den + num * num);
      num = t;
      t = num * den;
      den = 0.5 * (den * den + num * num);
      num = t;
      t = num * den;
      den = 0.5 * (den * den + num * num);
      num = t;
      t = num * den;
      den = 0.5 * (den * den + num * num);
      num = t;
      o[i] = num / den;
    }
  }
}
