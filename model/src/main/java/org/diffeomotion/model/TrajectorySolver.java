package org.diffeomotion.model;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A way to compute a model's trajectory at given times: {@code closed_form} (the rollout) or a
 * numerical integrator of the model's velocity field. One name table and one dispatch for both, so
 * that tools (the CLI's {@code rollout --method}) and benchmarks compare them on equal terms: the
 * same input rules, the same goal and time-scale overrides, velocities from the model at the output
 * states. Not thread-safe.
 */
public abstract class TrajectorySolver {
  /** The name of the closed-form method. */
  public static final String CLOSED_FORM = "closed_form";

  private static final IntegrationStats NO_STEPS = new IntegrationStats(0, 0, 0);

  private final String name;

  private TrajectorySolver(String name) {
    this.name = name;
  }

  public final String name() {
    return name;
  }

  /** Whether this is the closed form (no integration: exact to rounding). */
  public final boolean isClosedForm() {
    return name.equals(CLOSED_FORM);
  }

  /** Moves the attractor to {@code goal} [dimension units] for later calls. Not modified. */
  public abstract void setGoal(double[] goal);

  /** Uses time scale {@code tau} [s] (larger is slower) for later calls. */
  public abstract void setTimeScale(double tau);

  /**
   * @param y0 start, d values [dimension units]. Not modified.
   * @param times n output times [s], >= 0, non-decreasing. Not modified.
   * @param out row-major n x d. Modified.
   * @throws IllegalArgumentException on bad input, naming the field
   */
  public final void solve(double[] y0, double[] times, int n, double[] out) {
    solve(y0, times, n, out, null);
  }

  /**
   * As {@link #solve(double[], double[], int, double[])}, with the model's velocities at the output
   * states.
   *
   * @param outVelocity row-major n x d [units/s], or null. Modified.
   * @return what the integration cost (all zero for the closed form)
   */
  public abstract IntegrationStats solve(
      double[] y0, double[] times, int n, double[] out, double[] outVelocity);

  /** {@code closed_form} and every name of {@link Integrators#names()}. */
  public static Set<String> names() {
    Set<String> s = new TreeSet<>(Integrators.names());
    s.add(CLOSED_FORM);
    return s;
  }

  /**
   * @param maxPoints most output times per call
   * @param options integrator options (see {@link Integrators}); must be empty for closed_form
   * @throws IllegalArgumentException for an unknown name or option, naming the known ones
   */
  public static TrajectorySolver create(
      String name, MotionModel model, int maxPoints, Map<String, Double> options) {
    return create(name, model, maxPoints, options, Precision.DOUBLE);
  }

  /**
   * As {@link #create(String, MotionModel, int, Map)} with the model's coupling networks evaluated
   * in {@code precision} (closed form and integrated field alike).
   */
  public static TrajectorySolver create(
      String name,
      MotionModel model,
      int maxPoints,
      Map<String, Double> options,
      Precision precision) {
    Rollout rollout = new Rollout(model, maxPoints, precision);
    if (name.equals(CLOSED_FORM)) {
      if (!options.isEmpty()) {
        throw new IllegalArgumentException("closed_form takes no options, got " + options.keySet());
      }
      return new TrajectorySolver(name) {
        @Override
        public void setGoal(double[] goal) {
          rollout.setGoal(goal);
        }

        @Override
        public void setTimeScale(double tau) {
          rollout.setTimeScale(tau);
        }

        @Override
        public IntegrationStats solve(
            double[] y0, double[] times, int n, double[] out, double[] outVelocity) {
          rollout.rollout(y0, times, n, out, outVelocity);
          return NO_STEPS;
        }
      };
    }
    Integrator integ = Integrators.create(name, options);
    VelocityField field = new VelocityField(model, precision);
    return new TrajectorySolver(name) {
      private final double[] yi = new double[model.stateDim()];
      private final double[] vi = new double[model.stateDim()];

      @Override
      public void setGoal(double[] goal) {
        rollout.setGoal(goal);
        field.setGoal(goal);
      }

      @Override
      public void setTimeScale(double tau) {
        rollout.setTimeScale(tau);
        field.setTimeScale(tau);
      }

      @Override
      public IntegrationStats solve(
          double[] y0, double[] times, int n, double[] out, double[] outVelocity) {
        // Same input contract as the closed form: validate with the rollout's rules first.
        rollout.validate(y0, times, n);
        int d = y0.length;
        if (out.length < n * d || (outVelocity != null && outVelocity.length < n * d)) {
          throw new IllegalArgumentException(
              "out has "
                  + out.length
                  + " values"
                  + (outVelocity == null ? "" : " and outVelocity " + outVelocity.length)
                  + ", need n * d = "
                  + n * d);
        }
        IntegrationStats stats = integ.integrate(field, y0, times, n, out);
        if (outVelocity != null) {
          for (int i = 0; i < n; i++) {
            System.arraycopy(out, i * d, yi, 0, d);
            // An integrator that blew up leaves non-finite states; their velocity is NaN.
            if (field.tryVelocity(yi, vi) != Status.OK) {
              java.util.Arrays.fill(vi, Double.NaN);
            }
            System.arraycopy(vi, 0, outVelocity, i * d, d);
          }
        }
        return stats;
      }
    };
  }
}
