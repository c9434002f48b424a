package org.diffeomotion.rosnode;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * The motion node's private parameters ({@code ~name} on the parameter server), with defaults and
 * validation. Built once at start; every error names the parameter and the value.
 *
 * <p>Plan timing: the plan covers {@code [0, horizon]}; {@code horizon} 0 means, per start, the
 * time the plan takes to arrive within {@code goal_tolerance} sigma of the goal, moving slower than
 * {@code goal_speed_tolerance} sigma/tau ({@link org.diffeomotion.model.Arrival}). With {@code dt}
 * &gt; 0 the points are {@code dt} apart ({@code floor(horizon / dt) + 1} points, at most {@code
 * max_points}); otherwise there are {@code points} points spread evenly, both ends included.
 */
public final class MotionNodeConfig {

  /** Parameter names, without the leading {@code ~}. */
  public static final List<String> PARAMS =
      List.of(
          "model",
          "frame_id",
          "input_type",
          "points",
          "dt",
          "horizon",
          "max_points",
          "time_scale",
          "velocity_limit",
          "grpc_port",
          "error_log_period",
          "workspace_sigmas",
          "goal_tolerance",
          "goal_speed_tolerance",
          "goal_offset_x",
          "goal_offset_y",
          "goal_offset_z",
          "precision",
          "warmup");

  /**
   * Cartesian inputs as {@code geometry_msgs/PoseStamped} or {@code geometry_msgs/PointStamped}.
   */
  public enum InputType {
    POSE,
    POINT
  }

  /** Model file (required). */
  private final Path model;

  /** Frame of plans, commands and accepted inputs; "" = the model's frame id. */
  private final String frameId;

  private final InputType inputType;

  /** Plan points when dt is 0, &gt;= 2. */
  private final int points;

  /** Plan point spacing [s]; 0 = use points. */
  private final double dt;

  /** Plan duration [s]; 0 = per start, until the plan has arrived at the goal (goal tolerances). */
  private final double horizon;

  /** Most points of one plan. */
  private final int maxPoints;

  /** Time scale tau [s]; 0 = the model's. */
  private final double timeScale;

  /** Largest norm of a commanded velocity [state units/s]; 0 = no limit. */
  private final double velocityLimit;

  /** gRPC port on 127.0.0.1; 0 = no gRPC server. */
  private final int grpcPort;

  /** Shortest time between two error logs of one kind [s]. */
  private final double errorLogPeriod;

  /** Accepted starts, states and goals: within this many sigma of the model's goal [sigma]. */
  private final double workspaceSigmas;

  /** A plan has arrived when within this of the goal [sigma] ... */
  private final double goalTolerance;

  /** ... and slower than this [sigma/tau]. */
  private final double goalSpeedTolerance;

  private final double[] goalOffset;

  /**
   * Precision of the coupling networks in the node's evaluators (topics, ~get_plan and the embedded
   * gRPC server); fixed for the node's life.
   */
  private final org.diffeomotion.model.Precision precision;

  /**
   * JIT warm-up budget after a model is served, at start and on reload [s]; 0 = off. See {@link
   * #warmup()}.
   */
  private final double warmup;

  /** Suffixes of the ~goal_offset_* parameters, one per offset dimension. */
  private static final String[] OFFSET_AXES = {"x", "y", "z"};

  /** Built once from the three above: every plan uses them, and they allocate when built. */
  private final org.diffeomotion.model.Workspace workspace;

  private final org.diffeomotion.model.Arrival arrival;

  private MotionNodeConfig(Builder b) {
    this.model = b.model;
    this.frameId = b.frameId;
    this.inputType = b.inputType;
    this.points = b.points;
    this.dt = b.dt;
    this.horizon = b.horizon;
    this.maxPoints = b.maxPoints;
    this.timeScale = b.timeScale;
    this.velocityLimit = b.velocityLimit;
    this.grpcPort = b.grpcPort;
    this.errorLogPeriod = b.errorLogPeriod;
    this.workspaceSigmas = b.workspaceSigmas;
    this.goalTolerance = b.goalTolerance;
    this.goalSpeedTolerance = b.goalSpeedTolerance;
    this.goalOffset = b.goalOffset.clone();
    this.precision = b.precision;
    this.warmup = b.warmup;
    this.workspace = org.diffeomotion.model.Workspace.defaults().withSigmas(workspaceSigmas);
    this.arrival =
        org.diffeomotion.model.Arrival.defaults()
            .withDistance(goalTolerance)
            .withSpeed(goalSpeedTolerance);
  }

  /**
   * Reads the parameters through {@code param} (key without {@code ~} → value or null when unset),
   * e.g. {@code key -> node.params().get("~" + key, null)}.
   *
   * @throws IllegalArgumentException naming the parameter and its value
   */
  public static MotionNodeConfig fromParams(Function<String, Object> param) {
    Builder b = builder();
    Object model = param.apply("model");
    if (model == null || model.toString().isBlank()) {
      throw new IllegalArgumentException(
          "~model is not set: give the model file, e.g. _model:=/path/model.dmm "
              + "or roslaunch diffeo_motion motion_generator.launch model:=/path/model.dmm");
    }
    b.model(Path.of(string("model", model)));
    Object v;
    if ((v = param.apply("frame_id")) != null) {
      b.frameId(string("frame_id", v));
    }
    if ((v = param.apply("input_type")) != null) {
      String s = string("input_type", v).strip().toLowerCase(java.util.Locale.ROOT);
      switch (s) {
        case "pose" -> b.inputType(InputType.POSE);
        case "point" -> b.inputType(InputType.POINT);
        default ->
            throw new IllegalArgumentException(
                "~input_type must be 'pose' or 'point', got '" + v + "'");
      }
    }
    if ((v = param.apply("points")) != null) {
      b.points(integer("points", v));
    }
    if ((v = param.apply("dt")) != null) {
      b.dt(number("dt", v));
    }
    if ((v = param.apply("horizon")) != null) {
      b.horizon(number("horizon", v));
    }
    if ((v = param.apply("max_points")) != null) {
      b.maxPoints(integer("max_points", v));
    }
    if ((v = param.apply("time_scale")) != null) {
      b.timeScale(number("time_scale", v));
    }
    if ((v = param.apply("velocity_limit")) != null) {
      b.velocityLimit(number("velocity_limit", v));
    }
    if ((v = param.apply("grpc_port")) != null) {
      b.grpcPort(integer("grpc_port", v));
    }
    if ((v = param.apply("error_log_period")) != null) {
      b.errorLogPeriod(number("error_log_period", v));
    }
    if ((v = param.apply("workspace_sigmas")) != null) {
      b.workspaceSigmas(number("workspace_sigmas", v));
    }
    if ((v = param.apply("goal_tolerance")) != null) {
      b.goalTolerance(number("goal_tolerance", v));
    }
    if ((v = param.apply("goal_speed_tolerance")) != null) {
      b.goalSpeedTolerance(number("goal_speed_tolerance", v));
    }
    double[] off = new double[3];
    for (int i = 0; i < 3; i++) {
      if ((v = param.apply("goal_offset_" + OFFSET_AXES[i])) != null) {
        off[i] = number("goal_offset_" + OFFSET_AXES[i], v);
      }
    }
    b.goalOffset(off[0], off[1], off[2]);
    if ((v = param.apply("precision")) != null) {
      String s = string("precision", v);
      try {
        b.precision(org.diffeomotion.model.Precision.named(s));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "~precision must be 'double' or 'float', got '" + v + "'", e);
      }
    }
    if ((v = param.apply("warmup")) != null) {
      b.warmup(number("warmup", v));
    }
    return b.build();
  }

  private static String string(String key, Object v) {
    if (v instanceof String s) {
      return s;
    }
    if (v instanceof Number || v instanceof Boolean) {
      return v.toString();
    }
    throw new IllegalArgumentException(
        "~" + key + " must be a string, got " + v.getClass().getSimpleName() + " " + v);
  }

  private static int integer(String key, Object v) {
    if (v instanceof Integer i) {
      return i;
    }
    if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < Integer.MAX_VALUE) {
      return (int) (double) d;
    }
    if (v instanceof String s) {
      try {
        return Integer.parseInt(s.strip());
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw new IllegalArgumentException("~" + key + " must be an integer, got '" + v + "'");
  }

  private static double number(String key, Object v) {
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (v instanceof String s) {
      try {
        return Double.parseDouble(s.strip());
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw new IllegalArgumentException("~" + key + " must be a number, got '" + v + "'");
  }

  public static Builder builder() {
    return new Builder();
  }

  public Path model() {
    return model;
  }

  public String frameId() {
    return frameId;
  }

  public InputType inputType() {
    return inputType;
  }

  public int points() {
    return points;
  }

  /** [s] */
  public double dt() {
    return dt;
  }

  /** [s]; 0 = per start, the arrival time (within the goal tolerances) */
  public double horizon() {
    return horizon;
  }

  public int maxPoints() {
    return maxPoints;
  }

  /** [s]; 0 = the model's */
  public double timeScale() {
    return timeScale;
  }

  /** [state units/s]; 0 = none */
  public double velocityLimit() {
    return velocityLimit;
  }

  public int grpcPort() {
    return grpcPort;
  }

  /** [s] */
  public double errorLogPeriod() {
    return errorLogPeriod;
  }

  /** [sigma] */
  public double workspaceSigmas() {
    return workspaceSigmas;
  }

  /**
   * The inputs the node accepts (the model's goal +- workspaceSigmas sigma; durations up to 1000
   * tau).
   */
  public org.diffeomotion.model.Workspace workspace() {
    return workspace;
  }

  /** [sigma] */
  public double goalTolerance() {
    return goalTolerance;
  }

  /**
   * Added to the goal in force (the model's, or the last ~goal) [state units], one value per state
   * dimension for the first three (x, y, z of a Cartesian model); a copy.
   */
  public double[] goalOffset() {
    return goalOffset.clone();
  }

  /** [sigma/tau] */
  public double goalSpeedTolerance() {
    return goalSpeedTolerance;
  }

  /**
   * When a plan has arrived: within ~goal_tolerance sigma of the goal and slower than
   * ~goal_speed_tolerance sigma/tau.
   */
  public org.diffeomotion.model.Arrival arrival() {
    return arrival;
  }

  /** Precision of the coupling networks (default double); fixed for the node's life. */
  public org.diffeomotion.model.Precision precision() {
    return precision;
  }

  /**
   * How long [s] a background thread runs the served model's rollouts and velocity queries after it
   * is served (at start and after each reload), so that the JIT has compiled them before the first
   * plans and commands pay for it (default {@link #DEFAULT_WARMUP}; 0 = off). The node serves
   * meanwhile. See {@link org.diffeomotion.model.Warmup}.
   */
  public double warmup() {
    return warmup;
  }

  /**
   * The default {@code ~warmup} [s]: in a fresh JVM the float kernels reach their final compiled
   * form 2–4 s into a run of rollouts on this project's machine (model/README.md, "Cold start").
   */
  public static final double DEFAULT_WARMUP = 4.0;

  /** A copy with another model file (what {@code ~reload} uses when {@code ~model} changed). */
  public MotionNodeConfig withModel(Path file) {
    return toBuilder().model(file).build();
  }

  public Builder toBuilder() {
    return new Builder()
        .model(model)
        .frameId(frameId)
        .inputType(inputType)
        .points(points)
        .dt(dt)
        .horizon(horizon)
        .maxPoints(maxPoints)
        .timeScale(timeScale)
        .velocityLimit(velocityLimit)
        .grpcPort(grpcPort)
        .errorLogPeriod(errorLogPeriod)
        .workspaceSigmas(workspaceSigmas)
        .goalTolerance(goalTolerance)
        .goalSpeedTolerance(goalSpeedTolerance)
        .goalOffset(goalOffset[0], goalOffset[1], goalOffset[2])
        .precision(precision)
        .warmup(warmup);
  }

  @Override
  public String toString() {
    return "model="
        + model
        + " frame_id='"
        + frameId
        + "' input_type="
        + inputType.name().toLowerCase(java.util.Locale.ROOT)
        + " points="
        + points
        + " dt="
        + dt
        + " horizon="
        + horizon
        + " max_points="
        + maxPoints
        + " time_scale="
        + timeScale
        + " velocity_limit="
        + velocityLimit
        + " grpc_port="
        + grpcPort
        + " error_log_period="
        + errorLogPeriod
        + " workspace_sigmas="
        + workspaceSigmas
        + " goal_tolerance="
        + goalTolerance
        + " goal_speed_tolerance="
        + goalSpeedTolerance
        + " goal_offset="
        + java.util.Arrays.toString(goalOffset)
        + " precision="
        + precision.label()
        + " warmup="
        + warmup;
  }

  /** Mutable builder; {@link #build()} validates. */
  public static final class Builder {
    private Path model;
    private String frameId = "";
    private InputType inputType = InputType.POSE;
    private int points = 200;
    private double dt = 0;
    private double horizon = 0;
    private int maxPoints = 10_000;
    private double timeScale = 0;
    private double velocityLimit = 0;
    private int grpcPort = 0;
    private double errorLogPeriod = 1.0;
    private double workspaceSigmas = org.diffeomotion.model.Workspace.DEFAULT_SIGMAS;
    private double goalTolerance = org.diffeomotion.model.Arrival.DEFAULT_DISTANCE;
    private double goalSpeedTolerance = org.diffeomotion.model.Arrival.DEFAULT_SPEED;
    private double[] goalOffset = new double[3];
    private org.diffeomotion.model.Precision precision = org.diffeomotion.model.Precision.DOUBLE;
    private double warmup = DEFAULT_WARMUP;

    private Builder() {}

    public Builder model(Path v) {
      model = v;
      return this;
    }

    public Builder frameId(String v) {
      frameId = v;
      return this;
    }

    public Builder inputType(InputType v) {
      inputType = v;
      return this;
    }

    public Builder points(int v) {
      points = v;
      return this;
    }

    public Builder dt(double v) {
      dt = v;
      return this;
    }

    public Builder horizon(double v) {
      horizon = v;
      return this;
    }

    public Builder maxPoints(int v) {
      maxPoints = v;
      return this;
    }

    public Builder timeScale(double v) {
      timeScale = v;
      return this;
    }

    public Builder velocityLimit(double v) {
      velocityLimit = v;
      return this;
    }

    public Builder grpcPort(int v) {
      grpcPort = v;
      return this;
    }

    public Builder errorLogPeriod(double v) {
      errorLogPeriod = v;
      return this;
    }

    public Builder workspaceSigmas(double v) {
      workspaceSigmas = v;
      return this;
    }

    public Builder goalTolerance(double v) {
      goalTolerance = v;
      return this;
    }

    /** [state units] added to the goal of the first three dimensions; see {@link #goalOffset()}. */
    public Builder goalOffset(double x, double y, double z) {
      goalOffset = new double[] {x, y, z};
      return this;
    }

    public Builder goalSpeedTolerance(double v) {
      goalSpeedTolerance = v;
      return this;
    }

    /** Precision of the coupling networks; see {@link MotionNodeConfig#precision()}. */
    public Builder precision(org.diffeomotion.model.Precision v) {
      precision = v;
      return this;
    }

    /** [s]; see {@link MotionNodeConfig#warmup()}. */
    public Builder warmup(double v) {
      warmup = v;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the first bad parameter and its value
     */
    public MotionNodeConfig build() {
      if (model == null) {
        throw new IllegalArgumentException("~model is not set");
      }
      if (frameId == null || frameId.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException(
            "~frame_id must be a frame name without spaces, got '" + frameId + "'");
      }
      if (precision == null) {
        throw new IllegalArgumentException("~precision must be 'double' or 'float'");
      }
      if (inputType == null) {
        throw new IllegalArgumentException("~input_type must be 'pose' or 'point'");
      }
      if (maxPoints < 2 || maxPoints > 1_000_000) {
        throw new IllegalArgumentException("~max_points must be in 2..1000000, got " + maxPoints);
      }
      if (points < 2 || points > maxPoints) {
        throw new IllegalArgumentException(
            "~points must be in 2..~max_points (" + maxPoints + "), got " + points);
      }
      org.diffeomotion.model.Warmup.checkBudget("~warmup", warmup);
      finiteNonNegative("dt", dt);
      finiteNonNegative("horizon", horizon);
      finiteNonNegative("time_scale", timeScale);
      finiteNonNegative("velocity_limit", velocityLimit);
      if (dt > 0 && horizon > 0 && horizon / dt + 1 > maxPoints) {
        throw new IllegalArgumentException(
            "~horizon / ~dt = "
                + horizon
                + " / "
                + dt
                + " gives "
                + (long) (horizon / dt + 1)
                + " points, more than ~max_points = "
                + maxPoints);
      }
      if (grpcPort < 0 || grpcPort > 65535) {
        throw new IllegalArgumentException(
            "~grpc_port must be in 0..65535 (0 = no gRPC server), got " + grpcPort);
      }
      if (!(errorLogPeriod >= 0) || !Double.isFinite(errorLogPeriod)) {
        throw new IllegalArgumentException(
            "~error_log_period must be a finite number >= 0 [s], got " + errorLogPeriod);
      }
      if (!(workspaceSigmas > 0) || !Double.isFinite(workspaceSigmas)) {
        throw new IllegalArgumentException(
            "~workspace_sigmas must be a finite number > 0 [sigma], got " + workspaceSigmas);
      }
      if (!(goalTolerance > 0) || !Double.isFinite(goalTolerance)) {
        throw new IllegalArgumentException(
            "~goal_tolerance must be a finite number > 0 [sigma], got " + goalTolerance);
      }
      if (!(goalSpeedTolerance > 0) || !Double.isFinite(goalSpeedTolerance)) {
        throw new IllegalArgumentException(
            "~goal_speed_tolerance must be a finite number > 0 [sigma/tau], got "
                + goalSpeedTolerance);
      }
      for (int i = 0; i < 3; i++) {
        if (!Double.isFinite(goalOffset[i])) {
          throw new IllegalArgumentException(
              "~goal_offset_" + OFFSET_AXES[i] + " must be a finite number, got " + goalOffset[i]);
        }
      }
      return new MotionNodeConfig(this);
    }

    private static void finiteNonNegative(String key, double v) {
      if (!(v >= 0) || !Double.isFinite(v)) {
        throw new IllegalArgumentException("~" + key + " must be a finite number >= 0, got " + v);
      }
    }
  }
}
