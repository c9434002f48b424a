package org.diffeomotion.rosnode.grpc;

import com.google.protobuf.Internal;
import org.diffeomotion.model.MotionModel;
import org.diffeomotion.model.Rollout;
import org.diffeomotion.model.VelocityField;

/**
 * One thread's evaluators and scratch arrays for one served model. Not thread-safe: reached
 * only through {@link ServedModel#evaluators()}. Arrays grow to the largest request seen and are
 * reused, so a request allocates only its response.
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
  /**
   * A reusable protobuf double list: a builder's {@code addAll} of it grows the message's list
   * once to the exact size (adding values one by one would grow it ~20 times).
   */
  private Internal.DoubleList packed = EMPTY.mutableCopyWithCapacity(64);
  private int packedCapacity = 64;
  // The generated accessor is typed List<Double>; protobuf backs it with its primitive list.
  private static final Internal.DoubleList EMPTY = (Internal.DoubleList)
      org.diffeomotion.proto.motion.v1.RolloutResponse.getDefaultInstance().getStatesList();

  Evaluators(MotionModel model) {
    this.d = model.stateDim();
    this.rollout = new Rollout(model, MAX_POINTS);
    this.field = new VelocityField(model);
    this.state = new double[d];
    this.velocity = new double[d];
  }

  /** {@code values[0..n)} as this thread's reusable protobuf list (valid until the next call). */
  Internal.DoubleList packed(double[] values, int n) {
    if (packedCapacity < n) {
      packed = EMPTY.mutableCopyWithCapacity(n);
      packedCapacity = n;
    } else {
      packed.clear();
    }
    for (int i = 0; i < n; i++) {
      packed.addDouble(values[i]);
    }
    return packed;
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
}
