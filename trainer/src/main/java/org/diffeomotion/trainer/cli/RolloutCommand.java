package org.diffeomotion.trainer.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.diffeomotion.model.IntegrationStats;
import org.diffeomotion.model.ModelArtifacts;
import org.diffeomotion.model.MotionModel;
import org.diffeomotion.model.PoseMap;
import org.diffeomotion.model.Rollout;
import org.diffeomotion.model.TimeGrids;
import org.diffeomotion.model.TrajectorySolver;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code diffeo rollout}: a trajectory from a start state, as CSV. */
@Command(
    name = "rollout",
    sortOptions = false,
    mixinStandardHelpOptions = true,
    description = {
      "Computes the model's motion from a start state and writes CSV: t[s], the state, and the "
          + "velocity (header names carry the units). closed_form is the model's rollout (no integration); "
          + "rk4 and dopri5 integrate the learned velocity field (to compare)."
    })
final class RolloutCommand implements Callable<Integer> {

  /** Largest number of output points. */
  static final int MAX_POINTS = 1_000_000;

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL", description = "Model file.")
  Path modelFile;

  @Option(
      names = "--start",
      paramLabel = "X,Y,..",
      converter = Numbers.Converter.class,
      description =
          "Start state, one value per dimension in the model's units, e.g. 0.2,0.3 (for a full-pose "
              + "model x,y,z,r_x,r_y,r_z with r relative to the model's goal orientation).")
  Numbers start;

  @Option(
      names = "--start-pose",
      paramLabel = "X,Y,Z,QX,QY,QZ,QW",
      converter = Numbers.Converter.class,
      description =
          "Full-pose models: the start pose, position [m] and orientation quaternion (normalised "
              + "when within 0.01 of unit norm), in the model's frame; instead of --start.")
  Numbers startPose;

  @Option(
      names = "--goal-pose",
      paramLabel = "X,Y,Z,QX,QY,QZ,QW",
      converter = Numbers.Converter.class,
      description =
          "Full-pose models: move the goal to this pose for this rollout (default: the model's).")
  Numbers goalPose;

  @Option(
      names = "--duration",
      paramLabel = "SECONDS",
      description =
          "Length of the motion [s] (default: until it arrives at the goal, within --goal-tolerance "
              + "sigma and 10 x that in sigma/tau of speed; at most 1000 tau).")
  Double duration;

  @ArgGroup(exclusive = true)
  Resolution resolution = new Resolution();

  static final class Resolution {
    @Option(
        names = "--count",
        paramLabel = "N",
        description =
            "Number of output points, uniform in time, "
                + "including t = 0 and t = duration (default: 101).")
    Integer count;

    @Option(
        names = "--dt",
        paramLabel = "SECONDS",
        description = "Output period [s] instead of --count.")
    Double dt;
  }

  @Option(
      names = "--method",
      paramLabel = "METHOD",
      defaultValue = "closed_form",
      description =
          "One of ${COMPLETION-CANDIDATES}. closed_form (default) is the model's own rollout; the "
              + "others integrate its velocity field (rk4 with one step per output interval).",
      completionCandidates = Methods.class)
  String method;

  @Option(
      names = "--precision",
      paramLabel = "PRECISION",
      defaultValue = "double",
      description =
          "double (default, the reference) or float: the model's networks in single precision, "
              + "~2x faster rollouts, positions within 1e-4 sigma of double, the goal still exact "
              + "(model/README.md, Precision).")
  String precision;

  @Option(
      names = "--goal",
      paramLabel = "X,Y,..",
      converter = Numbers.Converter.class,
      description =
          "Move the goal here (model units) for this rollout (default: the model's goal).")
  Numbers goal;

  @Option(
      names = "--time-scale",
      paramLabel = "SECONDS",
      description = "Use this time scale tau [s] instead of the model's (larger is slower).")
  Double timeScale;

  @Option(
      names = "--goal-tolerance",
      paramLabel = "SIGMAS",
      defaultValue = "1e-3",
      description =
          "Arrived: every dimension within this many of the model's sigma of the goal, and slower "
              + "than 10 x this in sigma/tau (default: ${DEFAULT-VALUE}). Sets the default --duration; the "
              + "summary says whether the end arrived.")
  double goalTolerance;

  @Option(
      names = "--workspace-sigmas",
      paramLabel = "K",
      defaultValue = "100",
      description =
          "Accept starts and goals within K x the model's scale sigma of its goal, per dimension, "
              + "and durations up to 1000 tau (default K: ${DEFAULT-VALUE}); outside: exit 2.")
  double workspaceSigmas;

  @Option(
      names = {"-o", "--out"},
      paramLabel = "FILE",
      description =
          "Write the CSV here, atomically (through a symbolic link to its target; "
              + "not a FIFO or device); '-' or none: standard output.")
  Path out;

  static final class Methods implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return TrajectorySolver.names().iterator();
    }
  }

  @Override
  public Integer call() throws Exception {
    if (!TrajectorySolver.names().contains(method)) {
      throw new ParameterException(
          spec.commandLine(),
          "--method: unknown method '" + method + "'; known: " + TrajectorySolver.names());
    }
    org.diffeomotion.model.Precision prec;
    try {
      prec = org.diffeomotion.model.Precision.named(precision);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--precision: " + e.getMessage());
    }
    if (duration != null && !(duration > 0 && Double.isFinite(duration))) {
      throw new ParameterException(
          spec.commandLine(), "--duration must be > 0 [s], got " + duration);
    }
    if (timeScale != null && !(timeScale > 0 && Double.isFinite(timeScale))) {
      throw new ParameterException(
          spec.commandLine(), "--time-scale must be > 0 [s], got " + timeScale);
    }
    if (out != null && out.toString().equals("-")) {
      out = null;
    }
    if (out != null) {
      try {
        org.diffeomotion.model.AtomicFiles.target(out);
      } catch (java.nio.file.FileSystemException e) {
        throw new ParameterException(spec.commandLine(), "--out " + e.getMessage());
      }
    }
    org.diffeomotion.model.Workspace ws;
    try {
      ws = org.diffeomotion.model.Workspace.defaults().withSigmas(workspaceSigmas);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--workspace-sigmas: " + e.getMessage());
    }
    if ((start == null) == (startPose == null)) {
      throw new ParameterException(
          spec.commandLine(),
          start == null
              ? "Missing required option: '--start' (or '--start-pose' for a full-pose model)"
              : "give either --start or --start-pose, not both");
    }
    MotionModel model = ModelArtifacts.read(modelFile);
    org.diffeomotion.model.Workspace.Bounds bounds = ws.of(model);
    int d = model.stateDim();
    PoseMap poses = model.isPose() ? new PoseMap(model) : null;
    if (!model.isPose() && (startPose != null || goalPose != null)) {
      throw new ParameterException(
          spec.commandLine(),
          (startPose != null ? "--start-pose" : "--goal-pose")
              + " is for full-pose models; "
              + modelFile
              + " is not one (its state: "
              + String.join(",", model.dimensionNames())
              + "): use --start and --goal");
    }
    if (model.isPose() && goal != null) {
      throw new ParameterException(
          spec.commandLine(),
          "--goal on a full-pose model: give the goal as --goal-pose x,y,z,qx,qy,qz,qw");
    }
    double[] startPose7 = null;
    if (startPose != null) {
      startPose7 = checkPose("--start-pose", startPose);
    } else if (poses != null) {
      // r relative to the model's goal orientation, whatever --goal-pose moves it to.
      startPose7 = new double[PoseMap.POSE_LENGTH];
      poses.toPose(checkVector("--start", start, d, model), 0, startPose7, 0);
    }
    double[] g = goal == null ? null : checkVector("--goal", goal, d, model);
    if (goalPose != null) {
      try {
        g = poses.setGoalPose(checkPose("--goal-pose", goalPose), 0);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--goal-pose: " + e.getMessage());
      }
    }
    double[] y0;
    if (poses != null) {
      y0 = new double[d];
      poses.toState(startPose7, 0, y0, 0);
    } else {
      y0 = checkVector("--start", start, d, model);
    }
    checkInside("--start", y0, bounds);
    if (g != null) {
      checkInside("--goal", g, bounds);
    }
    if (timeScale != null) {
      refuse(bounds.checkTimeScale("--time-scale", timeScale));
    }
    double tau = timeScale != null ? timeScale : model.timeScale();
    org.diffeomotion.model.Arrival arrival;
    try {
      arrival =
          org.diffeomotion.model.Arrival.defaults()
              .withDistance(goalTolerance)
              .withSpeed(10 * goalTolerance);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--goal-tolerance: " + e.getMessage());
    }
    double[] gl = g != null ? g : model.goal();
    Rollout probe = new Rollout(model, 1);
    probe.setGoal(gl);
    probe.setTimeScale(tau);
    org.diffeomotion.model.Arrival.Scratch scratch = new org.diffeomotion.model.Arrival.Scratch(d);
    double horizon;
    boolean neverArrives = false;
    if (duration != null) {
      horizon = duration;
    } else {
      double tArr =
          arrival.arrivalTime(
              probe, y0, gl, model.scale(), tau, tau, bounds.maxDuration(tau), scratch);
      neverArrives = tArr < 0;
      horizon = tArr > 0 ? tArr : bounds.maxDuration(tau);
      if (resolution.dt != null
          && resolution.dt > 0
          && Double.isFinite(resolution.dt)
          && !neverArrives) {
        // The grid's last point must not stop short of the arrival: up to the next multiple of dt.
        horizon =
            (org.diffeomotion.model.TimeGrids.reachingStepCount(horizon, resolution.dt) - 1)
                * resolution.dt;
      }
    }
    refuse(bounds.checkDuration("--duration", horizon, tau));
    int n;
    if (resolution.dt != null) {
      if (!(resolution.dt > 0 && Double.isFinite(resolution.dt))) {
        throw new ParameterException(
            spec.commandLine(), "--dt must be > 0 [s], got " + resolution.dt);
      }
      double steps = org.diffeomotion.model.TimeGrids.uniformStepCount(horizon, resolution.dt) - 1;
      if (steps + 1 > MAX_POINTS) {
        throw new ParameterException(
            spec.commandLine(),
            "--dt "
                + resolution.dt
                + " over "
                + horizon
                + " s gives more than "
                + MAX_POINTS
                + " points");
      }
      n = (int) steps + 1;
    } else {
      n = resolution.count != null ? resolution.count : 101;
      if (n < 1 || n > MAX_POINTS) {
        throw new ParameterException(
            spec.commandLine(), "--count must be 1.." + MAX_POINTS + ", got " + n);
      }
    }
    double[] times = new double[n];
    if (resolution.dt != null) {
      TimeGrids.fillUniformStep(times, n, resolution.dt);
    } else {
      TimeGrids.fillUniformCount(times, n, horizon);
    }
    double[] y = new double[n * d];
    double[] v = new double[n * d];
    if (!method.equals(TrajectorySolver.CLOSED_FORM) && !model.supportsStateFeedback()) {
      spec.commandLine()
          .getErr()
          .printf(
              Locale.ROOT,
              "rollout: note: %s has %d augmentation dimension(s): its "
                  + "velocity field is defined on the slice [y, 0] only, so %s integrates a different motion "
                  + "than the model's closed-form rollout%n",
              modelFile,
              model.augmentDim(),
              method);
    }
    TrajectorySolver solver;
    try {
      solver = TrajectorySolver.create(method, model, n, java.util.Map.of(), prec);
    } catch (IllegalArgumentException e) {
      throw new DiffeoCli.UserException("--precision " + precision + ": " + e.getMessage());
    }
    if (g != null) {
      solver.setGoal(g);
    }
    solver.setTimeScale(tau);
    long t0 = System.nanoTime();
    IntegrationStats stats = solver.solve(y0, times, n, y, v);
    String info =
        solver.isClosedForm()
            ? "closed form"
            : method
                + ", "
                + stats.steps()
                + " steps, "
                + stats.evaluations()
                + " field evaluations";
    if (!solver.isClosedForm()) {
      // The exact motion stays near the demonstrations and converges to the goal; a
      // fixed-step method whose step is beyond the field's stability limit blows up
      // (1e45 and more) instead. Leaving the workspace is that, said plainly.
      for (int i = 0; i < n; i++) {
        int k = bounds.outside(y, i * d);
        if (k >= 0) {
          throw new DiffeoCli.UserException(
              String.format(
                  Locale.ROOT,
                  "%s diverged: at t = %.6g s %s "
                      + "= %.6g left the workspace [%.6g, %.6g] (the exact motion stays near the goal); "
                      + "the step is beyond the field's stability limit: use a smaller --dt or more "
                      + "--count, or dopri5 (adaptive) or closed_form",
                  method,
                  times[i],
                  model.dimensionNames().get(k),
                  y[i * d + k],
                  bounds.lo(k),
                  bounds.hi(k)));
        }
      }
    }
    double ms = (System.nanoTime() - t0) / 1e6;
    double dist = org.diffeomotion.model.Arrival.norm(y, (n - 1) * d, gl, d);
    double speed = org.diffeomotion.model.Arrival.norm(v, (n - 1) * d, null, d);
    boolean arrived = arrival.reached(y, v, (n - 1) * d, gl, model.scale(), tau);
    String end =
        String.format(
            Locale.ROOT,
            "end %s, %.3g from the goal, speed %.3g: %s",
            Commands.vec(java.util.Arrays.copyOfRange(y, (n - 1) * d, n * d)),
            dist,
            speed,
            arrived
                ? "arrived (within " + goalTolerance + " sigma)"
                : "NOT arrived (tolerance "
                    + goalTolerance
                    + " sigma, "
                    + 10 * goalTolerance
                    + " sigma/tau; "
                    + (duration != null
                        ? "a longer --duration, or none for the arrival time)"
                        : neverArrives
                            ? "it does not arrive within 1000 tau)"
                            : "--count or --dt ends the grid before)"));
    if (out != null) {
      java.io.StringWriter csv = new java.io.StringWriter();
      writeCsv(csv, model, poses, times, y, v, n, d);
      org.diffeomotion.model.AtomicFiles.write(
          out, csv.toString().getBytes(StandardCharsets.UTF_8));
      spec.commandLine()
          .getOut()
          .printf(
              Locale.ROOT,
              "wrote %s: %d points over %.4g s (%s, %.2f ms); %s%n",
              out,
              n,
              times[n - 1],
              info,
              ms,
              end);
    } else {
      PrintWriter o = spec.commandLine().getOut();
      writeCsv(o, model, poses, times, y, v, n, d);
      o.flush();
      if (!arrived) {
        // The CSV owns stdout; the note goes to stderr.
        spec.commandLine().getErr().println("rollout: note: " + end);
      }
    }
    return 0;
  }

  private void checkInside(
      String option, double[] v, org.diffeomotion.model.Workspace.Bounds bounds) {
    int i = bounds.outside(v);
    if (i >= 0) {
      throw new ParameterException(
          spec.commandLine(),
          bounds.describe(option + "[" + i + "]", i, v[i]) + "; --workspace-sigmas widens it");
    }
  }

  private void refuse(String problem) {
    if (problem != null) {
      throw new ParameterException(spec.commandLine(), problem);
    }
  }

  private double[] checkVector(String option, Numbers v, int d, MotionModel model) {
    if (v.size() != d) {
      throw new ParameterException(
          spec.commandLine(),
          option
              + " needs "
              + d
              + " values ("
              + String.join(",", model.dimensionNames())
              + "), got "
              + v.size());
    }
    return v.values().clone();
  }

  private double[] checkPose(String option, Numbers v) {
    if (v.size() != PoseMap.POSE_LENGTH) {
      throw new ParameterException(
          spec.commandLine(), option + " needs 7 values (x,y,z,qx,qy,qz,qw), got " + v.size());
    }
    double[] p = v.values().clone();
    for (int k = 0; k < 3; k++) {
      if (!Double.isFinite(p[k])) {
        throw new ParameterException(
            spec.commandLine(),
            option + ": " + "xyz".charAt(k) + " is " + p[k] + ", must be finite");
      }
    }
    String bad = PoseMap.checkQuaternion(option + " orientation", p, 3);
    if (bad != null) {
      throw new ParameterException(spec.commandLine(), bad);
    }
    return p;
  }

  static void writeCsv(
      Writer w, MotionModel model, double[] times, double[] y, double[] v, int n, int d)
      throws IOException {
    writeCsv(w, model, null, times, y, v, n, d);
  }

  /**
   * The CSV; with {@code poses} (full-pose models) the columns are t, x, y, z, qx, qy, qz, qw (q =
   * q_g ⊗ Exp(r), w ≥ 0), vx, vy, vz [m/s] and wx, wy, wz [rad/s], the angular velocity R(q) J_r(r)
   * ṙ in the model's frame.
   */
  static void writeCsv(
      Writer w,
      MotionModel model,
      PoseMap poses,
      double[] times,
      double[] y,
      double[] v,
      int n,
      int d)
      throws IOException {
    if (poses != null) {
      w.write(
          "t[s],x[m],y[m],z[m],qx,qy,qz,qw,vx[m/s],vy[m/s],vz[m/s],wx[rad/s],wy[rad/s],wz[rad/s]\n");
      double[] pose = new double[PoseMap.POSE_LENGTH];
      double[] lin = new double[3];
      double[] ang = new double[3];
      StringBuilder row = new StringBuilder();
      for (int i = 0; i < n; i++) {
        poses.toPose(y, i * d, pose, 0);
        poses.linearVelocity(v, i * d, lin, 0);
        poses.angularVelocity(y, i * d, v, i * d, ang, 0);
        row.setLength(0);
        row.append(String.format(Locale.ROOT, "%.6f", times[i]));
        for (double x : pose) {
          row.append(',').append(String.format(Locale.ROOT, "%.9g", x));
        }
        for (double x : lin) {
          row.append(',').append(String.format(Locale.ROOT, "%.9g", x));
        }
        for (double x : ang) {
          row.append(',').append(String.format(Locale.ROOT, "%.9g", x));
        }
        w.write(row.append('\n').toString());
      }
      return;
    }
    List<String> names = model.dimensionNames();
    List<String> units = model.dimensionUnits();
    StringBuilder h = new StringBuilder("t[s]");
    for (int k = 0; k < d; k++) {
      h.append(',')
          .append(names.get(k))
          .append(units.get(k).isEmpty() ? "" : "[" + units.get(k) + "]");
    }
    for (int k = 0; k < d; k++) {
      h.append(",d")
          .append(names.get(k))
          .append("/dt[")
          .append(units.get(k).isEmpty() ? "1" : units.get(k))
          .append("/s]");
    }
    w.write(h.append('\n').toString());
    StringBuilder row = new StringBuilder();
    for (int i = 0; i < n; i++) {
      row.setLength(0);
      row.append(String.format(Locale.ROOT, "%.6f", times[i]));
      for (int k = 0; k < d; k++) {
        row.append(',').append(String.format(Locale.ROOT, "%.9g", y[i * d + k]));
      }
      for (int k = 0; k < d; k++) {
        row.append(',').append(String.format(Locale.ROOT, "%.9g", v[i * d + k]));
      }
      w.write(row.append('\n').toString());
    }
  }
}
