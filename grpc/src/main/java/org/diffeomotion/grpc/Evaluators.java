package org.diffeomotion.grpc;

import com.google.protobuf.Internal;
import org.diffeomotion.model.MotionModel;
import org.diffeomotion.model.PoseMap;
import org.diffeomotion.model.Precision;
import org.diffeomotion.model.Rollout;
import org.diffeomotion.model.VelocityField;
import org.diffeomotion.proto.motion.v1.MotionOverrides;

/**
 * One thread's evaluators and scratch arrays for one served model. Not thread-safe: reached only
 * through {@link ServedModel#evaluators()}. Arrays grow to the largest request seen and are reused,
 * so a request allocates only its response.
 */
final class Evaluators {
  /** Rollout capacity: the scratch of a {@link Rollout} does not depend on it. */
  static final int MAX_POINTS = Integer.MAX_VALUE / 16;

  final int d;
  final Rollout rollout;
  final VelocityField field;

  /** One state (d values), one velocity. */
  final double[] state;

  final double[] velocity;
  double[] times = new double[64];
  double[] out = new double[64];
  double[] vel = new double[64];

  /** Arrival checks (one-point rollouts) and the goal in force (d values). */
  final org.diffeomotion.model.Arrival.Scratch arrival;

  final double[] goal;

  /** The model's scale sigma and goal (MotionModel hands out copies; these are taken once). */
  final double[] sigma;

  final double[] modelGoal;

  /** Reusable protobuf lists for response fields (see {@link Packed}). */
  final Packed packedA = new Packed();

  final Packed packedB = new Packed();

  /** Pose and angular-velocity lists of a RolloutBatch response (pose models). */
  final Packed packedC = new Packed();

  final Packed packedD = new Packed();

  /**
   * Full-pose models (1.2): the pose map (its goal orientation moves with {@code
   * overrides.goal_pose} for one request, like the evaluators' goal), else null.
   */
  final PoseMap pose;

  /** One pose of a request (7 values), and overrides.goal_pose (7 values). */
  final double[] poseIn = new double[PoseMap.POSE_LENGTH];

  final double[] goalPose = new double[PoseMap.POSE_LENGTH];

  /** Starts or states of a request (k x d), converted from poses or copied from the request. */
  double[] in = new double[64];

  /** Poses (n x 7) and angular velocities (n x 3) of a pose model's response. */
  double[] poses = new double[64];

  double[] omegas = new double[64];

  /** A RolloutBatch chunk computed on several cores: its starts, states and velocities. */
  double[] batchOut = new double[0];

  double[] batchIn = new double[0];

  double[] batchVel = new double[0];

  /**
   * @throws IllegalArgumentException for {@link Precision#FLOAT} when the model cannot be evaluated
   *     in float (the registry checks that before it serves a model)
   */
  Evaluators(MotionModel model, Precision precision) {
    this.d = model.stateDim();
    this.rollout = new Rollout(model, MAX_POINTS, precision);
    this.field = new VelocityField(model, precision);
    this.state = new double[d];
    this.velocity = new double[d];
    this.arrival = new org.diffeomotion.model.Arrival.Scratch(d);
    this.goal = new double[d];
    this.sigma = model.scale();
    this.modelGoal = model.goal();
    this.pose = model.isPose() ? new PoseMap(model) : null;
  }

  /**
   * Scratch kept between requests per thread and model is bounded by this many values per array
   * [doubles]: ordinary requests reuse their arrays, and one huge request (up to {@link
   * ServiceLimits#maxResponseValues()}) does not pin tens of MB in every pool thread — nor, after a
   * reload, in the old model's thread-local entries until the JDK purges them.
   */
  static final int RETAIN_VALUES = 1 << 16;

  /** Drops arrays that grew past {@link #RETAIN_VALUES}; called after every request. */
  void trim() {
    if (times.length > RETAIN_VALUES) {
      times = new double[64];
    }
    if (out.length > RETAIN_VALUES) {
      out = new double[64];
    }
    if (vel.length > RETAIN_VALUES) {
      vel = new double[64];
    }
    if (in.length > RETAIN_VALUES) {
      in = new double[64];
    }
    if (poses.length > RETAIN_VALUES) {
      poses = new double[64];
    }
    if (omegas.length > RETAIN_VALUES) {
      omegas = new double[64];
    }
    if (batchOut.length > RETAIN_VALUES) {
      batchOut = new double[0];
    }
    if (batchVel.length > RETAIN_VALUES) {
      batchVel = new double[0];
    }
    if (batchIn.length > RETAIN_VALUES) {
      batchIn = new double[0];
    }
    packedA.trim();
    packedB.trim();
    packedC.trim();
    packedD.trim();
  }

  /**
   * Applies a request's checked overrides (goal or goal pose, time scale) to the evaluators (and
   * the pose map: with a goal pose, states and poses are relative to its orientation until {@link
   * #resetOverrides}).
   */
  void applyOverrides(MotionOverrides o) {
    int g = o.getGoalCount();
    if (g != 0) {
      double[] goal = velocity; // scratch of length d, free at this point
      for (int i = 0; i < g; i++) {
        goal[i] = o.getGoal(i);
      }
      rollout.setGoal(goal);
      field.setGoal(goal);
    } else if (o.getGoalPoseCount() != 0) {
      double[] goal = goalInForce(o); // also moves the pose map's goal orientation
      rollout.setGoal(goal);
      field.setGoal(goal);
    }
    if (o.getTimeScale() != 0) {
      rollout.setTimeScale(o.getTimeScale());
      field.setTimeScale(o.getTimeScale());
    }
  }

  /**
   * Back to the model's goal and time scale after a request's overrides. Does not trim the scratch:
   * the response is still built from it (see {@link #trim}).
   */
  void resetOverrides() {
    rollout.resetGoal();
    rollout.resetTimeScale();
    field.resetGoal();
    field.resetTimeScale();
    if (pose != null) {
      pose.resetGoalOrientation();
    }
  }

  /**
   * The goal in force for a request (overrides.goal, the state of overrides.goal_pose, or the
   * model's), in {@link #goal}. A goal pose also moves the pose map's goal orientation to it (the
   * caller resets it: {@link #resetOverrides} or {@link PoseMap#resetGoalOrientation}).
   */
  double[] goalInForce(MotionOverrides o) {
    if (o.getGoalCount() != 0) {
      for (int i = 0; i < d; i++) {
        goal[i] = o.getGoal(i);
      }
    } else if (o.getGoalPoseCount() != 0) {
      goalPoseFrame(o);
      java.util.Arrays.fill(goal, 0);
      for (int k = 0; k < 3; k++) {
        goal[pose.positionDim(k)] = goalPose[k];
      }
    } else {
      System.arraycopy(modelGoal, 0, goal, 0, d);
    }
    return goal;
  }

  /**
   * Moves the pose map's goal orientation to that of overrides.goal_pose (checked), keeping the
   * goal pose in {@link #goalPose}; without a goal pose the model's orientation stays. The caller
   * resets it ({@link PoseMap#resetGoalOrientation}).
   */
  void goalPoseFrame(MotionOverrides o) {
    if (o.getGoalPoseCount() != 0) {
      for (int k = 0; k < PoseMap.POSE_LENGTH; k++) {
        goalPose[k] = o.getGoalPose(k);
      }
      pose.setGoalOrientation(goalPose, 3);
    }
  }

  /**
   * Poses (n x 7, in {@link #poses}) of the states {@code out} (n x d) and, when {@code velOut} is
   * not null, the angular velocities (n x 3 [rad/s], model frame, in {@link #omegas}), with the
   * goal orientation in force (call between {@link #applyOverrides} and {@link #resetOverrides}).
   */
  void posesOf(double[] out, double[] velOut, int n) {
    double[] p = poses(n * PoseMap.POSE_LENGTH);
    double[] w = velOut != null ? omegas(n * 3) : null;
    for (int j = 0; j < n; j++) {
      pose.toPose(out, j * d, p, j * PoseMap.POSE_LENGTH);
      if (velOut != null) {
        pose.angularVelocity(out, j * d, velOut, j * d, w, j * 3);
      }
    }
  }

  double[] in(int values) {
    if (in.length < values) {
      in = new double[Math.max(values, in.length * 2)];
    }
    return in;
  }

  double[] batchOut(int values) {
    if (batchOut.length < values) {
      batchOut = new double[Math.max(values, batchOut.length * 2)];
    }
    return batchOut;
  }

  double[] batchIn(int values) {
    if (batchIn.length < values) {
      batchIn = new double[Math.max(values, batchIn.length * 2)];
    }
    return batchIn;
  }

  double[] batchVel(int values) {
    if (batchVel.length < values) {
      batchVel = new double[Math.max(values, batchVel.length * 2)];
    }
    return batchVel;
  }

  double[] poses(int values) {
    if (poses.length < values) {
      poses = new double[Math.max(values, poses.length * 2)];
    }
    return poses;
  }

  double[] omegas(int values) {
    if (omegas.length < values) {
      omegas = new double[Math.max(values, omegas.length * 2)];
    }
    return omegas;
  }

  /** {@code values[0..n)} in {@link #packedA} (valid until its next use). */
  Internal.DoubleList packed(double[] values, int n) {
    return packedA.reset(n).append(values, n).list();
  }

  double[] times(int n) {
    if (times.length < n) {
      times = new double[Math.max(n, times.length * 2)];
    }
    return times;
  }

  double[] out(int values) {
    if (out.length < values) {
      out = new double[Math.max(values, out.length * 2)];
    }
    return out;
  }

  double[] vel(int values) {
    if (vel.length < values) {
      vel = new double[Math.max(values, vel.length * 2)];
    }
    return vel;
  }

  /**
   * A reusable protobuf double list. A builder's {@code addAll} of it grows the message's list
   * once, to the exact size; adding values one by one would grow it ~20 times for 2000 values.
   * Grows to the largest response seen (bounded by {@link ServiceLimits#maxResponseValues()}).
   */
  static final class Packed {
    // The generated accessor is typed List<Double>; protobuf backs it with its primitive list.
    private static final Internal.DoubleList EMPTY =
        (Internal.DoubleList)
            org.diffeomotion.proto.motion.v1.RolloutResponse.getDefaultInstance().getStatesList();

    private Internal.DoubleList list = EMPTY.mutableCopyWithCapacity(64);
    private int capacity = 64;

    /** Empties the list, making room for {@code n} values. */
    Packed reset(int n) {
      if (capacity < n) {
        list = EMPTY.mutableCopyWithCapacity(n);
        capacity = n;
      } else {
        list.clear();
      }
      return this;
    }

    void trim() {
      if (capacity > RETAIN_VALUES) {
        list = EMPTY.mutableCopyWithCapacity(64);
        capacity = 64;
      }
    }

    /** Appends {@code values[0..n)}. */
    Packed append(double[] values, int n) {
      for (int i = 0; i < n; i++) {
        list.addDouble(values[i]);
      }
      return this;
    }

    Internal.DoubleList list() {
      return list;
    }
  }
}
