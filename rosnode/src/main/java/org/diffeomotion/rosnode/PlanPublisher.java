package org.diffeomotion.rosnode;

import java.util.Arrays;
import org.diffeomotion.model.PoseMap;
import org.diffeomotion.model.Rollout;
import org.diffeomotion.model.Status;
import org.diffeomotion.model.TimeGrids;
import org.diffeomotion.ros1.Publisher;
import org.diffeomotion.ros1.msg.GetPlan;
import org.diffeomotion.ros1.msg.Header;
import org.diffeomotion.ros1.msg.JointState;
import org.diffeomotion.ros1.msg.JointTrajectory;
import org.diffeomotion.ros1.msg.JointTrajectoryPoint;
import org.diffeomotion.ros1.msg.PointStamped;
import org.diffeomotion.ros1.msg.Pose;
import org.diffeomotion.ros1.msg.PoseStamped;

/**
 * The start → plan path: a start (PoseStamped, PointStamped or JointState) in, one closed-form plan
 * out (nav_msgs/Path or trajectory_msgs/JointTrajectory) over ~horizon or until arrival. For a pose
 * model the start pose becomes the state [p, r] relative to the goal orientation in force and every
 * plan pose is {@code PoseMap.toPose} of the rolled-out state (position and orientation). Runs on
 * the ~start subscription's thread; owns its {@link Rollout}, {@link PoseMap}, messages and arrays,
 * which grow to the largest plan and are reused.
 */
final class PlanPublisher {
  Publisher<org.diffeomotion.ros1.msg.Path> path;
  Publisher<JointTrajectory> trajectory;

  /**
   * ~plan_poses (latched PoseArray, nodes started with a pose model): the plan's poses; or null.
   */
  Publisher<PoseArray> poseArray;

  private final PoseArray poseArrayMsg = new PoseArray();
  private final org.diffeomotion.ros1.msg.Path pathMsg = new org.diffeomotion.ros1.msg.Path();
  private final JointTrajectory trajMsg = new JointTrajectory();
  private final NodeContext ctx;
  private final JointMap map;

  /** The start state; sized for the model in force (a reload may change the dimension). */
  private double[] y0;

  private org.diffeomotion.model.Arrival.Scratch arrivalScratch;

  /** A start or plan pose: x, y, z, q_x, q_y, q_z, q_w. */
  private final double[] pose = new double[PoseMap.POSE_LENGTH];

  /** For the pose model in force, synchronised with its goal orientation; null otherwise. */
  private PoseMap poseMap;

  /** The state dimension of the model in force. */
  private int d;

  private ServedMotion at;
  private Rollout rollout;
  private double[] times = new double[0];
  private double[] out = new double[0];
  private double[] vel = new double[0];
  private int n;

  PlanPublisher(NodeContext ctx) {
    this.ctx = ctx;
    this.map = new JointMap(ctx.jointNames);
    pathMsg.header.frameId(ctx.frame);
    trajMsg.header.frameId(ctx.frame);
    trajMsg.jointNames(ctx.jointNames);
  }

  /**
   * Evaluator (and pose map) for the served model, goal, goal orientation and time scale; rebuilt
   * only when the model changes. Call before reading a start: a pose start is expressed relative to
   * the goal orientation of {@code s}.
   */
  private void sync(ServedMotion s) {
    if (s == at) {
      return;
    }
    if (at == null || s.model != at.model) {
      // max_points and precision are fixed; the model was checked for the precision when served
      rollout = new Rollout(s.model, ctx.config.maxPoints(), ctx.config.precision());
      poseMap = s.pose ? new PoseMap(s.model) : null;
      if (s.d != d) {
        d = s.d;
        y0 = new double[d];
        arrivalScratch = new org.diffeomotion.model.Arrival.Scratch(d);
        times = new double[0]; // regrown for this dimension by planTimes
      }
    }
    if (poseMap != null) {
      poseMap.setGoalOrientation(s.goalOrientation, 0); // checked when it was set
    }
    rollout.setGoal(s.goal);
    rollout.setTimeScale(s.tau);
    at = s;
  }

  /**
   * The plan's times for the start in y0: over ~horizon, or (0, the default) until the rollout from
   * this start has arrived at the goal within the goal tolerances ({@link #planHorizon}). Arrays
   * grow to the largest plan and are reused.
   */
  private void planTimes() {
    double h = planHorizon(at.config, at, rollout, y0, arrivalScratch);
    int points = pointsFor(h, at.config.horizon() <= 0);
    if (times.length < points) {
      times = new double[points];
      out = new double[points * d];
      vel = new double[points * d];
    }
    n = points;
    if (at.config.dt() > 0) {
      TimeGrids.fillUniformStep(times, n, at.config.dt());
    } else {
      TimeGrids.fillUniformCount(times, n, h);
    }
  }

  /**
   * Says (throttled WARN) when the plan just computed ends before the goal: distance and speed at
   * its last time against the tolerances, and what to change.
   */
  private void checkArrival() {
    ServedMotion s = at;
    double tEnd = times[n - 1];
    if (at.config.arrival().arrivedAt(rollout, y0, s.goal, s.sigma, s.tau, tEnd, arrivalScratch)) {
      ctx.plansArrived.incrementAndGet();
      return;
    }
    ctx.plansNotArrived.incrementAndGet();
    if (ctx.errors.ready(ErrorKind.PLAN_ARRIVAL)) {
      String far;
      String moving;
      if (s.pose) {
        // m and rad apart: the position's distance and speed, the orientation's angle and rate.
        double[] y = arrivalScratch.state();
        double[] v = arrivalScratch.velocity();
        double dp = 0, dr = 0, vp = 0, vr = 0;
        int[] rot = s.model.rotationDims();
        for (int k = 0; k < 3; k++) {
          int i = s.positionDims[k];
          dp += (y[i] - s.goal[i]) * (y[i] - s.goal[i]);
          vp += v[i] * v[i];
          dr += y[rot[k]] * y[rot[k]];
          vr += v[rot[k]] * v[rot[k]];
        }
        far =
            String.format(
                java.util.Locale.ROOT, "%.4g m and %.4g rad", Math.sqrt(dp), Math.sqrt(dr));
        moving =
            String.format(
                java.util.Locale.ROOT, "%.4g m/s and %.4g rad/s", Math.sqrt(vp), Math.sqrt(vr));
      } else {
        String unit = s.model.dimensionUnits().get(0);
        far =
            String.format(
                java.util.Locale.ROOT,
                "%.4g %s",
                org.diffeomotion.model.Arrival.norm(arrivalScratch.state(), 0, s.goal, d),
                unit);
        moving =
            String.format(
                java.util.Locale.ROOT,
                "%.4g %s/s",
                org.diffeomotion.model.Arrival.norm(arrivalScratch.velocity(), 0, null, d),
                unit);
      }
      ctx.warn(
          String.format(
              java.util.Locale.ROOT,
              "~plan from %s ends at t = %.4g s %s from the goal, "
                  + "moving at %s (tolerance %g sigma, %g sigma/tau): %s%s",
              Arrays.toString(y0),
              tEnd,
              far,
              moving,
              at.config.goalTolerance(),
              at.config.goalSpeedTolerance(),
              at.config.horizon() > 0
                  ? "~horizon is too short (0 = until arrival)"
                  : (at.config.dt() > 0 && n == ctx.config.maxPoints()
                      ? "~max_points cuts it short"
                      : "it does not arrive within the workspace's longest duration"),
              ctx.errors.suppressedSuffix(ErrorKind.PLAN_ARRIVAL)));
    }
  }

  void onPose(PoseStamped m) {
    ServedMotion s = ctx.served.get();
    sync(s);
    Pose p = m.pose;
    InputStatus st;
    if (s.pose) {
      st = ctx.pose(s, poseMap, m.header, p, pose, y0);
    } else {
      st = ctx.cartesian(s, m.header, p.position.x, p.position.y, p.position.z, y0);
      if (st == InputStatus.OK && !finite(p)) {
        st = InputStatus.NON_FINITE;
      }
    }
    if (st != InputStatus.OK) {
      rejectStart(s, m.header, st, p);
      return;
    }
    double qx = p.orientation.x;
    double qy = p.orientation.y;
    double qz = p.orientation.z;
    double qw = p.orientation.w;
    if (qx == 0 && qy == 0 && qz == 0 && qw == 0) {
      qw = 1; // rostopic's default message: an all-zero quaternion means "no orientation"
    }
    planCartesian(s, m.header, p.position.z, qx, qy, qz, qw);
  }

  void onPoint(PointStamped m) {
    ServedMotion s = ctx.served.get();
    sync(s);
    // A pose model never meets a point input: refused at start and on reload (no orientation).
    InputStatus st = ctx.cartesian(s, m.header, m.point.x, m.point.y, m.point.z, y0);
    if (st != InputStatus.OK) {
      rejectStart(s, m.header, st, null);
      return;
    }
    planCartesian(s, m.header, m.point.z, 0, 0, 0, 1);
  }

  private void planCartesian(
      ServedMotion s, Header in, double z0, double qx, double qy, double qz, double qw) {
    int st = fillPath(in, z0, qx, qy, qz, qw, s, pathMsg);
    if (st != Status.OK) {
      rejectEval(st);
      return;
    }
    path.publish(pathMsg);
    if (poseArray != null) {
      publishPoses();
    }
    ctx.plansPublished.incrementAndGet();
  }

  /** The plan just published as a PoseArray (same header and poses), for rviz. */
  private void publishPoses() {
    PoseArray a = poseArrayMsg;
    a.header.seq = pathMsg.header.seq;
    a.header.frameId(ctx.frame);
    a.header.stampNanos(pathMsg.header.stampNanos());
    a.resize(pathMsg.size());
    for (int j = 0; j < a.size(); j++) {
      Pose from = pathMsg.pose(j).pose;
      Pose to = a.pose(j);
      to.position.set(from.position.x, from.position.y, from.position.z);
      to.orientation.set(
          from.orientation.x, from.orientation.y, from.orientation.z, from.orientation.w);
    }
    poseArray.publish(a);
  }

  /**
   * The closed-form plan from the start in y0 under {@code s} (its goal and time scale) into {@code
   * msg}: poses at the start's stamp + t_j in the node's frame. A position-only model copies the
   * start's orientation (q) to every pose, a 2-D one keeps the start's z; a pose model's poses are
   * the rolled-out states' positions and orientations ({@code PoseMap.toPose}, q ignored). Returns
   * a {@link Status} code.
   */
  private int fillPath(
      Header in,
      double z0,
      double qx,
      double qy,
      double qz,
      double qw,
      ServedMotion s,
      org.diffeomotion.ros1.msg.Path msg) {
    sync(s);
    planTimes();
    int st = rollout.tryRollout(y0, times, n, out, null);
    if (st != Status.OK) {
      return st;
    }
    checkArrival();
    long stamp = ctx.stampOf(in);
    msg.header.seq = in.seq;
    msg.header.frameId(ctx.frame);
    msg.header.stampNanos(stamp);
    msg.resize(n);
    for (int j = 0; j < n; j++) {
      PoseStamped ps = msg.pose(j);
      ps.header.seq = j;
      ps.header.frameId(ctx.frame);
      ps.header.stampNanos(stamp + (long) (times[j] * 1e9));
      if (poseMap != null) {
        poseMap.toPose(out, j * d, pose, 0);
        ps.pose.position.set(pose[0], pose[1], pose[2]);
        ps.pose.orientation.set(pose[3], pose[4], pose[5], pose[6]);
      } else {
        ps.pose.position.set(out[j * d], out[j * d + 1], d == 3 ? out[j * d + 2] : z0);
        ps.pose.orientation.set(qx, qy, qz, qw);
      }
    }
    return Status.OK;
  }

  /**
   * {@code ~get_plan} (nav_msgs/GetPlan): the plan from {@code req.start} to {@code req.goal}, the
   * goal moving the attractor for this call only; the same closed-form rollout, times and stamp
   * rule as {@code ~start} → {@code ~plan}. Runs on the service's threads, on its own instance
   * (synchronized: each persistent client connection has a thread).
   *
   * @throws IllegalArgumentException naming the field and the problem (the service answers a
   *     failure with it): another frame, NaN, outside the workspace, a negative tolerance
   */
  synchronized void servePlan(GetPlan.Request req, GetPlan.Response res) {
    if (!(req.tolerance >= 0) || Float.isInfinite(req.tolerance)) {
      throw new IllegalArgumentException(
          "tolerance = "
              + req.tolerance
              + ", must be finite and >= 0 [m] (the plan ends at the"
              + " goal itself)");
    }
    ServedMotion served = ctx.served.get();
    Pose p = req.start.pose;
    Pose gp = req.goal.pose;
    double[] goal = new double[served.d];
    if (served.pose) {
      // The goal pose first: the start is expressed relative to its orientation.
      double[] q = new double[4];
      InputStatus gst = ctx.goalPose(served, req.goal.header, gp, goal, q);
      if (gst != InputStatus.OK) {
        throw new IllegalArgumentException(
            "goal: " + ctx.inputProblem(served, req.goal.header, gst, goal, gp));
      }
      ServedMotion s = served.withGoalInForce(goal, q);
      sync(s);
      InputStatus st = ctx.pose(s, poseMap, req.start.header, p, pose, y0);
      if (st != InputStatus.OK) {
        throw new IllegalArgumentException(
            "start: " + ctx.inputProblem(s, req.start.header, st, y0, p));
      }
      plan(req, res, 0, 0, 0, 1, s);
      return;
    }
    InputStatus gst =
        ctx.cartesian(served, req.goal.header, gp.position.x, gp.position.y, gp.position.z, goal);
    if (gst != InputStatus.OK) {
      throw new IllegalArgumentException(
          "goal: " + ctx.inputProblem(served, req.goal.header, gst, goal, gp));
    }
    ServedMotion s = served.withGoalInForce(goal, null);
    sync(s);
    InputStatus st =
        ctx.cartesian(s, req.start.header, p.position.x, p.position.y, p.position.z, y0);
    if (st == InputStatus.OK && !finite(p)) {
      st = InputStatus.NON_FINITE;
    }
    if (st != InputStatus.OK) {
      throw new IllegalArgumentException(
          "start: " + ctx.inputProblem(s, req.start.header, st, y0, p));
    }
    double qx = p.orientation.x;
    double qy = p.orientation.y;
    double qz = p.orientation.z;
    double qw = p.orientation.w;
    if (qx == 0 && qy == 0 && qz == 0 && qw == 0) {
      qw = 1;
    }
    plan(req, res, qx, qy, qz, qw, s);
  }

  private void plan(
      GetPlan.Request req,
      GetPlan.Response res,
      double qx,
      double qy,
      double qz,
      double qw,
      ServedMotion s) {
    int ev = fillPath(req.start.header, req.start.pose.position.z, qx, qy, qz, qw, s, res.plan);
    if (ev != Status.OK) {
      throw new IllegalArgumentException(
          "the rollout failed (" + Status.describe(ev) + ") from " + Arrays.toString(y0));
    }
    ctx.plansPublished.incrementAndGet();
  }

  private static boolean finite(Pose p) {
    return Double.isFinite(p.orientation.x)
        && Double.isFinite(p.orientation.y)
        && Double.isFinite(p.orientation.z)
        && Double.isFinite(p.orientation.w);
  }

  void onJoints(JointState m) {
    sync(ctx.served.get()); // sizes y0 (a joint model's dimension is fixed)
    InputStatus st = map.read(m, y0);
    if (st == InputStatus.OK) {
      st = ctx.inside(y0);
    }
    if (st != InputStatus.OK) {
      if (ctx.errors.ready(ErrorKind.START_INPUT)) {
        ctx.error(
            "~start: "
                + (st == InputStatus.OUTSIDE
                    ? ctx.inputProblem(m.header, st, y0)
                    : map.problem(m, st))
                + "; no plan"
                + ctx.errors.suppressedSuffix(ErrorKind.START_INPUT));
      }
      ctx.rejected.incrementAndGet();
      return;
    }
    int evaluated = fillTrajectory(m.header, ctx.served.get(), trajMsg);
    if (evaluated != Status.OK) {
      rejectEval(evaluated);
      return;
    }
    trajectory.publish(trajMsg);
    ctx.plansPublished.incrementAndGet();
  }

  /**
   * The closed-form joint plan from the start in y0 under {@code s} into {@code msg}: positions and
   * velocities at time_from_start t_j, stamped by the start's stamp rule. Returns a {@link Status}
   * code.
   */
  private int fillTrajectory(Header in, ServedMotion s, JointTrajectory msg) {
    sync(s);
    planTimes();
    int evaluated = rollout.tryRollout(y0, times, n, out, vel);
    if (evaluated != Status.OK) {
      return evaluated;
    }
    checkArrival();
    msg.header.seq = in.seq;
    msg.header.stampNanos(ctx.stampOf(in));
    msg.resize(n);
    for (int j = 0; j < n; j++) {
      JointTrajectoryPoint p = msg.point(j);
      if (p.positions.length != d) {
        p.positions = new double[d];
        p.velocities = new double[d];
      }
      System.arraycopy(out, j * d, p.positions, 0, d);
      System.arraycopy(vel, j * d, p.velocities, 0, d);
      p.timeFromStartNanos((long) (times[j] * 1e9));
    }
    return Status.OK;
  }

  /**
   * {@code ~get_joint_plan} (diffeo_motion/GetJointPlan): the joint plan from {@code req.start} to
   * {@code req.goal} (no goal positions: the goal in force), the goal moving the attractor for this
   * call only; the same rollout, times and stamp rule as {@code ~start} → {@code ~plan}. Runs on
   * the service's threads (synchronized, like {@link #servePlan}).
   *
   * @throws IllegalArgumentException naming the field and the problem (the service answers a
   *     failure with it): a missing joint, a count that does not match, NaN, outside the workspace
   */
  synchronized void serveJointPlan(GetJointPlan.Request req, GetJointPlan.Response res) {
    ServedMotion s = ctx.served.get();
    if (req.goal.position.length > 0 || req.goal.nameCount() > 0) {
      double[] goal = new double[ctx.d];
      JointMap goals = new JointMap(ctx.jointNames);
      InputStatus gst = goals.read(req.goal, goal);
      if (gst == InputStatus.OK) {
        gst = ctx.inside(goal);
      }
      if (gst != InputStatus.OK) {
        throw new IllegalArgumentException("goal: " + jointProblem(goals, req.goal, gst, goal));
      }
      s = s.withGoalInForce(goal, null);
    }
    sync(s);
    InputStatus st = map.read(req.start, y0);
    if (st == InputStatus.OK) {
      st = ctx.inside(y0);
    }
    if (st != InputStatus.OK) {
      throw new IllegalArgumentException("start: " + jointProblem(map, req.start, st, y0));
    }
    res.plan.header.frameId(ctx.frame);
    res.plan.jointNames(ctx.jointNames);
    int ev = fillTrajectory(req.start.header, s, res.plan);
    if (ev != Status.OK) {
      throw new IllegalArgumentException(
          "the rollout failed (" + Status.describe(ev) + ") from " + Arrays.toString(y0));
    }
    ctx.plansPublished.incrementAndGet();
  }

  private String jointProblem(JointMap m, JointState js, InputStatus st, double[] y) {
    return st == InputStatus.OUTSIDE ? ctx.inputProblem(js.header, st, y) : m.problem(js, st);
  }

  private void rejectStart(ServedMotion s, Header h, InputStatus st, Pose p) {
    ctx.refuseCartesian(
        "~start",
        "no plan",
        ErrorKind.START_FRAME,
        ErrorKind.START_ORIENTATION,
        ErrorKind.START_INPUT,
        s,
        h,
        st,
        y0,
        p);
  }

  private void rejectEval(int st) {
    ctx.rejected.incrementAndGet();
    if (ctx.errors.ready(ErrorKind.START_EVAL)) {
      ctx.error(
          "~start: the rollout failed ("
              + Status.describe(st)
              + ") from "
              + Arrays.toString(y0)
              + "; no plan"
              + ctx.errors.suppressedSuffix(ErrorKind.START_EVAL));
    }
  }

  /**
   * A plan's duration [s]: ~horizon, or (0) the time the rollout from {@code y0} takes to arrive
   * within the goal tolerances ({@link org.diffeomotion.model.Arrival#arrivalTime}, searched from τ
   * up to the workspace's longest duration, which it is when the plan does not arrive). {@code r}
   * must be set to the served goal and time scale.
   */
  static double planHorizon(
      MotionNodeConfig config,
      ServedMotion s,
      Rollout r,
      double[] y0,
      org.diffeomotion.model.Arrival.Scratch scratch) {
    if (config.horizon() > 0) {
      return config.horizon();
    }
    double max = s.bounds.maxDuration(s.tau);
    double t = config.arrival().arrivalTime(r, y0, s.goal, s.sigma, s.tau, s.tau, max, scratch);
    return t > 0 ? t : max;
  }

  /**
   * @param untilArrival the horizon is the arrival time: the last point reaches it (the CLI's
   *     rule), where a configured horizon is not exceeded.
   */
  private int pointsFor(double horizon, boolean untilArrival) {
    if (at.config.dt() <= 0) {
      return at.config.points();
    }
    long n =
        untilArrival
            ? TimeGrids.reachingStepCount(horizon, at.config.dt())
            : TimeGrids.uniformStepCount(horizon, at.config.dt());
    return (int) Math.max(2, Math.min(n, ctx.config.maxPoints()));
  }
}
