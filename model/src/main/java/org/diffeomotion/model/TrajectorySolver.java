package org.diffeomotion.model;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A way to compute a model's trajectory at given times: {@code closed_form} (the rollout) or a
 * numerical integrator of the model's velocity field. One name table for both, so tools and
 * benchmarks can compare them on equal terms. Not thread-safe.
 */
public abstract class TrajectorySolver {
  private final String name;

  private TrajectorySolver(String name) {
    this.name = name;
  }

  public final String name() {
    return name;
  }

  /**
   * @param y0 start, d values [dimension units]. Not modified.
   * @param times n output times [s], >= 0, non-decreasing. Not modified.
   * @param out row-major n x d. Modified.
   * @throws IllegalArgumentException on bad input, naming the field
   */
  public abstract void solve(double[] y0, double[] times, int n, double[] out);

  /** {@code closed_form} and every name of {@link Integrators#names()}. */
  public static Set<String> names() {
    Set<String> s = new TreeSet<>(Integrators.names());
    s.add("closed_form");
    return s;
  }

  /**
   * @param maxPoints most output times per call
   * @param options integrator options (see {@link Integrators}); must be empty for closed_form
   */
  public static TrajectorySolver create(String name, MotionModel model, int maxPoints,
                                        Map<String, Double> options) {
    if (name.equals("closed_form")) {
      if (!options.isEmpty()) {
        throw new IllegalArgumentException("closed_form takes no options, got "
            + options.keySet());
      }
      Rollout r = new Rollout(model, maxPoints);
      return new TrajectorySolver(name) {
        @Override
        public void solve(double[] y0, double[] times, int n, double[] out) {
          r.rollout(y0, times, n, out);
        }
      };
    }
    Integrator integ = Integrators.create(name, options);
    VelocityField field = new VelocityField(model);
    Rollout check = new Rollout(model, maxPoints);
    return new TrajectorySolver(name) {
      @Override
      public void solve(double[] y0, double[] times, int n, double[] out) {
        // Same input contract as the closed form: validate with the rollout's rules first.
        check.validate(y0, times, n);
        if (out.length < n * y0.length) {
          throw new IllegalArgumentException("out has " + out.length + " values, need n * d = "
              + n * y0.length);
        }
        integ.integrate(field, y0, times, n, out);
      }
    };
  }
}
