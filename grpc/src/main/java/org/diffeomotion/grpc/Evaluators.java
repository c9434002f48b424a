package org.diffeomotion.grpc;

import com.google.protobuf.Internal;
import org.diffeomotion.model.MotionModel;
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
    packedA.trim();
    packedB.trim();
  }

  /** Applies a request's checked overrides (goal, time scale) to the evaluators. */
  void applyOverrides(MotionOverrides o) {
    int g = o.getGoalCount();
    if (g != 0) {
      double[] goal = velocity; // scratch of length d, free at this point
      for (int i = 0; i < g; i++) {
        goal[i] = o.getGoal(i);
      }
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
  }

  /** The goal in force for a request (overrides.goal or the model's), in {@link #goal}. */
  double[] goalInForce(MotionOverrides o) {
    if (o.getGoalCount() != 0) {
      for (int i = 0; i < d; i++) {
        goal[i] = o.getGoal(i);
      }
    } else {
      System.arraycopy(modelGoal, 0, goal, 0, d);
    }
    return goal;
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
