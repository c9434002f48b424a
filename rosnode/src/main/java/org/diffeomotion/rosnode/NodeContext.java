package org.diffeomotion.rosnode;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.diffeomotion.model.MotionModel;
import org.diffeomotion.model.Workspace;
import org.diffeomotion.ros1.Clock;
import org.diffeomotion.ros1.Publisher;
import org.diffeomotion.ros1.RosNode;
import org.diffeomotion.ros1.msg.Header;
import org.diffeomotion.ros1.msg.PointStamped;

/**
 * What the parts of the motion node share: the ROS node, the configuration, the model's space,
 * dimension, frame and joints (fixed for the node's life: the topic types depend on them), the
 * {@link ServedMotion} in force, the error-log throttle, the counters, and the input checks and the
 * stamp rule every path applies. Thread-safe: the fixed parts are final, the served motion is an
 * atomic reference, the counters atomic.
 */
final class NodeContext {
  final RosNode ros;

  /** The node's clock, taken once: the stamp rule reads it on the hot path. */
  private final Clock clock;

  /**
   * The parameters the node was started with: the fixed ones (frame, input type, workspace, ports,
   * max_points) are read here; those dynamic_reconfigure may change are read from the {@link
   * ServedMotion#config} snapshot in force.
   */
  final MotionNodeConfig config;

  final MotionNode.Space space;

  /** The model's state dimension. */
  final int d;

  /** The frame of plans and commands, and the only frame accepted on inputs. */
  final String frame;

  final String[] jointNames;
  final AtomicReference<ServedMotion> served = new AtomicReference<>();
  final ThrottledLog errors;

  final AtomicLong plansPublished = new AtomicLong();

  /** Plans whose last point arrived within the goal tolerances, and those that did not. */
  final AtomicLong plansArrived = new AtomicLong();

  final AtomicLong plansNotArrived = new AtomicLong();
  final AtomicLong commandsPublished = new AtomicLong();

  /** ~current_goal (latched PointStamped, Cartesian models), set by start(); null before. */
  private volatile Publisher<PointStamped> goalOut;

  private final PointStamped goalMsg = new PointStamped();

  /** Dropped inputs of all subscriptions (several threads). */
  final AtomicLong rejected = new AtomicLong();

  /**
   * @throws IllegalArgumentException when a Cartesian model has no frame and ~frame_id is unset, or
   *     the model cannot be evaluated in ~precision
   */
  NodeContext(RosNode ros, MotionNodeConfig config, MotionModel model) {
    this.ros = ros;
    this.clock = ros.clock();
    this.config = config;
    this.space = MotionNode.spaceOf(model);
    this.d = model.stateDim();
    this.jointNames = model.dimensionNames().toArray(new String[0]);
    this.frame = config.frameId().isEmpty() ? model.frameId() : config.frameId();
    if (space == MotionNode.Space.CARTESIAN && frame.isEmpty()) {
      throw new IllegalArgumentException(
          "the model '" + model.name() + "' has no frame id: set ~frame_id");
    }
    String why = precisionProblem(model, config.precision());
    if (why != null) {
      throw new IllegalArgumentException(why);
    }
    this.errors = new ThrottledLog(config.errorLogPeriod());
    this.served.set(serve(model, config.model()));
  }

  /**
   * Why {@code model} cannot be evaluated in {@code precision} (float: weights beyond float range,
   * or F(0) overflowing in float), or null. Checked before a model is served, at start and on
   * reload, so that the evaluators the listeners build for it cannot fail.
   */
  static String precisionProblem(MotionModel model, org.diffeomotion.model.Precision precision) {
    if (precision == org.diffeomotion.model.Precision.DOUBLE) {
      return null;
    }
    try {
      new org.diffeomotion.model.VelocityField(model, precision);
      return null;
    } catch (IllegalArgumentException e) {
      return "~precision "
          + precision.label()
          + ": the model '"
          + model.name()
          + "' cannot be served in "
          + precision.label()
          + ": "
          + e.getMessage();
    }
  }

  /**
   * A model as this node serves it: its own goal, ~time_scale or its τ, the workspace of
   * ~workspace_sigmas, under the parameters in force (the initial ones before the first swap).
   */
  ServedMotion serve(MotionModel model, Path file) {
    ServedMotion now = served.get();
    MotionNodeConfig c = now == null ? config : now.config;
    double tau = c.timeScale() > 0 ? c.timeScale() : model.timeScale();
    return new ServedMotion(model, file, model.goal(), tau, config.workspace().of(model), c);
  }

  /**
   * The one stamp rule for every output (plan, trajectory, command): the stamp of the input it
   * answers, or the node's clock at receipt when the input carries none (zero, as {@code rostopic
   * pub} without {@code -s} and unstamped drivers send). Allocation-free.
   */
  long stampOf(Header h) {
    return h.secs == 0 && h.nsecs == 0 ? clock.nowNanos() : h.stampNanos();
  }

  /** Checks frame and values of a Cartesian input and fills y (d values). Allocation-free. */
  InputStatus cartesian(Header h, double px, double py, double pz, double[] y) {
    String f = h.frameId();
    if (!f.isEmpty() && !f.equals(frame)) {
      return InputStatus.FRAME;
    }
    if (!(Double.isFinite(px) && Double.isFinite(py) && Double.isFinite(pz))) {
      return InputStatus.NON_FINITE;
    }
    y[0] = px;
    y[1] = py;
    if (d == 3) {
      y[2] = pz;
    }
    return served.get().bounds.outside(y) >= 0 ? InputStatus.OUTSIDE : InputStatus.OK;
  }

  /** Joint positions {@code y} (already read) within the workspace: OK or OUTSIDE. */
  InputStatus inside(double[] y) {
    return served.get().bounds.outside(y) >= 0 ? InputStatus.OUTSIDE : InputStatus.OK;
  }

  /** What is wrong with a Cartesian input, for the log (allocates: call only when logging). */
  String inputProblem(Header h, InputStatus st, double[] y) {
    switch (st) {
      case OUTSIDE:
        {
          Workspace.Bounds b = served.get().bounds;
          int i = Math.max(0, b.outside(y));
          return b.describe("position[" + i + "]", i, y[i]) + " (~workspace_sigmas widens it)";
        }
      case FRAME:
        return "frame '" + h.frameId() + "' is not the node's frame '" + frame + "' (no TF lookup)";
      case NON_FINITE:
        return "the message has a NaN or infinite value";
      default:
        return "wrong dimension";
    }
  }

  /** Publishes the goal in force on {@code out} from now on, starting with the current one. */
  void announceGoalOn(Publisher<PointStamped> out) {
    goalOut = out;
    announceGoal();
  }

  /**
   * Publishes the goal in force (after a ~goal or a reload) on ~current_goal, latched, so that rviz
   * and late subscribers see where plans go. Not on a hot path: goals change rarely.
   */
  synchronized void announceGoal() {
    Publisher<PointStamped> out = goalOut;
    if (out == null) {
      return;
    }
    double[] g = served.get().goal;
    goalMsg.header.frameId(frame);
    goalMsg.header.stampNanos(clock.nowNanos());
    goalMsg.point.set(g[0], g[1], d == 3 ? g[2] : 0);
    out.publish(goalMsg);
  }

  /** The node's clock [ns since the epoch]. */
  long nowNanos() {
    return clock.nowNanos();
  }

  /** A private or relative parameter, or {@code fallback} when unset or unreadable. */
  Object param(String key, Object fallback) {
    return ros.param(key, fallback);
  }

  void info(String msg) {
    ros.log().info(msg);
  }

  void warn(String msg) {
    ros.log().warn(msg);
  }

  void error(String msg) {
    ros.log().error(msg);
  }
}
