package org.diffeomotion.grpc;

import com.google.protobuf.Internal;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.diffeomotion.model.PoseMap;
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
    if (o.getGoalPoseCount() != 0) {
      // The goal pose's state is its position and r = 0 (always inside); check the position.
      int[] pos = served.model().positionDims();
      for (int k = 0; k < 3; k++) {
        if (!b.inside(pos[k], o.getGoalPose(k))) {
          throw invalid(
              b.describe("overrides.goal_pose[" + k + "]", pos[k], o.getGoalPose(k))
                  + WORKSPACE_HINT);
        }
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

  /** Whether a response of {@code values} doubles is within the limit. */
  boolean fitsResponse(long values) {
    return values <= limits.maxResponseValues();
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
    if (o.getGoalPoseCount() != 0) {
      if (!served.model().isPose()) {
        throw notPose("overrides.goal_pose", "overrides.goal", served);
      }
      if (g != 0) {
        throw invalid(
            "overrides.goal and overrides.goal_pose: both set; give at most one (goal_pose: "
                + POSE_VALUES
                + "; goal: the state [p, r])");
      }
      double[] pose = new double[PoseMap.POSE_LENGTH];
      readPose("overrides.goal_pose", "", o.getGoalPoseCount(), o.getGoalPoseList(), 0, pose);
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

  // ---------------------------------------------------------------- poses (1.2)

  /** The values of one pose, for messages. */
  static final String POSE_VALUES = "7 values x, y, z [m], q_x, q_y, q_z, q_w";

  /** A pose field ({@code field}) sent for a model without a pose layout. */
  static StatusRuntimeException notPose(String field, String instead, ServedModel served) {
    return invalid(
        field
            + ": the model \""
            + served.name()
            + "\" is not a full-pose model (it has no pose layout); use "
            + instead
            + " (state dimension "
            + served.model().stateDim()
            + " "
            + served.model().dimensionNames()
            + ")");
  }

  /**
   * Reads the pose at values[off..off+7) into {@code pose[0..7)} and checks it: a single pose
   * (empty {@code row}) must have exactly {@code count} = 7 values; every pose finite positions and
   * a unit quaternion (within {@link PoseMap#MAX_NORM_ERROR}). {@code row} names the pose in a
   * packed list (e.g. "start 1, ").
   */
  private static void readPose(
      String field, String row, int count, List<Double> values, int off, double[] pose) {
    if (row.isEmpty() && count != PoseMap.POSE_LENGTH) {
      throw invalid(
          field
              + ": has "
              + count
              + " values, expected "
              + PoseMap.POSE_LENGTH
              + " (x, y, z, q_x, q_y, q_z, q_w)");
    }
    for (int k = 0; k < PoseMap.POSE_LENGTH; k++) {
      pose[k] = doubles(values).getDouble(off + k);
    }
    for (int k = 0; k < 3; k++) {
      if (!Double.isFinite(pose[k])) {
        throw invalid(
            field
                + "["
                + (off + k)
                + "] ("
                + row
                + "xyz".charAt(k)
                + ") = "
                + pose[k]
                + ", must be finite [m]");
      }
    }
    String q =
        row.isEmpty()
            ? field + ".orientation"
            : field + " (" + row.substring(0, row.length() - 2) + ").orientation";
    String bad = PoseMap.checkQuaternion(q, pose, 3);
    if (bad != null) {
      throw invalid(bad);
    }
  }

  /** A state converted from a pose must lie in the workspace; the error names the pose field. */
  private void checkInsideConverted(String field, double[] y, int off, ServedModel served) {
    org.diffeomotion.model.Workspace.Bounds b = served.bounds(limits.workspace());
    int i = b.outside(y, off);
    if (i >= 0) {
      throw invalid(
          b.describe(field + " as the state y[" + i + "]", i, y[off + i]) + WORKSPACE_HINT);
    }
  }

  /**
   * The start of a Rollout or StreamSetpoints request into y[0..d): {@code start} (d values), or
   * for a pose model {@code start_pose} (7 values, converted relative to the goal orientation in
   * force: overrides.goal_pose's or the model's), exactly one of them. Checked in full: finite,
   * unit quaternion, inside the workspace.
   */
  void resolveStart(
      int startCount,
      List<Double> start,
      int poseCount,
      List<Double> startPose,
      MotionOverrides o,
      ServedModel served,
      Evaluators ev,
      double[] y) {
    if (poseCount == 0) {
      if (ev.pose != null && startCount == 0) {
        throw invalid(
            "start and start_pose: both empty; give start_pose ("
                + POSE_VALUES
                + ") or start (the state [p, r], "
                + ev.d
                + " values)");
      }
      checkStateCount(startCount, "start", served);
      for (int i = 0; i < ev.d; i++) {
        y[i] = checkFinite(doubles(start).getDouble(i), "start", i, served);
      }
      checkInside("start", y, 0, served);
      return;
    }
    if (ev.pose == null) {
      throw notPose("start_pose", "start", served);
    }
    if (startCount != 0) {
      throw invalid(
          "start and start_pose: both set; give exactly one (start_pose: "
              + POSE_VALUES
              + "; start: the state [p, r], "
              + ev.d
              + " values)");
    }
    readPose("start_pose", "", poseCount, startPose, 0, ev.poseIn);
    checkOverrides(o, served); // the goal pose's orientation is the frame of r
    toStates(ev, o, ev.poseIn, 1, y);
    checkInsideConverted("start_pose", y, 0, served);
  }

  /**
   * The k starts of a RolloutBatch ({@code field} "starts", {@code poseField} "start_poses", {@code
   * row} "start") or the m states of a Velocity request ("states", "poses", "state") into {@code
   * ev.in(k * d)}; returns k. Exactly one of the two lists; poses for pose models only. Checked in
   * full like {@link #resolveStart}.
   */
  int resolveRows(
      String field,
      String poseField,
      String row,
      int count,
      List<Double> values,
      int poseCount,
      List<Double> poses,
      MotionOverrides o,
      ServedModel served,
      Evaluators ev) {
    int d = ev.d;
    if (poseCount == 0) {
      if (ev.pose != null && count == 0) {
        throw invalid(
            field
                + " and "
                + poseField
                + ": both empty; give k >= 1 "
                + row
                + "s as "
                + poseField
                + " (k x 7 values, x, y, z, q_x, q_y, q_z, q_w each) or "
                + field
                + " (k x "
                + d
                + " states [p, r])");
      }
      int k = packedRows(field, row, count, served, d);
      double[] in = ev.in(k * d);
      for (int j = 0; j < k * d; j++) {
        double v = doubles(values).getDouble(j);
        if (!Double.isFinite(v)) {
          throw nonFinite(field, row, j, v, served, d);
        }
        checkInside(served, field, row, j, v, d);
        in[j] = v;
      }
      return k;
    }
    if (ev.pose == null) {
      throw notPose(poseField, field, served);
    }
    if (count != 0) {
      throw invalid(
          field
              + " and "
              + poseField
              + ": both set; give exactly one ("
              + poseField
              + ": k x 7 values, x, y, z, q_x, q_y, q_z, q_w per "
              + row
              + "; "
              + field
              + ": k x "
              + d
              + " states [p, r])");
    }
    int len = PoseMap.POSE_LENGTH;
    if (poseCount % len != 0) {
      throw invalid(
          poseField
              + ": "
              + poseCount
              + " values is not a multiple of 7 (x, y, z, q_x, q_y, q_z, q_w per "
              + row
              + ")");
    }
    int k = poseCount / len;
    double[] in = ev.in(k * d);
    for (int s = 0; s < k; s++) {
      readPose(poseField, row + " " + s + ", ", poseCount, poses, s * len, ev.poseIn);
      if (s == 0) {
        checkOverrides(o, served); // the goal pose's orientation is the frame of r
      }
      toStates(ev, o, ev.poseIn, 1, in, s * d);
      checkInsideConverted(poseField + " (" + row + " " + s + ")", in, s * d, served);
    }
    return k;
  }

  private static void toStates(Evaluators ev, MotionOverrides o, double[] pose, int k, double[] y) {
    toStates(ev, o, pose, k, y, 0);
  }

  /** y[yo..) = the states of k checked poses, relative to the goal orientation in force. */
  private static void toStates(
      Evaluators ev, MotionOverrides o, double[] pose, int k, double[] y, int yo) {
    ev.goalPoseFrame(o);
    try {
      for (int s = 0; s < k; s++) {
        ev.pose.toState(pose, s * PoseMap.POSE_LENGTH, y, yo + s * ev.d);
      }
    } finally {
      ev.pose.resetGoalOrientation();
    }
  }

  /**
   * Doubles per output point of a trajectory: the state, the pose (pose models) and, with
   * velocities, the velocity and the angular velocity (pose models).
   */
  static long valuesPerPoint(int d, boolean pose, boolean vel) {
    return (long) d * (vel ? 2 : 1) + (pose ? PoseMap.POSE_LENGTH + (vel ? 3 : 0) : 0);
  }

  /** How {@link #valuesPerPoint} is made up, for RESOURCE_EXHAUSTED messages. */
  static String pointValues(int d, boolean pose, boolean vel) {
    if (!pose) {
      return "state_dim " + d + (vel ? " x 2 (states and velocities)" : "");
    }
    return valuesPerPoint(d, true, vel)
        + " values per point (state "
        + d
        + (vel ? " + velocity " + d : "")
        + " + pose 7"
        + (vel ? " + angular velocity 3" : "")
        + ")";
  }

  /**
   * A message's repeated double field as protobuf's primitive list (what the generated code backs
   * it with), read without boxing or allocation.
   */
  static Internal.DoubleList doubles(List<Double> field) {
    return (Internal.DoubleList) field;
  }
}
