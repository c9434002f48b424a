package org.diffeomotion.rosnode;

import java.util.Arrays;
import org.diffeomotion.model.Status;
import org.diffeomotion.model.VelocityField;
import org.diffeomotion.ros1.Publisher;
import org.diffeomotion.ros1.msg.Header;
import org.diffeomotion.ros1.msg.JointState;
import org.diffeomotion.ros1.msg.Marker;
import org.diffeomotion.ros1.msg.PointStamped;
import org.diffeomotion.ros1.msg.PoseStamped;
import org.diffeomotion.ros1.msg.TwistStamped;

/**
 * The state → command path: a state (PoseStamped, PointStamped or JointState) in, one velocity
 * command out (TwistStamped or JointState velocities), scaled down as a whole to ~velocity_limit.
 * Runs on the ~state subscription's thread; allocates nothing per message, bad input included.
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
  private final double[] y;
  private final double[] v;
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

  /** Velocity at y into v; false (logged) if it cannot be served. */
  private boolean evaluate() {
    ServedMotion s = ctx.served.get();
    if (s != at) {
      if (at == null || s.model != at.model) {
        field = new VelocityField(s.model, ctx.config.precision());
      }
      field.setGoal(s.goal);
      field.setTimeScale(s.tau);
      at = s;
    }
    if (!s.model.supportsStateFeedback()) {
      ctx.rejected.incrementAndGet();
      if (ctx.errors.ready(ErrorKind.STATE_NO_FEEDBACK)) {
        ctx.error(
            "~state: the model '"
                + s.model.name()
                + "' has "
                + s.model.augmentDim()
                + " augmented dimensions and cannot serve state feedback (its field is only defined on "
                + "the zero slice); use ~start -> ~plan"
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
      double sq = 0;
      for (int i = 0; i < ctx.d; i++) {
        sq += v[i] * v[i];
      }
      if (sq > limit * limit) {
        double f = limit / Math.sqrt(sq);
        for (int i = 0; i < ctx.d; i++) {
          v[i] *= f;
        }
      }
    }
    return true;
  }

  void onPose(PoseStamped m) {
    onCartesian(m.header, m.pose.position.x, m.pose.position.y, m.pose.position.z);
  }

  void onPoint(PointStamped m) {
    onCartesian(m.header, m.point.x, m.point.y, m.point.z);
  }

  private void onCartesian(Header h, double px, double py, double pz) {
    InputStatus st = ctx.cartesian(h, px, py, pz, y);
    if (st != InputStatus.OK) {
      ctx.rejected.incrementAndGet();
      ErrorKind kind = st == InputStatus.FRAME ? ErrorKind.STATE_FRAME : ErrorKind.STATE_INPUT;
      if (ctx.errors.ready(kind)) {
        ctx.error(
            "~state: "
                + ctx.inputProblem(h, st, y)
                + "; no command"
                + ctx.errors.suppressedSuffix(kind));
      }
      return;
    }
    if (!evaluate()) {
      return;
    }
    twistMsg.header.seq = h.seq;
    twistMsg.header.stampNanos(ctx.stampOf(h));
    twistMsg.twist.linear.set(v[0], v[1], ctx.d == 3 ? v[2] : 0);
    twist.publish(twistMsg);
    ctx.commandsPublished.incrementAndGet();
    if (marker != null && marker.numSubscribers() > 0) {
      publishArrow(twistMsg.header.stampNanos(), px, py, ctx.d == 3 ? y[2] : pz);
    }
  }

  /**
   * The command as an arrow from the state to where 1 s at this velocity would go (its length reads
   * as the speed in state units/s); it fades after 0.5 s without commands.
   */
  private void publishArrow(long stamp, double px, double py, double pz) {
    arrow.header.seq = twistMsg.header.seq;
    arrow.header.stampNanos(stamp);
    arrow.point(0).set(px, py, pz);
    double t = ARROW_SECONDS;
    arrow.point(1).set(px + t * v[0], py + t * v[1], pz + (ctx.d == 3 ? t * v[2] : 0));
    marker.publish(arrow);
  }

  void onJoints(JointState m) {
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
    if (!evaluate()) {
      return;
    }
    jointMsg.header.seq = m.header.seq;
    jointMsg.header.stampNanos(ctx.stampOf(m.header));
    System.arraycopy(v, 0, jointMsg.velocity, 0, ctx.d);
    joints.publish(jointMsg);
    ctx.commandsPublished.incrementAndGet();
  }
}
