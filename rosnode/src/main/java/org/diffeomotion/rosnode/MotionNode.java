package org.diffeomotion.rosnode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.diffeomotion.model.MotionModel;
import org.diffeomotion.ros1.Publisher;
import org.diffeomotion.ros1.RosNode;
import org.diffeomotion.ros1.msg.GetPlan;
import org.diffeomotion.ros1.msg.JointState;
import org.diffeomotion.ros1.msg.JointTrajectory;
import org.diffeomotion.ros1.msg.Marker;
import org.diffeomotion.ros1.msg.Path;
import org.diffeomotion.ros1.msg.PointStamped;
import org.diffeomotion.ros1.msg.PoseStamped;
import org.diffeomotion.ros1.msg.Trigger;
import org.diffeomotion.ros1.msg.TwistStamped;

/**
 * Serves a learned motion model over ROS topics (DESIGN.md §4). All names are private to the node:
 *
 * <table>
 * <tr><th>name</th><th>Cartesian model (units m)</th><th>joint-space model</th></tr>
 * <tr><td>{@code ~start} in</td><td>PoseStamped (or PointStamped, {@code ~input_type})</td><td>sensor_msgs/JointState</td></tr>
 * <tr><td>{@code ~plan} out, latched</td><td>nav_msgs/Path</td><td>trajectory_msgs/JointTrajectory</td></tr>
 * <tr><td>{@code ~state} in</td><td>PoseStamped (or PointStamped)</td><td>sensor_msgs/JointState</td></tr>
 * <tr><td>{@code ~cmd_vel} out</td><td>geometry_msgs/TwistStamped</td><td>sensor_msgs/JointState (velocity)</td></tr>
 * <tr><td>{@code ~goal} in</td><td>geometry_msgs/PointStamped</td><td>sensor_msgs/JointState (position)</td></tr>
 * <tr><td>{@code ~reload}</td><td colspan="2">std_srvs/Trigger: reads {@code ~model} again</td></tr>
 * </table>
 *
 * <p>A full-pose model ({@link MotionModel#isPose()}) is served on the Cartesian topics with
 * orientations: a PoseStamped start gives a Path whose poses are the rolled-out positions and
 * orientations ({@code PoseMap.toPose}); a PoseStamped state gives a TwistStamped with the linear
 * [m/s] and angular [rad/s] velocity, both in the node's frame ({@code PoseMap.angularVelocity});
 * {@code ~goal} is a PoseStamped that moves the goal pose ({@code ~current_goal_pose} latched);
 * {@code ~plan_poses} repeats each plan as a geometry_msgs/PoseArray for rviz. An orientation that
 * is not a unit quaternion (NaN, all zeros, norm more than 1 % off) is refused with a throttled
 * error naming {@code pose.orientation}.
 *
 * <p>A start gives one closed-form plan; each state gives one velocity command (the state's stamp,
 * or the node's clock when the state has none, and seq; the node's frame), scaled down as a whole
 * to {@code ~velocity_limit}. The state → command path allocates nothing per message. Bad input
 * (another frame, wrong dimension or joint names, NaN, a model without state feedback) is dropped
 * with a throttled error log: no exception reaches the transport and nothing non-finite is
 * published.
 *
 * <p>This class wires the parts: {@link PlanPublisher} (start → plan), {@link CommandPublisher}
 * (state → command), {@link GoalListener} ({@code ~goal}), {@link ModelReloader} ({@code ~reload}),
 * {@link GrpcBridge} (the optional embedded gRPC server), sharing one {@link NodeContext}.
 *
 * <p>Threading: every subscription's listener runs serialized on its connection thread and owns its
 * evaluator ({@code Rollout}, {@code VelocityField}). The served model, goal and time scale are one
 * immutable {@link ServedMotion} in an atomic reference; a listener that sees a new one rebuilds or
 * re-targets its evaluator before using it. A reload validates the new file first and swaps only on
 * success.
 */
public final class MotionNode implements AutoCloseable {

  /** Whether states are Cartesian positions (x, y[, z] in m) or joint positions. */
  public enum Space {
    CARTESIAN,
    JOINT
  }

  static final int QUEUE_PLAN = 4;
  static final int QUEUE_CMD = 100;

  private final NodeContext ctx;
  private final GrpcBridge grpc;
  private final PlanPublisher planner;

  /** ~get_plan's own planner: the service runs on its own thread. */
  private final PlanPublisher servicePlanner;

  private final CommandPublisher commands;
  private final GoalListener goals;
  private final ModelReloader reloader;
  private final DynamicParameters dynamic;
  private final List<AutoCloseable> open = new ArrayList<>();
  private boolean started;

  /**
   * @param node a started or not yet started node (any {@link RosNode}: {@code RosNode.create} in
   *     the executable, a fake in unit tests); topics are private to it
   * @param config validated parameters
   * @param model the model read from {@code config.model()}
   * @throws IllegalArgumentException if the model cannot be served with this configuration
   */
  public MotionNode(RosNode node, MotionNodeConfig config, MotionModel model) {
    this.ctx = new NodeContext(node, config, model);
    this.grpc = new GrpcBridge(config.grpcPort(), config.workspace(), config.precision());
    Object goalAndReload = new Object();
    this.planner = new PlanPublisher(ctx);
    this.servicePlanner = new PlanPublisher(ctx);
    this.commands = new CommandPublisher(ctx);
    this.goals = new GoalListener(ctx, goalAndReload);
    this.reloader = new ModelReloader(ctx, grpc, goalAndReload);
    this.dynamic = new DynamicParameters(ctx, goalAndReload);
  }

  /**
   * Cartesian when the model is a full-pose model (y = [p, r], poses in and out) or has 2 or 3
   * dimensions none of which is in rad; joint-space otherwise (joint models name their joints,
   * units rad or m).
   */
  public static Space spaceOf(MotionModel model) {
    if (model.isPose()) {
      return Space.CARTESIAN;
    }
    int d = model.stateDim();
    if (d < 2 || d > 3) {
      return Space.JOINT;
    }
    for (String u : model.dimensionUnits()) {
      if (u.equals("rad")) {
        return Space.JOINT;
      }
    }
    return Space.CARTESIAN;
  }

  /** Advertises the outputs, subscribes to the inputs, advertises {@code ~reload}. */
  public synchronized void start() throws IOException {
    if (started) {
      throw new IllegalStateException("motion node already started");
    }
    started = true;
    RosNode ros = ctx.ros;
    ServedMotion s = ctx.served.get();
    // First, so that a port in use fails the start before any topic is advertised.
    grpc.start(s.model, s.file, ros);
    if (ctx.space == Space.CARTESIAN) {
      planner.path = ros.advertise("~plan", Path.TYPE, true, QUEUE_PLAN);
      commands.twist = ros.advertise("~cmd_vel", TwistStamped.TYPE, false, QUEUE_CMD);
      commands.marker = ros.advertise("~cmd_marker", Marker.TYPE, false, QUEUE_CMD);
      open.add(commands.marker);
      open.add(planner.path);
      open.add(commands.twist);
      if (ctx.config.inputType() == MotionNodeConfig.InputType.POSE) {
        open.add(ros.subscribe("~start", PoseStamped.TYPE, planner::onPose));
        open.add(ros.subscribe("~state", PoseStamped.TYPE, commands::onPose));
      } else {
        open.add(ros.subscribe("~start", PointStamped.TYPE, planner::onPoint));
        open.add(ros.subscribe("~state", PointStamped.TYPE, commands::onPoint));
      }
      // The goal's type is fixed by the model the node starts with: a pose model's goal is a pose.
      Publisher<PoseStamped> currentGoalPose = null;
      if (ctx.startedPose) {
        open.add(ros.subscribe("~goal", PoseStamped.TYPE, goals::onPose));
        currentGoalPose = ros.advertise("~current_goal_pose", PoseStamped.TYPE, true, 1);
        open.add(currentGoalPose);
        planner.poseArray = ros.advertise("~plan_poses", PoseArray.TYPE, true, QUEUE_PLAN);
        open.add(planner.poseArray);
      } else {
        open.add(ros.subscribe("~goal", PointStamped.TYPE, goals::onPoint));
      }
      open.add(ros.advertiseService("~get_plan", GetPlan.TYPE, servicePlanner::servePlan));
      Publisher<PointStamped> currentGoal =
          ros.advertise("~current_goal", PointStamped.TYPE, true, 1);
      open.add(currentGoal);
      ctx.announceGoalOn(currentGoal, currentGoalPose);
    } else {
      planner.trajectory = ros.advertise("~plan", JointTrajectory.TYPE, true, QUEUE_PLAN);
      commands.joints = ros.advertise("~cmd_vel", JointState.TYPE, false, QUEUE_CMD);
      open.add(planner.trajectory);
      open.add(commands.joints);
      open.add(ros.subscribe("~start", JointState.TYPE, planner::onJoints));
      open.add(ros.subscribe("~state", JointState.TYPE, commands::onJoints));
      open.add(ros.subscribe("~goal", JointState.TYPE, goals::onJoints));
      open.add(
          ros.advertiseService(
              "~get_joint_plan", GetJointPlan.TYPE, servicePlanner::serveJointPlan));
    }
    dynamic.start(ros, open);
    open.add(
        ros.advertiseService(
            "~reload",
            Trigger.TYPE,
            (req, res) -> {
              ModelReloader.Result r = reloader.reload();
              res.success = r.loaded();
              res.message(r.message());
            }));
    ctx.info(
        "serving model '"
            + s.model.name()
            + "' ("
            + describe(s.model)
            + ") from "
            + s.file
            + ": "
            + ctx.space.name().toLowerCase(java.util.Locale.ROOT)
            + " space, frame '"
            + ctx.frame
            + "', tau "
            + s.tau
            + " s, plan "
            + planSpec()
            + ", precision "
            + ctx.config.precision().label()
            + (s.model.supportsStateFeedback()
                ? ""
                : "; state feedback disabled: the model has "
                    + s.model.augmentDim()
                    + " augmented dimensions (a plan-only model: serve ~start -> ~plan, or "
                    + "retrain with diffeo train --augment 0)"));
    // After the topics are up: the node serves at once, the warm-up only makes it fast sooner.
    ctx.warmUp(s);
  }

  private String planSpec() {
    MotionNodeConfig config = ctx.config;
    String over =
        config.horizon() > 0
            ? config.horizon() + " s"
            : "the time each plan takes to arrive (within "
                + config.goalTolerance()
                + " sigma and "
                + config.goalSpeedTolerance()
                + " sigma/tau of the goal)";
    return config.dt() > 0
        ? "every " + config.dt() + " s over " + over
        : config.points() + " points over " + over;
  }

  static String describe(MotionModel m) {
    String d =
        "d="
            + m.stateDim()
            + " "
            + m.dimensionNames()
            + " in "
            + m.dimensionUnits()
            + ", a="
            + m.augmentDim();
    if (!m.isPose()) {
      return d;
    }
    return d
        + ", pose model: position dims "
        + java.util.Arrays.toString(m.positionDims())
        + ", rotation vector dims "
        + java.util.Arrays.toString(m.rotationDims())
        + " relative to the goal orientation (x, y, z, w) "
        + java.util.Arrays.toString(m.goalOrientation());
  }

  /**
   * Closes the topics, the service and the gRPC server; the ROS node itself stays up. Idempotent.
   */
  @Override
  public synchronized void close() {
    ctx.stopWarmup();
    grpc.close();
    for (AutoCloseable c : open) {
      try {
        c.close();
      } catch (Exception e) {
        ctx.warn("closing " + c + ": " + e.getMessage());
      }
    }
    open.clear();
  }

  /** Stops the embedded gRPC server only (for a JVM shutdown hook). Idempotent. */
  void closeGrpc() {
    grpc.close();
  }

  public Space space() {
    return ctx.space;
  }

  /** The frame of plans and commands, and of accepted inputs. */
  public String frameId() {
    return ctx.frame;
  }

  /** The model being served. */
  public MotionModel model() {
    return ctx.served.get().model;
  }

  /** The goal in force [state units]; a copy. */
  public double[] goal() {
    return ctx.served.get().goal.clone();
  }

  /**
   * The goal orientation in force (x, y, z, w) of a pose model, null while a position-only model is
   * served; a copy.
   */
  public double[] goalOrientation() {
    double[] q = ctx.served.get().goalOrientation;
    return q == null ? null : q.clone();
  }

  /** The embedded gRPC server's port, 0 when there is none. */
  public int grpcPort() {
    return grpc.boundPort();
  }

  long plansPublished() {
    return ctx.plansPublished.get();
  }

  /** Plans that ended within the goal tolerances. */
  long plansArrived() {
    return ctx.plansArrived.get();
  }

  /** Plans that did not (each also logged, throttled, at WARN). */
  long plansNotArrived() {
    return ctx.plansNotArrived.get();
  }

  long commandsPublished() {
    return ctx.commandsPublished.get();
  }

  long rejected() {
    return ctx.rejected.get();
  }
}
