package org.diffeomotion.rosnode;

import java.util.Arrays;
import org.diffeomotion.model.PoseMap;
import org.diffeomotion.model.Status;
import org.diffeomotion.model.VelocityField;
import org.diffeomotion.ros1.Publisher;
import org.diffeomotion.ros1.msg.Header;
import org.diffeomotion.ros1.msg.JointState;
import org.diffeomotion.ros1.msg.Marker;
import org.diffeomotion.ros1.msg.PointStamped;
import org.diffeomotion.ros1.msg.Pose;
import org.diffeomotion.ros1.msg.PoseStamped;
import org.diffeomotion.ros1.msg.TwistStamped;

/**
 * The state → command path: a state (PoseStamped, PointStamped or JointState) in, one velocity
 * command out (TwistStamped or JointState velocities), scaled down as a whole to ~velocity_limit.
 * For a pose model the twist carries the linear velocity [m/s] and the angular velocity {@code
 * PoseMap.angularVelocity} [rad/s], both in the node's frame (the frame of the state's position and
 * of the twist's header); ~velocity_limit then bounds the linear speed and scales the angular part
 * by the same factor (the command stays tangent to the learned motion). Runs on the ~state
 * subscription's thread; allocates nothing per message, bad input included.
 */
final class CommandPublisher {
  Publisher<TwistStamped> twist;
  Publisher<JointState> joints;
  private final TwistStamped twistMsg = new TwistStamped();

  /** ~cmd_marker: the command as an rviz arrow; only encoded while someone subscribes. */
  Publisher<Marker> marker;

  private final Marker arrow = new Marker();

  /** The arrow's length in time: the motion of this many seconds at the command [s]. */
  static final double ARROW_SECONDS = 0.2;

  private final JointState jointMsg = new JointState();
  private final NodeContext ctx;
  private final JointMap map;

  /** State and its velocity, sized for the model in force (a reload may change the dimension). */
  private double[] y;

  private double[] v;

  /** A state's pose (x, y, z, q_x, q_y, q_z, q_w) and the angular velocity [rad/s]. */
  private final double[] pose = new double[PoseMap.POSE_LENGTH];

  private final double[] omega = new double[3];

  /** For the pose model in force, synchronised with its goal orientation; null otherwise. */
  private PoseMap poseMap;

  private ServedMotion at;
  private VelocityField field;

  CommandPublisher(NodeContext ctx) {
    this.ctx = ctx;
    this.map = new JointMap(ctx.jointNames);
    this.y = new double[ctx.d];
    this.v = new double[ctx.d];
    twistMsg.header.frameId(ctx.frame);
    arrow.header.frameId(ctx.frame);
    arrow.ns("cmd_vel");
    arrow.type = Marker.ARROW;
    arrow.action = Marker.ADD;
    arrow.pose.orientation.set(0, 0, 0, 1);
    arrow.scale.set(0.01, 0.03, 0.04); // shaft diameter, head diameter, head length [m]
    arrow.color.set(0.1f, 0.6f, 1f, 1f);
    arrow.lifetimeNanos = 500_000_000L;
    arrow.resizePoints(2);
    jointMsg.header.frameId(ctx.frame);
    jointMsg.names(ctx.jointNames);
    jointMsg.velocity = new double[ctx.d];
  }

  /**
   * Evaluator (and pose map) for the served model, goal, goal orientation and time scale; rebuilt
   * only when the model changes. Call before reading a state: a pose state is expressed relative to
   * the goal orientation of {@code s}.
   */
  private void sync(ServedMotion s) {
    if (s == at) {
      return;
    }
    if (at == null || s.model != at.model) {
      field = new VelocityField(s.model, ctx.config.precision());
      poseMap = s.pose ? new PoseMap(s.model) : null;
      if (y.length != s.d) {
        y = new double[s.d];
        v = new double[s.d];
      }
    }
    if (poseMap != null) {
      poseMap.setGoalOrientation(s.goalOrientation, 0); // checked when it was set
    }
    field.setGoal(s.goal);
    field.setTimeScale(s.tau);
    at = s;
  }

  /** Velocity at y into v under {@code s} (synced); false (logged) if it cannot be served. */
  private boolean evaluate(ServedMotion s) {
    if (!s.model.supportsStateFeedback()) {
      ctx.rejected.incrementAndGet();
      if (ctx.errors.ready(ErrorKind.STATE_NO_FEEDBACK)) {
        ctx.error(
            "~state: the model '"
                + s.model.name()
                + "' has "
                + s.model.augmentDim()
                + " augmented dimensions and cannot serve state feedback (its field is only defined on "
                + "the zero slice); use ~start -> ~plan, or retrain with diffeo train --augment 0 "
                + "for a reactive model"
                + ctx.errors.suppressedSuffix(ErrorKind.STATE_NO_FEEDBACK));
      }
      return false;
    }
    int st = field.tryVelocity(y, v);
    if (st != Status.OK) {
      ctx.rejected.incrementAndGet();
      if (ctx.errors.ready(ErrorKind.STATE_EVAL)) {
        ctx.error(
            "~state: no velocity ("
                + Status.describe(st)
                + ") at "
                + Arrays.toString(y)
                + ctx.errors.suppressedSuffix(ErrorKind.STATE_EVAL));
      }
      return false;
    }
    double limit = s.config.velocityLimit(); // the parameters in force for this message
    if (limit > 0) {
      // A pose model's limit is on the linear speed [m/s]: the state mixes m and rad.
      double sq = 0;
      if (s.pose) {
        for (int k = 0; k < 3; k++) {
          double c = v[s.positionDims[k]];
          sq += c * c;
        }
      } else {
        for (int i = 0; i < s.d; i++) {
          sq += v[i] * v[i];
        }
      }
      if (sq > limit * limit) {
        double f = limit / Math.sqrt(sq);
        for (int i = 0; i < s.d; i++) {
          v[i] *= f;
        }
      }
    }
    return true;
  }

  void onPose(PoseStamped m) {
    ServedMotion s = ctx.served.get();
    sync(s);
    Header h = m.header;
    if (!s.pose) {
      onCartesian(s, h, m.pose.position.x, m.pose.position.y, m.pose.position.z);
      return;
    }
    InputStatus st = ctx.pose(s, poseMap, h, m.pose, pose, y);
    if (st != InputStatus.OK) {
      reject(s, h, st, m.pose);
      return;
    }
    if (!evaluate(s)) {
      return;
    }
    int[] pd = s.positionDims;
    poseMap.angularVelocity(y, 0, v, 0, omega, 0);
    twistMsg.header.seq = h.seq;
    twistMsg.header.stampNanos(ctx.stampOf(h));
    twistMsg.twist.linear.set(v[pd[0]], v[pd[1]], v[pd[2]]);
    twistMsg.twist.angular.set(omega[0], omega[1], omega[2]);
    twist.publish(twistMsg);
    ctx.commandsPublished.incrementAndGet();
    if (marker != null && marker.numSubscribers() > 0) {
      publishArrow(twistMsg.header.stampNanos(), pose[0], pose[1], pose[2]);
    }
  }

  void onPoint(PointStamped m) {
    ServedMotion s = ctx.served.get();
    sync(s);
    // A pose model never meets a point input: refused at start and on reload (no orientation).
    onCartesian(s, m.header, m.point.x, m.point.y, m.point.z);
  }

  private void reject(ServedMotion s, Header h, InputStatus st, Pose p) {
    ctx.refuseCartesian(
        "~state",
        "no command",
        ErrorKind.STATE_FRAME,
        ErrorKind.STATE_ORIENTATION,
        ErrorKind.STATE_INPUT,
        s,
        h,
        st,
        y,
        p);
  }

  private void onCartesian(ServedMotion s, Header h, double px, double py, double pz) {
    InputStatus st = ctx.cartesian(s, h, px, py, pz, y);
    if (st != InputStatus.OK) {
      reject(s, h, st, null);
      return;
    }
    if (!evaluate(s)) {
      return;
    }
    int d = s.d;
    twistMsg.header.seq = h.seq;
    twistMsg.header.stampNanos(ctx.stampOf(h));
    twistMsg.twist.linear.set(v[0], v[1], d == 3 ? v[2] : 0);
    twistMsg.twist.angular.set(0, 0, 0); // a pose model served before a reload may have set it
    twist.publish(twistMsg);
    ctx.commandsPublished.incrementAndGet();
    if (marker != null && marker.numSubscribers() > 0) {
      publishArrow(twistMsg.header.stampNanos(), px, py, d == 3 ? y[2] : pz);
    }
  }

  /**
   * The command as an arrow from the state to where {@link #ARROW_SECONDS} at this linear velocity
   * would go (its length reads as the speed); it fades after 0.5 s without commands.
   */
  private void publishArrow(long stamp, double px, double py, double pz) {
    arrow.header.seq = twistMsg.header.seq;
    arrow.header.stampNanos(stamp);
    arrow.point(0).set(px, py, pz);
    double t = ARROW_SECONDS;
    org.diffeomotion.ros1.msg.Vector3 lin = twistMsg.twist.linear;
    arrow.point(1).set(px + t * lin.x, py + t * lin.y, pz + t * lin.z);
    marker.publish(arrow);
  }

  void onJoints(JointState m) {
    ServedMotion s = ctx.served.get();
    sync(s);
    InputStatus st = map.read(m, y);
    if (st == InputStatus.OK) {
      st = ctx.inside(y);
    }
    if (st != InputStatus.OK) {
      ctx.rejected.incrementAndGet();
      if (ctx.errors.ready(ErrorKind.STATE_INPUT)) {
        ctx.error(
            "~state: "
                + (st == InputStatus.OUTSIDE
                    ? ctx.inputProblem(m.header, st, y)
                    : map.problem(m, st))
                + "; no command"
                + ctx.errors.suppressedSuffix(ErrorKind.STATE_INPUT));
      }
      return;
    }
    if (!evaluate(s)) {
      return;
    }
    jointMsg.header.seq = m.header.seq;
    jointMsg.header.stampNanos(ctx.stampOf(m.header));
    System.arraycopy(v, 0, jointMsg.velocity, 0, ctx.d);
    joints.publish(jointMsg);
    ctx.commandsPublished.incrementAndGet();
  }
}
