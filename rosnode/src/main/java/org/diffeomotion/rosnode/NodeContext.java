package org.diffeomotion.rosnode;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.diffeomotion.model.MotionModel;
import org.diffeomotion.model.PoseMap;
import org.diffeomotion.model.So3;
import org.diffeomotion.model.Workspace;
import org.diffeomotion.ros1.Clock;
import org.diffeomotion.ros1.Publisher;
import org.diffeomotion.ros1.RosNode;
import org.diffeomotion.ros1.msg.Header;
import org.diffeomotion.ros1.msg.PointStamped;
import org.diffeomotion.ros1.msg.Pose;
import org.diffeomotion.ros1.msg.PoseStamped;
import org.diffeomotion.ros1.msg.Quaternion;

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

  /**
   * The state dimension of the model the node started with. Fixed for joint-space models and for
   * position-only Cartesian ones; a Cartesian node may reload between a pose model (6) and a
   * position model (2 or 3), so the paths read {@link ServedMotion#d} of the motion in force.
   */
  final int d;

  /**
   * Whether the node started with a pose model: ~goal is then a PoseStamped (its type is fixed).
   */
  final boolean startedPose;

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

  /** ~current_goal_pose (latched PoseStamped, nodes started with a pose model); null otherwise. */
  private volatile Publisher<PoseStamped> goalPoseOut;

  private final PoseStamped goalPoseMsg = new PoseStamped();

  /** Dropped inputs of all subscriptions (several threads). */
  final AtomicLong rejected = new AtomicLong();

  /** The running warm-up thread, or null ({@link #warmUp}). */
  private Thread warmup;

  /** Warm-ups finished (not stopped) since start; for tests and the log. */
  final AtomicLong warmupsDone = new AtomicLong();

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
    this.startedPose = model.isPose();
    this.jointNames = model.dimensionNames().toArray(new String[0]);
    this.frame = config.frameId().isEmpty() ? model.frameId() : config.frameId();
    if (space == MotionNode.Space.CARTESIAN && frame.isEmpty()) {
      throw new IllegalArgumentException(
          "the model '" + model.name() + "' has no frame id: set ~frame_id");
    }
    String why = inputTypeProblem(model, config);
    if (why == null) {
      why = precisionProblem(model, config.precision());
    }
    if (why != null) {
      throw new IllegalArgumentException(why);
    }
    this.errors = new ThrottledLog(config.errorLogPeriod());
    this.served.set(serve(model, config.model()));
  }

  /**
   * Why a pose model cannot be served with ~input_type point (a point has no orientation), or null.
   */
  static String inputTypeProblem(MotionModel model, MotionNodeConfig config) {
    if (model.isPose() && config.inputType() == MotionNodeConfig.InputType.POINT) {
      return "~input_type point: the model '"
          + model.name()
          + "' is a pose model and needs orientations; use ~input_type pose (PoseStamped)";
    }
    return null;
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
    return new ServedMotion(
        model,
        file,
        model.goal(),
        model.isPose() ? model.goalOrientation() : null,
        tau,
        config.workspace().of(model),
        c);
  }

  /**
   * The one stamp rule for every output (plan, trajectory, command): the stamp of the input it
   * answers, or the node's clock at receipt when the input carries none (zero, as {@code rostopic
   * pub} without {@code -s} and unstamped drivers send). Allocation-free.
   */
  long stampOf(Header h) {
    return h.secs == 0 && h.nsecs == 0 ? clock.nowNanos() : h.stampNanos();
  }

  /**
   * Checks frame and values of a position-only Cartesian input under {@code s} and fills y ({@code
   * s.d} values). Allocation-free.
   */
  InputStatus cartesian(ServedMotion s, Header h, double px, double py, double pz, double[] y) {
    String f = h.frameId();
    if (!f.isEmpty() && !f.equals(frame)) {
      return InputStatus.FRAME;
    }
    if (!(Double.isFinite(px) && Double.isFinite(py) && Double.isFinite(pz))) {
      return InputStatus.NON_FINITE;
    }
    y[0] = px;
    y[1] = py;
    if (s.d == 3) {
      y[2] = pz;
    }
    return s.bounds.outside(y) >= 0 ? InputStatus.OUTSIDE : InputStatus.OK;
  }

  /**
   * Checks frame, position and orientation of a pose input for the pose model of {@code s} and
   * fills y (6 values: [p, r], r relative to the goal orientation of {@code map}, which must be
   * synchronised with {@code s}). {@code pose} is scratch for 7 values. The orientation must be a
   * unit quaternion within {@link PoseMap#MAX_NORM_ERROR} (then normalised): an all-zero one, as
   * tools send when they leave it unset, is refused like any other ({@link
   * InputStatus#ORIENTATION}). Allocation-free.
   */
  InputStatus pose(ServedMotion s, PoseMap map, Header h, Pose p, double[] pose, double[] y) {
    String f = h.frameId();
    if (!f.isEmpty() && !f.equals(frame)) {
      return InputStatus.FRAME;
    }
    pose[0] = p.position.x;
    pose[1] = p.position.y;
    pose[2] = p.position.z;
    if (!(Double.isFinite(pose[0]) && Double.isFinite(pose[1]) && Double.isFinite(pose[2]))) {
      return InputStatus.NON_FINITE;
    }
    pose[3] = p.orientation.x;
    pose[4] = p.orientation.y;
    pose[5] = p.orientation.z;
    pose[6] = p.orientation.w;
    // NaN and infinity fail the comparison too.
    if (!(Math.abs(So3.norm(pose, 3) - 1) <= PoseMap.MAX_NORM_ERROR)) {
      return InputStatus.ORIENTATION;
    }
    map.toState(pose, 0, y, 0);
    return s.bounds.outside(y) >= 0 ? InputStatus.OUTSIDE : InputStatus.OK;
  }

  /**
   * Checks a goal pose for the pose model of {@code s} (frame, finite position, a unit orientation
   * as {@link #pose} requires) and fills {@code goal} ({@code s.d} values: the position on the
   * position dimensions, 0 on the rotation: the goal state relative to its own orientation) and
   * {@code q} (the orientation, normalised). OUTSIDE when the position is outside the workspace.
   */
  InputStatus goalPose(ServedMotion s, Header h, Pose p, double[] goal, double[] q) {
    String f = h.frameId();
    if (!f.isEmpty() && !f.equals(frame)) {
      return InputStatus.FRAME;
    }
    double[] xyz = {p.position.x, p.position.y, p.position.z};
    for (double v : xyz) {
      if (!Double.isFinite(v)) {
        return InputStatus.NON_FINITE;
      }
    }
    q[0] = p.orientation.x;
    q[1] = p.orientation.y;
    q[2] = p.orientation.z;
    q[3] = p.orientation.w;
    double n = So3.norm(q, 0);
    if (!(Math.abs(n - 1) <= PoseMap.MAX_NORM_ERROR)) {
      return InputStatus.ORIENTATION;
    }
    for (int k = 0; k < 4; k++) {
      q[k] /= n;
    }
    java.util.Arrays.fill(goal, 0);
    for (int k = 0; k < 3; k++) {
      goal[s.positionDims[k]] = xyz[k];
    }
    return s.bounds.outside(goal) >= 0 ? InputStatus.OUTSIDE : InputStatus.OK;
  }

  /**
   * What is wrong with the orientation {@code q} of a pose input named {@code field} (e.g. {@code
   * "pose.orientation"}), for the log (allocates).
   */
  static String orientationProblem(String field, Quaternion q) {
    if (q.x == 0 && q.y == 0 && q.z == 0 && q.w == 0) {
      return field
          + " is all zeros (left unset?): the pose model needs a unit quaternion (x, y, z, w),"
          + " e.g. w: 1 for the frame's axes";
    }
    String why = PoseMap.checkQuaternion(field, new double[] {q.x, q.y, q.z, q.w}, 0);
    return why == null ? field + " is not a unit quaternion" : why;
  }

  /** Joint positions {@code y} (already read) within the workspace: OK or OUTSIDE. */
  InputStatus inside(double[] y) {
    return served.get().bounds.outside(y) >= 0 ? InputStatus.OUTSIDE : InputStatus.OK;
  }

  /**
   * Counts a refused Cartesian input and logs why (throttled per kind; allocates only when it
   * logs): {@code topic} and {@code consequence} frame the message ("~start", "no plan"), the kinds
   * are the topic's for a wrong frame, a bad orientation and any other problem.
   */
  void refuseCartesian(
      String topic,
      String consequence,
      ErrorKind frameKind,
      ErrorKind orientationKind,
      ErrorKind inputKind,
      ServedMotion s,
      Header h,
      InputStatus st,
      double[] y,
      Pose p) {
    rejected.incrementAndGet();
    ErrorKind kind =
        st == InputStatus.FRAME
            ? frameKind
            : st == InputStatus.ORIENTATION ? orientationKind : inputKind;
    if (errors.ready(kind)) {
      error(
          topic
              + ": "
              + inputProblem(s, h, st, y, p)
              + "; "
              + consequence
              + errors.suppressedSuffix(kind));
    }
  }

  /** What is wrong with a Cartesian input, for the log (allocates: call only when logging). */
  String inputProblem(Header h, InputStatus st, double[] y) {
    return inputProblem(served.get(), h, st, y, null);
  }

  /**
   * What is wrong with a Cartesian input checked under {@code s}, for the log (allocates: call only
   * when logging); {@code p} is the input's pose (null for a point), whose orientation an {@link
   * InputStatus#ORIENTATION} names as {@code pose.orientation}.
   */
  String inputProblem(ServedMotion s, Header h, InputStatus st, double[] y, Pose p) {
    switch (st) {
      case OUTSIDE:
        {
          Workspace.Bounds b = s.bounds;
          int i = Math.max(0, b.outside(y));
          return b.describe("position[" + i + "]", i, y[i]) + " (~workspace_sigmas widens it)";
        }
      case FRAME:
        return "frame '" + h.frameId() + "' is not the node's frame '" + frame + "' (no TF lookup)";
      case NON_FINITE:
        return "the message has a NaN or infinite value";
      case ORIENTATION:
        return orientationProblem("pose.orientation", p.orientation);
      default:
        return "wrong dimension";
    }
  }

  /** Publishes the goal in force on {@code out} from now on, starting with the current one. */
  void announceGoalOn(Publisher<PointStamped> out, Publisher<PoseStamped> poseOut) {
    goalOut = out;
    goalPoseOut = poseOut;
    announceGoal();
  }

  /**
   * Publishes the goal in force (after a ~goal or a reload) on ~current_goal (its position) and,
   * for a node started with a pose model, ~current_goal_pose (with the goal orientation; identity
   * while a position-only model is served), latched, so that rviz and late subscribers see where
   * plans go. Not on a hot path: goals change rarely.
   */
  synchronized void announceGoal() {
    Publisher<PointStamped> out = goalOut;
    if (out == null) {
      return;
    }
    ServedMotion s = served.get();
    double[] g = s.goal;
    int[] p = s.positionDims;
    double gx = g[p[0]];
    double gy = g[p[1]];
    double gz = p.length == 3 ? g[p[2]] : 0;
    long now = clock.nowNanos();
    goalMsg.header.frameId(frame);
    goalMsg.header.stampNanos(now);
    goalMsg.point.set(gx, gy, gz);
    out.publish(goalMsg);
    Publisher<PoseStamped> poseOut = goalPoseOut;
    if (poseOut != null) {
      goalPoseMsg.header.frameId(frame);
      goalPoseMsg.header.stampNanos(now);
      goalPoseMsg.pose.position.set(gx, gy, gz);
      double[] q = s.goalOrientation;
      if (q == null) {
        goalPoseMsg.pose.orientation.set(0, 0, 0, 1);
      } else {
        goalPoseMsg.pose.orientation.set(q[0], q[1], q[2], q[3]);
      }
      poseOut.publish(goalPoseMsg);
    }
  }

  /** The node's clock [ns since the epoch]. */
  long nowNanos() {
    return clock.nowNanos();
  }

  /** A private or relative parameter, or {@code fallback} when unset or unreadable. */
  Object param(String key, Object fallback) {
    return ros.param(key, fallback);
  }

  /**
   * Starts a background JIT warm-up of {@code s}'s model in the node's precision for ~warmup
   * seconds (nothing if 0), stopping the previous one (a reload replaced its model). The report
   * goes to the log at INFO; a warm-up that fails is logged as a warning and changes nothing else
   * (the model was checked before it was served).
   */
  synchronized void warmUp(ServedMotion s) {
    stopWarmup();
    warmup =
        org.diffeomotion.model.Warmup.startInBackground(
            s.model,
            config.precision(),
            config.warmup(),
            null,
            r -> {
              if (!r.stopped()) {
                warmupsDone.incrementAndGet();
              }
              info("model '" + s.model.name() + "': " + r.describe());
            });
    if (warmup != null) {
      warmup.setUncaughtExceptionHandler(
          (t, e) -> warn("model '" + s.model.name() + "': warm-up failed: " + e));
    }
  }

  /** Interrupts the running warm-up, if any (it stops within one round, ~2 ms). Idempotent. */
  synchronized void stopWarmup() {
    if (warmup != null) {
      warmup.interrupt();
      warmup = null;
    }
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
