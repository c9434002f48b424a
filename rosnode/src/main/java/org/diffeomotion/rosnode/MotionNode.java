package org.diffeomotion.rosnode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.diffeomotion.model.ModelArtifacts;
import org.diffeomotion.model.MotionModel;
import org.diffeomotion.model.Rollout;
import org.diffeomotion.model.TimeGrids;
import org.diffeomotion.model.Status;
import org.diffeomotion.model.VelocityField;
import org.diffeomotion.ros1.Publisher;
import org.diffeomotion.ros1.RosNode;
import org.diffeomotion.ros1.msg.Header;
import org.diffeomotion.ros1.msg.JointState;
import org.diffeomotion.ros1.msg.JointTrajectory;
import org.diffeomotion.ros1.msg.JointTrajectoryPoint;
import org.diffeomotion.ros1.msg.PointStamped;
import org.diffeomotion.ros1.msg.Pose;
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
 * <p>A start gives one closed-form plan; each state gives one velocity command (the state's
 * stamp, or the node's clock when the state has none, and seq; the node's frame), scaled down as a whole to {@code ~velocity_limit}. The state →
 * command path allocates nothing per message. Bad input (another frame, wrong dimension or joint
 * names, NaN, a model without state feedback) is dropped with a throttled error log: no exception
 * reaches the transport and nothing non-finite is published.
 *
 * <p>Threading: every subscription's listener runs serialized on its connection thread and owns
 * its evaluator ({@link Rollout}, {@link VelocityField}). The served model, goal and time scale
 * are one immutable {@link Served} in an {@link AtomicReference}; a listener that sees a new one
 * rebuilds or re-targets its evaluator before using it. A reload validates the new file first and
 * swaps only on success.
 */
public final class MotionNode implements AutoCloseable {

    /** Whether states are Cartesian positions (x, y[, z] in m) or joint positions. */
    public enum Space { CARTESIAN, JOINT }

    static final int QUEUE_PLAN = 4;
    static final int QUEUE_CMD = 100;

    // Throttled error kinds.
    private static final int START_FRAME = 0;
    private static final int START_INPUT = 1;
    private static final int START_EVAL = 2;
    private static final int STATE_FRAME = 3;
    private static final int STATE_INPUT = 4;
    private static final int STATE_EVAL = 5;
    private static final int STATE_NO_FEEDBACK = 6;
    private static final int GOAL_FRAME = 7;
    private static final int GOAL_INPUT = 8;
    private static final int PLAN_ARRIVAL = 9;
    private static final int KINDS = 10;

    // Input check results.
    private static final int IN_OK = 0;
    private static final int IN_FRAME = 1;
    private static final int IN_DIMENSION = 2;
    private static final int IN_NON_FINITE = 3;
    private static final int IN_OUTSIDE = 4;

    /** The model being served with the goal and time scale in force. Immutable. */
    static final class Served {
        final MotionModel model;
        final Path file;
        /** [state units] */
        final double[] goal;
        /** [s] */
        final double tau;
        /** The accepted inputs: around the model's own goal (the demonstrated region), not a moved one. */
        final org.diffeomotion.model.Workspace.Bounds bounds;
        /** The model's scale [state units]. */
        final double[] sigma;

        Served(MotionModel model, Path file, double[] goal, double tau, org.diffeomotion.model.Workspace.Bounds bounds) {
            this.model = model;
            this.file = file;
            this.goal = goal;
            this.tau = tau;
            this.bounds = bounds;
            this.sigma = model.scale();
        }
    }

    private final RosNode ros;
    private final MotionNodeConfig config;
    private final Space space;
    private final int d;
    private final String frame;
    private final String[] jointNames;
    private final AtomicReference<Served> served = new AtomicReference<>();
    private final ThrottledLog errors;
    private final Object reloadLock = new Object();
    private final List<AutoCloseable> open = new ArrayList<>();
    private final GrpcBridge grpc;
    private final Planner planner;
    private final Reactor reactor;

    private final AtomicLong plansPublished = new AtomicLong();
    /** Plans whose last point arrived within the goal tolerances, and those that did not. */
    private final AtomicLong arrived = new AtomicLong();
    private final AtomicLong notArrived = new AtomicLong();
    private final AtomicLong commandsPublished = new AtomicLong();
    /** Dropped inputs of all subscriptions (several threads). */
    private final AtomicLong rejected = new AtomicLong();
    private boolean started;

    /**
     * @param ros    a started or not yet started node; topics are private to it
     * @param config validated parameters
     * @param model  the model read from {@code config.model()}
     * @throws IllegalArgumentException if the model cannot be served with this configuration
     */
    public MotionNode(RosNode ros, MotionNodeConfig config, MotionModel model) {
        this.ros = ros;
        this.config = config;
        this.space = spaceOf(model);
        this.d = model.stateDim();
        this.jointNames = model.dimensionNames().toArray(new String[0]);
        this.frame = config.frameId().isEmpty() ? model.frameId() : config.frameId();
        if (space == Space.CARTESIAN && frame.isEmpty()) {
            throw new IllegalArgumentException("the model '" + model.name() + "' has no frame id: set ~frame_id");
        }
        this.errors = new ThrottledLog(KINDS, config.errorLogPeriod());
        this.served.set(serve(model, config.model()));
        this.grpc = new GrpcBridge(config.grpcPort(), config.workspace());
        this.planner = new Planner();
        this.reactor = new Reactor();
    }

    /**
     * Cartesian when the model has 2 or 3 dimensions none of which is in rad; joint-space
     * otherwise (joint models name their joints, units rad or m).
     */
    public static Space spaceOf(MotionModel model) {
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

    private Served serve(MotionModel model, Path file) {
        double tau = config.timeScale() > 0 ? config.timeScale() : model.timeScale();
        return new Served(model, file, model.goal(), tau, config.workspace().of(model));
    }

    /** Advertises the outputs, subscribes to the inputs, advertises {@code ~reload}. */
    public synchronized void start() throws IOException {
        if (started) {
            throw new IllegalStateException("motion node already started");
        }
        started = true;
        // First, so that a port in use fails the start before any topic is advertised.
        grpc.start(served.get().model, served.get().file, ros);
        if (space == Space.CARTESIAN) {
            planner.path = ros.advertise("~plan", org.diffeomotion.ros1.msg.Path.TYPE, true, QUEUE_PLAN);
            reactor.twist = ros.advertise("~cmd_vel", TwistStamped.TYPE, false, QUEUE_CMD);
            open.add(planner.path);
            open.add(reactor.twist);
            if (config.inputType() == MotionNodeConfig.InputType.POSE) {
                open.add(ros.subscribe("~start", PoseStamped.TYPE, planner::onPose));
                open.add(ros.subscribe("~state", PoseStamped.TYPE, reactor::onPose));
            } else {
                open.add(ros.subscribe("~start", PointStamped.TYPE, planner::onPoint));
                open.add(ros.subscribe("~state", PointStamped.TYPE, reactor::onPoint));
            }
            open.add(ros.subscribe("~goal", PointStamped.TYPE, this::onGoal));
        } else {
            planner.trajectory = ros.advertise("~plan", JointTrajectory.TYPE, true, QUEUE_PLAN);
            reactor.joints = ros.advertise("~cmd_vel", JointState.TYPE, false, QUEUE_CMD);
            open.add(planner.trajectory);
            open.add(reactor.joints);
            open.add(ros.subscribe("~start", JointState.TYPE, planner::onJoints));
            open.add(ros.subscribe("~state", JointState.TYPE, reactor::onJoints));
            open.add(ros.subscribe("~goal", JointState.TYPE, this::onGoalJoints));
        }
        open.add(ros.advertiseService("~reload", Trigger.TYPE, (req, res) -> {
            String msg = reload();
            res.success = msg.startsWith("loaded");
            res.message(msg);
        }));
        Served s = served.get();
        ros.log().info("serving model '" + s.model.name() + "' (" + describe(s.model) + ") from " + s.file + ": "
                + space.name().toLowerCase(java.util.Locale.ROOT) + " space, frame '" + frame + "', tau " + s.tau
                + " s, plan " + planSpec(s) + (s.model.supportsStateFeedback() ? ""
                : "; state feedback disabled: the model has " + s.model.augmentDim() + " augmented dimensions"));
    }

    private String planSpec(Served s) {
        String over = config.horizon() > 0 ? config.horizon() + " s"
                : "the time each plan takes to arrive (within " + config.goalTolerance() + " sigma and "
                + config.goalSpeedTolerance() + " sigma/tau of the goal)";
        return config.dt() > 0 ? "every " + config.dt() + " s over " + over : config.points() + " points over " + over;
    }

    private static String describe(MotionModel m) {
        return "d=" + m.stateDim() + " " + m.dimensionNames() + " in " + m.dimensionUnits() + ", a=" + m.augmentDim();
    }

    /** Closes the topics, the service and the gRPC server; the ROS node itself stays up. Idempotent. */
    @Override
    public synchronized void close() {
        grpc.close();
        for (AutoCloseable c : open) {
            try {
                c.close();
            } catch (Exception e) {
                ros.log().warn("closing " + c + ": " + e.getMessage());
            }
        }
        open.clear();
    }

    /** Stops the embedded gRPC server only (for a JVM shutdown hook). Idempotent. */
    void closeGrpc() {
        grpc.close();
    }

    public Space space() {
        return space;
    }

    /** The frame of plans and commands, and of accepted inputs. */
    public String frameId() {
        return frame;
    }

    /** The model being served. */
    public MotionModel model() {
        return served.get().model;
    }

    /** The goal in force [state units]; a copy. */
    public double[] goal() {
        return served.get().goal.clone();
    }

    /** The embedded gRPC server's port, 0 when there is none. */
    public int grpcPort() {
        return grpc.boundPort();
    }

    long plansPublished() {
        return plansPublished.get();
    }

    /** Plans that ended within the goal tolerances. */
    long plansArrived() {
        return arrived.get();
    }

    /** Plans that did not (each also logged, throttled, at WARN). */
    long plansNotArrived() {
        return notArrived.get();
    }

    long commandsPublished() {
        return commandsPublished.get();
    }

    long rejected() {
        return rejected.get();
    }

    // ------------------------------------------------------------------ reload

    /**
     * Reads {@code ~model} (or the current file) again, validates it and swaps it in; on any
     * failure the served model stays.
     *
     * @return "loaded ..." on success, else the reason
     */
    String reload() {
        synchronized (reloadLock) {
            Served old = served.get();
            Object p = ros.param("~model", old.file.toString());
            Path file = Path.of(p == null ? old.file.toString() : p.toString());
            MotionModel m;
            try {
                m = ModelArtifacts.read(file);
            } catch (IOException | RuntimeException e) {
                String msg = "reload of " + file + " failed, still serving '" + old.model.name() + "' from " + old.file
                        + ": " + e.getMessage();
                ros.log().error(msg);
                return msg;
            }
            String why = incompatibility(old.model, m);
            if (why != null) {
                String msg = "reload of " + file + " refused, still serving '" + old.model.name() + "' from " + old.file
                        + ": " + why + " (the topic types are fixed; restart the node for another kind of model)";
                ros.log().error(msg);
                return msg;
            }
            Served s = serve(m, file);
            served.set(s);
            grpc.update(m, file, ros);
            String msg = "loaded '" + m.name() + "' (" + describe(m) + ") from " + file + "; goal reset to the model's "
                    + Arrays.toString(s.goal);
            ros.log().info(msg);
            return msg;
        }
    }

    private String incompatibility(MotionModel old, MotionModel m) {
        if (m.stateDim() != old.stateDim()) {
            return "state dimension " + m.stateDim() + " differs from " + old.stateDim();
        }
        if (spaceOf(m) != space) {
            return "the new model is " + spaceOf(m) + " space, the node serves " + space;
        }
        if (space == Space.JOINT && !m.dimensionNames().equals(old.dimensionNames())) {
            return "joint names " + m.dimensionNames() + " differ from " + old.dimensionNames();
        }
        if (space == Space.CARTESIAN && config.frameId().isEmpty() && !m.frameId().equals(frame)) {
            return "frame '" + m.frameId() + "' differs from the node's frame '" + frame + "'";
        }
        return null;
    }

    // ------------------------------------------------------------------ goal

    private void onGoal(PointStamped g) {
        String f = g.header.frameId();
        if (!f.isEmpty() && !f.equals(frame)) {
            if (errors.ready(GOAL_FRAME)) {
                ros.log().error("~goal: frame '" + f + "' is not the node's frame '" + frame + "' (no TF lookup); goal ignored"
                        + errors.suppressedSuffix(GOAL_FRAME));
            }
            rejected.incrementAndGet();
            return;
        }
        double[] goal = {g.point.x, g.point.y, g.point.z};
        setGoal(Arrays.copyOf(goal, d), "~goal");
    }

    private void onGoalJoints(JointState g) {
        JointMap map = new JointMap(jointNames);
        double[] goal = new double[d];
        int st = map.read(g, goal);
        if (st != IN_OK) {
            if (errors.ready(GOAL_INPUT)) {
                ros.log().error("~goal: " + map.problem(g, st) + "; goal ignored" + errors.suppressedSuffix(GOAL_INPUT));
            }
            rejected.incrementAndGet();
            return;
        }
        setGoal(goal, "~goal");
    }

    private void setGoal(double[] goal, String from) {
        for (double v : goal) {
            if (!Double.isFinite(v)) {
                if (errors.ready(GOAL_INPUT)) {
                    ros.log().error(from + ": goal " + Arrays.toString(goal) + " is not finite; goal ignored"
                            + errors.suppressedSuffix(GOAL_INPUT));
                }
                rejected.incrementAndGet();
                return;
            }
        }
        synchronized (reloadLock) {
            Served s = served.get();
            int i = s.bounds.outside(goal);
            if (i >= 0) {
                rejected.incrementAndGet();
                if (errors.ready(GOAL_INPUT)) {
                    ros.log().error(from + ": " + s.bounds.describe("goal[" + i + "]", i, goal[i]) + "; the old goal "
                            + Arrays.toString(s.goal) + " is kept (~workspace_sigmas widens the workspace)"
                            + errors.suppressedSuffix(GOAL_INPUT));
                }
                return;
            }
            served.set(new Served(s.model, s.file, goal, s.tau, s.bounds));
        }
        ros.log().info("goal moved to " + Arrays.toString(goal));
    }

    // ------------------------------------------------------------------ plan

    /**
     * A plan's duration [s]: ~horizon, or (0) the time the rollout from {@code y0} takes to
     * arrive within the goal tolerances ({@link org.diffeomotion.model.Arrival#arrivalTime},
     * searched from τ up to the workspace's longest duration, which it is when the plan does
     * not arrive). {@code r} must be set to the served goal and time scale.
     */
    static double planHorizon(MotionNodeConfig config, Served s, Rollout r, double[] y0,
                              org.diffeomotion.model.Arrival.Scratch scratch) {
        if (config.horizon() > 0) {
            return config.horizon();
        }
        double max = s.bounds.maxDuration(s.tau);
        double t = config.arrival().arrivalTime(r, y0, s.goal, s.sigma, s.tau, s.tau, max, scratch);
        return t > 0 ? t : max;
    }

    private int pointsFor(double horizon) {
        if (config.dt() <= 0) {
            return config.points();
        }
        long n = TimeGrids.uniformStepCount(horizon, config.dt());
        return (int) Math.max(2, Math.min(n, config.maxPoints()));
    }

    /** The start → plan path; runs on the ~start subscription's thread. */
    final class Planner {
        Publisher<org.diffeomotion.ros1.msg.Path> path;
        Publisher<JointTrajectory> trajectory;
        private final org.diffeomotion.ros1.msg.Path pathMsg = new org.diffeomotion.ros1.msg.Path();
        private final JointTrajectory trajMsg = new JointTrajectory();
        private final JointMap map = new JointMap(jointNames);
        private final double[] y0 = new double[d];
        private final org.diffeomotion.model.Arrival.Scratch arrivalScratch = new org.diffeomotion.model.Arrival.Scratch(d);
        private Served at;
        private Rollout rollout;
        private double[] times = new double[0];
        private double[] out = new double[0];
        private double[] vel = new double[0];
        private int n;

        {
            pathMsg.header.frameId(frame);
            trajMsg.header.frameId(frame);
            trajMsg.jointNames(jointNames);
        }

        /** Evaluator for the served model, goal and time scale; rebuilt only when the model changes. */
        private void sync() {
            Served s = served.get();
            if (s == at) {
                return;
            }
            if (at == null || s.model != at.model) {
                rollout = new Rollout(s.model, config.maxPoints());
            }
            rollout.setGoal(s.goal);
            rollout.setTimeScale(s.tau);
            at = s;
        }

        /**
         * The plan's times for the start in y0: over ~horizon, or (0, the default) until the
         * rollout from this start has arrived at the goal within the goal tolerances
         * ({@link #planHorizon}). Arrays grow to the largest plan and are reused.
         */
        private void planTimes() {
            double h = planHorizon(config, at, rollout, y0, arrivalScratch);
            int points = pointsFor(h);
            if (times.length < points) {
                times = new double[points];
                out = new double[points * d];
                vel = new double[points * d];
            }
            n = points;
            if (config.dt() > 0) {
                TimeGrids.fillUniformStep(times, n, config.dt());
            } else {
                TimeGrids.fillUniformCount(times, n, h);
            }
        }

        /**
         * Says (throttled WARN) when the plan just computed ends before the goal: distance and
         * speed at its last time against the tolerances, and what to change.
         */
        private void checkArrival() {
            Served s = at;
            double tEnd = times[n - 1];
            if (config.arrival().arrivedAt(rollout, y0, s.goal, s.sigma, s.tau, tEnd, arrivalScratch)) {
                arrived.incrementAndGet();
                return;
            }
            notArrived.incrementAndGet();
            if (errors.ready(PLAN_ARRIVAL)) {
                double dist = org.diffeomotion.model.Arrival.norm(arrivalScratch.state(), 0, s.goal, d);
                double speed = org.diffeomotion.model.Arrival.norm(arrivalScratch.velocity(), 0, null, d);
                ros.log().warn(String.format(java.util.Locale.ROOT, "~plan from %s ends at t = %.4g s %.4g %s from the goal, "
                        + "moving at %.4g %s/s (tolerance %g sigma, %g sigma/tau): %s%s", Arrays.toString(y0), tEnd, dist,
                        s.model.dimensionUnits().get(0), speed, s.model.dimensionUnits().get(0), config.goalTolerance(),
                        config.goalSpeedTolerance(), config.horizon() > 0 ? "~horizon is too short (0 = until arrival)"
                                : (config.dt() > 0 && n == config.maxPoints() ? "~max_points cuts it short" :
                                "it does not arrive within the workspace's longest duration"),
                        errors.suppressedSuffix(PLAN_ARRIVAL)));
            }
        }

        void onPose(PoseStamped m) {
            int st = cartesian(m.header, m.pose.position.x, m.pose.position.y, m.pose.position.z, y0);
            Pose p = m.pose;
            if (st == IN_OK && !(Double.isFinite(p.orientation.x) && Double.isFinite(p.orientation.y)
                    && Double.isFinite(p.orientation.z) && Double.isFinite(p.orientation.w))) {
                st = IN_NON_FINITE;
            }
            if (st != IN_OK) {
                rejectStart(m.header, st);
                return;
            }
            double qx = p.orientation.x;
            double qy = p.orientation.y;
            double qz = p.orientation.z;
            double qw = p.orientation.w;
            if (qx == 0 && qy == 0 && qz == 0 && qw == 0) {
                qw = 1; // rostopic's default message: an all-zero quaternion means "no orientation"
            }
            planCartesian(m.header, m.pose.position.z, qx, qy, qz, qw);
        }

        void onPoint(PointStamped m) {
            int st = cartesian(m.header, m.point.x, m.point.y, m.point.z, y0);
            if (st != IN_OK) {
                rejectStart(m.header, st);
                return;
            }
            planCartesian(m.header, m.point.z, 0, 0, 0, 1);
        }

        private void planCartesian(Header in, double z0, double qx, double qy, double qz, double qw) {
            sync();
            planTimes();
            int st = rollout.tryRollout(y0, times, n, out, null);
            if (st != Status.OK) {
                rejectEval(st);
                return;
            }
            checkArrival();
            long stamp = stampOf(in);
            pathMsg.header.seq = in.seq;
            pathMsg.header.stampNanos(stamp);
            pathMsg.resize(n);
            for (int j = 0; j < n; j++) {
                PoseStamped ps = pathMsg.pose(j);
                ps.header.seq = j;
                ps.header.frameId(frame);
                ps.header.stampNanos(stamp + (long) (times[j] * 1e9));
                ps.pose.position.set(out[j * d], out[j * d + 1], d == 3 ? out[j * d + 2] : z0);
                ps.pose.orientation.set(qx, qy, qz, qw);
            }
            path.publish(pathMsg);
            plansPublished.incrementAndGet();
        }

        void onJoints(JointState m) {
            int st = map.read(m, y0);
            if (st == IN_OK && served.get().bounds.outside(y0) >= 0) {
                st = IN_OUTSIDE;
            }
            if (st != IN_OK) {
                if (errors.ready(START_INPUT)) {
                    ros.log().error("~start: " + (st == IN_OUTSIDE ? inputProblem(m.header, st, y0) : map.problem(m, st))
                            + "; no plan" + errors.suppressedSuffix(START_INPUT));
                }
                rejected.incrementAndGet();
                return;
            }
            sync();
            planTimes();
            st = rollout.tryRollout(y0, times, n, out, vel);
            if (st != Status.OK) {
                rejectEval(st);
                return;
            }
            checkArrival();
            trajMsg.header.seq = m.header.seq;
            trajMsg.header.stampNanos(stampOf(m.header));
            trajMsg.resize(n);
            for (int j = 0; j < n; j++) {
                JointTrajectoryPoint p = trajMsg.point(j);
                if (p.positions.length != d) {
                    p.positions = new double[d];
                    p.velocities = new double[d];
                }
                System.arraycopy(out, j * d, p.positions, 0, d);
                System.arraycopy(vel, j * d, p.velocities, 0, d);
                p.timeFromStartNanos((long) (times[j] * 1e9));
            }
            trajectory.publish(trajMsg);
            plansPublished.incrementAndGet();
        }

        private void rejectStart(Header h, int st) {
            rejected.incrementAndGet();
            int kind = st == IN_FRAME ? START_FRAME : START_INPUT;
            if (errors.ready(kind)) {
                ros.log().error("~start: " + inputProblem(h, st, y0) + "; no plan" + errors.suppressedSuffix(kind));
            }
        }

        private void rejectEval(int st) {
            rejected.incrementAndGet();
            if (errors.ready(START_EVAL)) {
                ros.log().error("~start: the rollout failed (" + Status.describe(st) + ") from " + Arrays.toString(y0)
                        + "; no plan" + errors.suppressedSuffix(START_EVAL));
            }
        }
    }

    /**
     * The one stamp rule for every output (plan, trajectory, command): the stamp of the input it
     * answers, or the node's clock at receipt when the input carries none (zero, as
     * {@code rostopic pub} without {@code -s} and unstamped drivers send). Allocation-free.
     */
    private long stampOf(Header h) {
        return h.secs == 0 && h.nsecs == 0 ? ros.clock().nowNanos() : h.stampNanos();
    }

    // ------------------------------------------------------------------ state -> cmd_vel

    /** The state → command path; runs on the ~state subscription's thread; allocates nothing. */
    final class Reactor {
        Publisher<TwistStamped> twist;
        Publisher<JointState> joints;
        private final TwistStamped twistMsg = new TwistStamped();
        private final JointState jointMsg = new JointState();
        private final JointMap map = new JointMap(jointNames);
        private final double[] y = new double[d];
        private final double[] v = new double[d];
        private final double limit = config.velocityLimit();
        private Served at;
        private VelocityField field;

        {
            twistMsg.header.frameId(frame);
            jointMsg.header.frameId(frame);
            jointMsg.names(jointNames);
            jointMsg.velocity = new double[d];
        }

        /** Velocity at y into v; false (logged) if it cannot be served. */
        private boolean evaluate() {
            Served s = served.get();
            if (s != at) {
                if (at == null || s.model != at.model) {
                    field = new VelocityField(s.model);
                }
                field.setGoal(s.goal);
                field.setTimeScale(s.tau);
                at = s;
            }
            if (!s.model.supportsStateFeedback()) {
                rejected.incrementAndGet();
                if (errors.ready(STATE_NO_FEEDBACK)) {
                    ros.log().error("~state: the model '" + s.model.name() + "' has " + s.model.augmentDim()
                            + " augmented dimensions and cannot serve state feedback (its field is only defined on "
                            + "the zero slice); use ~start -> ~plan" + errors.suppressedSuffix(STATE_NO_FEEDBACK));
                }
                return false;
            }
            int st = field.tryVelocity(y, v);
            if (st != Status.OK) {
                rejected.incrementAndGet();
                if (errors.ready(STATE_EVAL)) {
                    ros.log().error("~state: no velocity (" + Status.describe(st) + ") at " + Arrays.toString(y)
                            + errors.suppressedSuffix(STATE_EVAL));
                }
                return false;
            }
            if (limit > 0) {
                double sq = 0;
                for (int i = 0; i < d; i++) {
                    sq += v[i] * v[i];
                }
                if (sq > limit * limit) {
                    double f = limit / Math.sqrt(sq);
                    for (int i = 0; i < d; i++) {
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
            int st = cartesian(h, px, py, pz, y);
            if (st != IN_OK) {
                rejected.incrementAndGet();
                int kind = st == IN_FRAME ? STATE_FRAME : STATE_INPUT;
                if (errors.ready(kind)) {
                    ros.log().error("~state: " + inputProblem(h, st, y) + "; no command" + errors.suppressedSuffix(kind));
                }
                return;
            }
            if (!evaluate()) {
                return;
            }
            twistMsg.header.seq = h.seq;
            twistMsg.header.stampNanos(stampOf(h));
            twistMsg.twist.linear.set(v[0], v[1], d == 3 ? v[2] : 0);
            twist.publish(twistMsg);
            commandsPublished.incrementAndGet();
        }

        void onJoints(JointState m) {
            int st = map.read(m, y);
            if (st == IN_OK && served.get().bounds.outside(y) >= 0) {
                st = IN_OUTSIDE;
            }
            if (st != IN_OK) {
                rejected.incrementAndGet();
                if (errors.ready(STATE_INPUT)) {
                    ros.log().error("~state: " + (st == IN_OUTSIDE ? inputProblem(m.header, st, y) : map.problem(m, st))
                            + "; no command" + errors.suppressedSuffix(STATE_INPUT));
                }
                return;
            }
            if (!evaluate()) {
                return;
            }
            jointMsg.header.seq = m.header.seq;
            jointMsg.header.stampNanos(stampOf(m.header));
            System.arraycopy(v, 0, jointMsg.velocity, 0, d);
            joints.publish(jointMsg);
            commandsPublished.incrementAndGet();
        }
    }

    /** Checks frame and values of a Cartesian input and fills y (d values). */
    private int cartesian(Header h, double px, double py, double pz, double[] y) {
        String f = h.frameId();
        if (!f.isEmpty() && !f.equals(frame)) {
            return IN_FRAME;
        }
        if (!(Double.isFinite(px) && Double.isFinite(py) && Double.isFinite(pz))) {
            return IN_NON_FINITE;
        }
        y[0] = px;
        y[1] = py;
        if (d == 3) {
            y[2] = pz;
        }
        return served.get().bounds.outside(y) >= 0 ? IN_OUTSIDE : IN_OK;
    }

    private String inputProblem(Header h, int st, double[] y) {
        if (st == IN_OUTSIDE) {
            org.diffeomotion.model.Workspace.Bounds b = served.get().bounds;
            int i = Math.max(0, b.outside(y));
            return b.describe("position[" + i + "]", i, y[i]) + " (~workspace_sigmas widens it)";
        }
        if (st == IN_FRAME) {
            return "frame '" + h.frameId() + "' is not the node's frame '" + frame + "' (no TF lookup)";
        }
        if (st == IN_NON_FINITE) {
            return "the message has a NaN or infinite value";
        }
        return "wrong dimension";
    }

    /**
     * Joint positions by name: the model's joints in a JointState in any order (extra joints
     * ignored), or by position when the message has no names. The name → index map is kept and
     * rebuilt (without allocating, O(model joints × message joints)) only when the names change.
     */
    static final class JointMap {
        private final String[] model;
        private final int[] index;
        /** Names of the last message (the decoder reuses equal strings, so == usually decides). */
        private String[] seen = new String[8];
        private int seenCount = -1;
        private int missing = -1;

        JointMap(String[] modelNames) {
            this.model = modelNames;
            this.index = new int[modelNames.length];
        }

        /** Fills y with the model's joints from m; IN_OK or the problem. */
        int read(JointState m, double[] y) {
            int n = m.nameCount();
            int d = model.length;
            if (n == 0) {
                if (m.position.length != d) {
                    return IN_DIMENSION;
                }
                for (int i = 0; i < d; i++) {
                    index[i] = i;
                }
                seenCount = -1;
            } else {
                if (!sameNames(m)) {
                    remember(m);
                }
                if (missing >= 0 || m.position.length != n) {
                    return IN_DIMENSION;
                }
            }
            for (int i = 0; i < d; i++) {
                double q = m.position[index[i]];
                if (!Double.isFinite(q)) {
                    return IN_NON_FINITE;
                }
                y[i] = q;
            }
            return IN_OK;
        }

        private boolean sameNames(JointState m) {
            int n = m.nameCount();
            if (n != seenCount) {
                return false;
            }
            for (int i = 0; i < n; i++) {
                String s = m.name(i);
                if (s != seen[i] && !s.equals(seen[i])) {
                    return false;
                }
            }
            return true;
        }

        private void remember(JointState m) {
            int n = m.nameCount();
            if (seen.length < n) {
                seen = new String[Math.max(n, 2 * seen.length)];
            }
            for (int j = 0; j < n; j++) {
                seen[j] = m.name(j);
            }
            seenCount = n;
            missing = -1;
            for (int i = 0; i < model.length; i++) {
                index[i] = -1;
                for (int j = 0; j < n; j++) {
                    if (seen[j].equals(model[i])) {
                        index[i] = j;
                        break;
                    }
                }
                if (index[i] < 0 && missing < 0) {
                    missing = i;
                }
            }
        }

        String problem(JointState m, int st) {
            if (st == IN_NON_FINITE) {
                return "a joint position is NaN or infinite: " + Arrays.toString(m.position);
            }
            if (m.nameCount() == 0) {
                return "no joint names and " + m.position.length + " positions; the model has " + model.length
                        + " joints " + Arrays.toString(model);
            }
            if (missing >= 0) {
                return "joint '" + model[missing] + "' is missing from " + Arrays.toString(m.names());
            }
            return m.nameCount() + " joint names but " + m.position.length + " positions";
        }
    }
}
