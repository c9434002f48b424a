package org.diffeomotion.grpc;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.diffeomotion.model.TimeGrids;
import org.diffeomotion.proto.motion.v1.MotionOverrides;
import org.diffeomotion.proto.motion.v1.TimeGrid;

/**
 * Validation of motion requests, before any work: bad input is {@code INVALID_ARGUMENT} naming the
 * field and value, a request over a {@link ServiceLimits} limit {@code RESOURCE_EXHAUSTED}, a
 * request that cannot finish before its deadline {@code DEADLINE_EXCEEDED}. Also resolves a
 * request's time grid into an evaluator's time array. Stateless apart from the limits; thread-safe.
 */
final class RequestChecks {
  private final ServiceLimits limits;

  RequestChecks(ServiceLimits limits) {
    this.limits = limits;
  }

  ServiceLimits limits() {
    return limits;
  }

  private static final String WORKSPACE_HINT = "; the server's --workspace-sigmas sets it";

  /** A d-vector field must have exactly d values. */
  // ---------------------------------------------------------------- workspace

  /** A d-vector field (e.g. "start", "overrides.goal") must lie in the model's workspace. */
  void checkInside(String field, double[] y, int off, ServedModel served) {
    org.diffeomotion.model.Workspace.Bounds b = served.bounds(limits.workspace());
    int i = b.outside(y, off);
    if (i >= 0) {
      throw invalid(b.describe(field + "[" + i + "]", i, y[off + i]) + WORKSPACE_HINT);
    }
  }

  /**
   * Value j of a packed k x d list must lie in the workspace; the error names row and dimension.
   */
  void checkInside(ServedModel served, String field, String row, int j, double v, int d) {
    org.diffeomotion.model.Workspace.Bounds b = served.bounds(limits.workspace());
    if (!b.inside(j % d, v)) {
      throw invalid(
          b.describe(field + "[" + j + "] (" + row + " " + (j / d) + ")", j % d, v)
              + WORKSPACE_HINT);
    }
  }

  /** The time scale a request runs at: its override, or the model's [s]. */
  static double effectiveTimeScale(MotionOverrides o, ServedModel served) {
    return o.getTimeScale() != 0 ? o.getTimeScale() : served.model().timeScale();
  }

  /**
   * Overrides (already checked finite) within the workspace: goal in the box, time scale in range.
   */
  void checkWorkspaceOverrides(MotionOverrides o, ServedModel served) {
    org.diffeomotion.model.Workspace.Bounds b = served.bounds(limits.workspace());
    for (int i = 0; i < o.getGoalCount(); i++) {
      if (!b.inside(i, o.getGoal(i))) {
        throw invalid(b.describe("overrides.goal[" + i + "]", i, o.getGoal(i)) + WORKSPACE_HINT);
      }
    }
    if (o.getTimeScale() != 0) {
      String p = b.checkTimeScale("overrides.time_scale", o.getTimeScale());
      if (p != null) {
        throw invalid(p);
      }
    }
  }

  /** The overrides and the last requested time within the workspace. */
  void checkWorkspaceTimes(TimeGrid grid, double lastTime, MotionOverrides o, ServedModel served) {
    checkWorkspaceOverrides(o, served);
    String field;
    switch (grid.getGridCase()) {
      case EXPLICIT:
        field = "times.explicit.times[" + (grid.getExplicit().getTimesCount() - 1) + "]";
        break;
      case UNIFORM_COUNT:
        field = "times.uniform_count.duration";
        break;
      case UNTIL_ARRIVAL:
        field = "times.until_arrival";
        break;
      default:
        field = "times.uniform_step.duration";
        break;
    }
    String p =
        served
            .bounds(limits.workspace())
            .checkDuration(field, lastTime, effectiveTimeScale(o, served));
    if (p != null) {
      throw invalid(p);
    }
  }

  static void checkStateCount(int count, String field, ServedModel served) {
    int d = served.model().stateDim();
    if (count != d) {
      throw invalid(
          field
              + ": "
              + count
              + " values, the model \""
              + served.name()
              + "\" has state dimension "
              + d
              + " "
              + served.model().dimensionNames());
    }
  }

  /** Element i of a d-vector field must be finite. */
  static double checkFinite(double v, String field, int i, ServedModel served) {
    if (!Double.isFinite(v)) {
      throw invalid(
          field
              + "["
              + i
              + "] ("
              + served.model().dimensionNames().get(i)
              + ") = "
              + v
              + ", must be finite");
    }
    return v;
  }

  /** Writes the requested times into {@code ev.times} and returns their number n >= 1. */
  int resolveTimes(TimeGrid grid, Evaluators ev) {
    int max = limits.maxPointsPerRollout();
    switch (grid.getGridCase()) {
      case EXPLICIT:
        {
          int n = grid.getExplicit().getTimesCount();
          if (n == 0) {
            throw invalid("times.explicit.times: empty; give 1.." + max + " times [s]");
          }
          if (n > max) {
            throw tooMany("times.explicit.times", n);
          }
          double[] t = ev.times(n);
          double prev = 0;
          for (int i = 0; i < n; i++) {
            double v = grid.getExplicit().getTimes(i);
            if (!Double.isFinite(v)) {
              throw invalid("times.explicit.times[" + i + "] = " + v + ", must be finite [s]");
            }
            if (v < 0) {
              throw invalid(
                  "times.explicit.times["
                      + i
                      + "] = "
                      + v
                      + " is negative: times are seconds from the start");
            }
            if (i > 0 && v < prev) {
              throw invalid(
                  "times.explicit.times["
                      + i
                      + "] = "
                      + v
                      + " < times["
                      + (i - 1)
                      + "] = "
                      + prev
                      + ": times must be non-decreasing");
            }
            t[i] = v;
            prev = v;
          }
          return n;
        }
      case UNIFORM_COUNT:
        {
          long count = Integer.toUnsignedLong(grid.getUniformCount().getCount());
          double duration = grid.getUniformCount().getDuration();
          if (count == 0) {
            throw invalid("times.uniform_count.count = 0, must be 1.." + max);
          }
          if (count > max) {
            throw tooMany("times.uniform_count.count", count);
          }
          if (!Double.isFinite(duration) || duration < 0) {
            throw invalid(
                "times.uniform_count.duration = " + duration + ", must be finite and >= 0 [s]");
          }
          if (count > 1 && duration == 0) {
            throw invalid(
                "times.uniform_count.duration = 0 with count = "
                    + count
                    + ": a duration > 0 [s] is needed for more than one point");
          }
          int n = (int) count;
          TimeGrids.fillUniformCount(ev.times(n), n, duration);
          return n;
        }
      case UNIFORM_STEP:
        {
          double dt = grid.getUniformStep().getDt();
          double duration = grid.getUniformStep().getDuration();
          if (!Double.isFinite(dt) || !(dt > 0)) {
            throw invalid("times.uniform_step.dt = " + dt + ", must be finite and > 0 [s]");
          }
          if (!Double.isFinite(duration) || duration < 0) {
            throw invalid(
                "times.uniform_step.duration = " + duration + ", must be finite and >= 0 [s]");
          }
          double steps = TimeGrids.uniformStepCount(duration, dt) - 1;
          if (steps + 1 > max) {
            throw Status.RESOURCE_EXHAUSTED
                .withDescription(
                    String.format(
                        Locale.ROOT,
                        "times.uniform_step: duration / dt = %s / %s gives %.0f points, more than this "
                            + "server's limit of %d per trajectory",
                        duration,
                        dt,
                        steps + 1,
                        max))
                .asRuntimeException();
          }
          int n = (int) steps + 1;
          TimeGrids.fillUniformStep(ev.times(n), n, dt);
          return n;
        }
      case GRID_NOT_SET:
      default:
        throw invalid("times: required; set one of explicit, uniform_count, uniform_step");
    }
  }

  StatusRuntimeException tooMany(String field, long n) {
    return Status.RESOURCE_EXHAUSTED
        .withDescription(
            field
                + ": "
                + n
                + " points, more than this server's limit of "
                + limits.maxPointsPerRollout()
                + " per trajectory")
        .asRuntimeException();
  }

  void checkResponseSize(long values, String what) {
    if (values > limits.maxResponseValues()) {
      throw Status.RESOURCE_EXHAUSTED
          .withDescription(
              what
                  + " = "
                  + values
                  + " values, more than this server's limit of "
                  + limits.maxResponseValues()
                  + " per response; split the request")
          .asRuntimeException();
    }
  }

  static void checkOverrides(MotionOverrides o, ServedModel served) {
    int d = served.model().stateDim();
    int g = o.getGoalCount();
    if (g != 0 && g != d) {
      throw invalid(
          "overrides.goal: "
              + g
              + " values, the model \""
              + served.name()
              + "\" has state dimension "
              + d
              + " "
              + served.model().dimensionNames()
              + " (or leave it empty for the model's goal)");
    }
    for (int i = 0; i < g; i++) {
      double v = o.getGoal(i);
      if (!Double.isFinite(v)) {
        throw invalid(
            "overrides.goal["
                + i
                + "] ("
                + served.model().dimensionNames().get(i)
                + ") = "
                + v
                + ", must be finite");
      }
    }
    double tau = o.getTimeScale();
    if (tau != 0 && (!Double.isFinite(tau) || !(tau > 0))) {
      throw invalid(
          "overrides.time_scale = " + tau + ", must be finite and > 0 [s] (or 0 for the model's)");
    }
  }

  /** Refuses work that cannot finish before the deadline. */
  static void checkDeadline(long estimateNanos, String what) {
    Deadline dl = Context.current().getDeadline();
    if (dl == null) {
      return;
    }
    long left = dl.timeRemaining(TimeUnit.NANOSECONDS);
    if (left <= 0 || estimateNanos > left) {
      throw Status.DEADLINE_EXCEEDED
          .withDescription(
              String.format(
                  Locale.ROOT,
                  "%s: needs at least %.3f ms of work (at the fastest per-point time seen) but %.3f ms "
                      + "are left before the deadline; refused without starting",
                  what,
                  estimateNanos / 1e6,
                  Math.max(0, left) / 1e6))
          .asRuntimeException();
    }
  }

  static StatusRuntimeException evaluationError(int st, String field) {
    if (st == org.diffeomotion.model.Status.ERR_NON_FINITE_RESULT) {
      return invalid(
          field
              + ": the result overflowed; the state is far outside the region "
              + "the model can represent (compare with the model's scale)");
    }
    // Everything else was validated before; reaching here is a bug.
    return Status.INTERNAL
        .withDescription(
            field + ": evaluation failed: " + org.diffeomotion.model.Status.describe(st))
        .asRuntimeException();
  }

  static StatusRuntimeException invalid(String message) {
    return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
  }

  /**
   * Checks the length of a packed row-major list of states (k x d) and returns k. Errors name the
   * field and the model's dimensions.
   */
  static int packedRows(String field, String row, int count, ServedModel served, int d) {
    if (count == 0) {
      throw invalid(field + ": empty; give k >= 1 " + row + "s, k x " + d + " values");
    }
    if (count % d != 0) {
      throw invalid(
          field
              + ": "
              + count
              + " values is not a multiple of the state dimension "
              + d
              + " "
              + served.model().dimensionNames());
    }
    return count / d;
  }

  /** The error for a non-finite value j of a packed list, naming its row and dimension. */
  static StatusRuntimeException nonFinite(
      String field, String row, int j, double v, ServedModel served, int d) {
    return invalid(
        field
            + "["
            + j
            + "] ("
            + row
            + " "
            + (j / d)
            + ", "
            + served.model().dimensionNames().get(j % d)
            + ") = "
            + v
            + ", must be finite");
  }
}
