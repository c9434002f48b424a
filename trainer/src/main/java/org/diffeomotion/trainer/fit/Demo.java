package org.diffeomotion.trainer.fit;

/**
 * One demonstration in normalised coordinates (DESIGN.md section 2).
 *
 * @param s normalised times s = t / tau, s[0] = 0, strictly increasing.
 * @param z normalised states z = (y - g) / sigma, n x d (no augmentation columns).
 */
public record Demo(double[] s, double[][] z) {

  public Demo {
    if (s.length < 1 || s.length != z.length) {
      throw new IllegalArgumentException(
          "demo: " + s.length + " times but " + z.length + " states");
    }
    if (s[0] != 0.0) {
      throw new IllegalArgumentException("demo: s[0] must be 0, got " + s[0]);
    }
    for (int i = 1; i < s.length; i++) {
      if (!(s[i] > s[i - 1]) || !Double.isFinite(s[i])) {
        throw new IllegalArgumentException(
            "demo: s must be finite and increasing, s[" + i + "] = " + s[i]);
      }
    }
    for (int i = 0; i < z.length; i++) {
      if (z[i].length != z[0].length) {
        throw new IllegalArgumentException(
            "demo: z[" + i + "] has " + z[i].length + " dims, z[0] has " + z[0].length);
      }
      for (double v : z[i]) {
        if (!Double.isFinite(v)) {
          throw new IllegalArgumentException("demo: z[" + i + "] not finite");
        }
      }
    }
  }

  public int points() {
    return s.length;
  }
}
