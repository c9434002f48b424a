package org.diffeomotion.model;

/**
 * Poses to states and back for a full-pose model (DESIGN.md section 2, "Full poses"): a pose is
 * {@code [x, y, z, q_x, q_y, q_z, q_w]} (position [m], unit quaternion, the ROS order), the state
 * is {@code y = [p, r]} with {@code r = Log(q_g^-1 * q)} [rad] relative to the goal orientation
 * {@code q_g}, and back {@code q = q_g * Exp(r)}.
 *
 * <p>The goal orientation starts as the model's and can be moved (a new goal pose): states are then
 * re-expressed relative to the new {@code q_g}, so the learned motion turns with it. Not
 * thread-safe: one per evaluating thread, beside its {@link Rollout} or {@link VelocityField}. The
 * mapping methods allocate nothing.
 */
public final class PoseMap {
  /** Values of one pose: x, y, z [m], q_x, q_y, q_z, q_w. */
  public static final int POSE_LENGTH = 7;

  /**
   * Largest accepted |norm - 1| of an input quaternion: within it the quaternion is normalised
   * (sensor and float rounding), beyond it the input is refused as not an orientation.
   */
  public static final double MAX_NORM_ERROR = 0.01;

  private final int[] pos;
  private final int[] rot;
  private final double[] modelGoal;
  private final double[] goalQ = new double[4];
  private final double[] q = new double[4];
  private final double[] r = new double[3];
  private final double[] w = new double[3];

  /**
   * @throws IllegalArgumentException if the model is not a pose model
   */
  public PoseMap(MotionModel model) {
    if (!model.isPose()) {
      throw new IllegalArgumentException(
          "model '" + model.name() + "' is not a pose model (it has no pose layout)");
    }
    this.pos = model.positionDims();
    this.rot = model.rotationDims();
    this.modelGoal = model.goalOrientation();
    System.arraycopy(modelGoal, 0, goalQ, 0, 4);
  }

  /**
   * Why the quaternion at q[o..o+4) is no orientation, or null when it is one: every value finite
   * and the norm within {@link #MAX_NORM_ERROR} of 1. For error messages at the edges; {@code
   * field} names the quaternion, e.g. {@code "start.orientation"}.
   */
  public static String checkQuaternion(String field, double[] q, int o) {
    for (int k = 0; k < 4; k++) {
      if (!Double.isFinite(q[o + k])) {
        return field + "." + "xyzw".charAt(k) + " is " + q[o + k] + ", must be finite";
      }
    }
    double n = So3.norm(q, o);
    if (!(Math.abs(n - 1) <= MAX_NORM_ERROR)) {
      return field
          + " has norm "
          + n
          + ": not a unit quaternion (accepted within "
          + MAX_NORM_ERROR
          + " of 1, then normalised)";
    }
    return null;
  }

  /**
   * Moves the goal orientation to q[o..o+4) (normalised).
   *
   * @throws IllegalArgumentException naming {@code goal_orientation} if it is not a unit quaternion
   */
  public void setGoalOrientation(double[] quat, int o) {
    String bad = checkQuaternion("goal_orientation", quat, o);
    if (bad != null) {
      throw new IllegalArgumentException(bad);
    }
    double n = So3.norm(quat, o);
    for (int k = 0; k < 4; k++) {
      goalQ[k] = quat[o + k] / n;
    }
  }

  /** Back to the model's goal orientation. */
  public void resetGoalOrientation() {
    System.arraycopy(modelGoal, 0, goalQ, 0, 4);
  }

  /** The goal orientation in force (x, y, z, w); a copy. */
  public double[] goalOrientation() {
    return goalQ.clone();
  }

  /**
   * The state of the goal pose at pose[po..po+7): its position on the position dimensions, 0 on the
   * rotation dimensions; and the goal orientation moves to the pose's orientation. Use the state as
   * the {@link Rollout#setGoal goal} of the evaluator that goes with this map. Allocates the
   * returned state and names the fields {@code goal.position.*}: a convenience for set-up code
   * (CLI, tests); serving paths call {@link #setGoalOrientation} and fill the state themselves.
   *
   * @throws IllegalArgumentException naming the field for a non-finite position or a quaternion
   *     that is not a unit quaternion
   */
  public double[] setGoalPose(double[] pose, int po) {
    for (int k = 0; k < 3; k++) {
      if (!Double.isFinite(pose[po + k])) {
        throw new IllegalArgumentException(
            "goal.position." + "xyz".charAt(k) + " is " + pose[po + k] + ", must be finite");
      }
    }
    setGoalOrientation(pose, po + 3);
    double[] y = new double[6];
    for (int k = 0; k < 3; k++) {
      y[pos[k]] = pose[po + k];
    }
    return y;
  }

  /**
   * y[yo..yo+6) = the state of the pose at pose[po..po+7), r relative to the goal orientation in
   * force. The quaternion is normalised; callers check it first with {@link #checkQuaternion}.
   */
  public void toState(double[] pose, int po, double[] y, int yo) {
    double n = So3.norm(pose, po + 3);
    for (int k = 0; k < 4; k++) {
      q[k] = pose[po + 3 + k] / n;
    }
    So3.multiplyConjugate(goalQ, 0, q, 0, q, 0);
    So3.log(q, 0, r, 0);
    for (int k = 0; k < 3; k++) {
      y[yo + pos[k]] = pose[po + k];
      y[yo + rot[k]] = r[k];
    }
  }

  /** pose[po..po+7) = the pose of the state y[yo..yo+6): q = q_g * Exp(r), w >= 0. */
  public void toPose(double[] y, int yo, double[] pose, int po) {
    for (int k = 0; k < 3; k++) {
      pose[po + k] = y[yo + pos[k]];
      r[k] = y[yo + rot[k]];
    }
    So3.exp(r, 0, q, 0);
    So3.multiply(goalQ, 0, q, 0, q, 0);
    double sign = q[3] < 0 ? -1 : 1;
    for (int k = 0; k < 4; k++) {
      pose[po + 3 + k] = sign * q[k];
    }
  }

  /**
   * omega[o..o+3) = the angular velocity [rad/s] of the state y[yo..) moving at ydot[vo..) (the
   * model's velocity field), expressed in the model's frame (the frame the positions are in):
   * {@code R(q) J_r(r) r'}. Its body-frame form is {@link #bodyAngularVelocity}.
   */
  public void angularVelocity(double[] y, int yo, double[] ydot, int vo, double[] omega, int o) {
    bodyAngularVelocity(y, yo, ydot, vo, w, 0);
    So3.exp(r, 0, q, 0);
    So3.multiply(goalQ, 0, q, 0, q, 0);
    So3.rotate(q, 0, w, 0, omega, o);
  }

  /**
   * omega[o..o+3) = the body-frame angular velocity [rad/s] {@code J_r(r) r'} (DESIGN.md: {@code q'
   * = q * (0, omega_body) / 2}).
   */
  public void bodyAngularVelocity(
      double[] y, int yo, double[] ydot, int vo, double[] omega, int o) {
    double vx = ydot[vo + rot[0]], vy = ydot[vo + rot[1]], vz = ydot[vo + rot[2]];
    for (int k = 0; k < 3; k++) {
      r[k] = y[yo + rot[k]];
    }
    omega[o] = vx;
    omega[o + 1] = vy;
    omega[o + 2] = vz;
    So3.rightJacobian(r, 0, omega, o, omega, o);
  }

  /** v[o..o+3) = the linear velocity [m/s] (the position part of ydot[vo..vo+6)). */
  public void linearVelocity(double[] ydot, int vo, double[] v, int o) {
    for (int k = 0; k < 3; k++) {
      v[o + k] = ydot[vo + pos[k]];
    }
  }

  /** The state indices of x, y, z. */
  public int positionDim(int k) {
    return pos[k];
  }

  /** The state indices of r_x, r_y, r_z. */
  public int rotationDim(int k) {
    return rot[k];
  }
}
