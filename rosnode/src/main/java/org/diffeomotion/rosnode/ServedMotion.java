package org.diffeomotion.rosnode;

import java.nio.file.Path;
import org.diffeomotion.model.MotionModel;
import org.diffeomotion.model.Workspace;

/**
 * The model being served with the goal and time scale in force. Immutable: {@code ~goal} and {@code
 * ~reload} make a new one and swap it in ({@link NodeContext#served}); a listener that sees a new
 * one rebuilds (new model) or re-targets (new goal) its evaluator.
 */
final class ServedMotion {
  final MotionModel model;
  final Path file;

  /** The model's state dimension (a reload may change it between a pose and a position model). */
  final int d;

  /** Whether the model is a full-pose model: y = [p, r], poses through {@code PoseMap}. */
  final boolean pose;

  /**
   * The state indices of x, y[, z]: the pose layout's position dimensions for a pose model, else
   * the first (up to) three dimensions. The goal offset and ~current_goal use them.
   */
  final int[] positionDims;

  /** The goal in force: {@link #baseGoal} + the config's goal offset [state units]. */
  final double[] goal;

  /** The model's goal, or the last ~goal [state units]. */
  final double[] baseGoal;

  /**
   * The goal orientation in force (x, y, z, w, unit) of a pose model: the model's, or the last
   * ~goal's; null for a position-only or joint model. The rotation part of states is relative to
   * it, and of {@link #goal} is 0.
   */
  final double[] goalOrientation;

  /** [s] */
  final double tau;

  /**
   * The accepted inputs: around the model's own goal (the demonstrated region), not a moved one.
   */
  final Workspace.Bounds bounds;

  /** The model's scale [state units]. */
  final double[] sigma;

  /**
   * The parameters in force (dynamic_reconfigure may change some at run time): read from this
   * snapshot, a message sees one consistent set.
   */
  final MotionNodeConfig config;

  ServedMotion(
      MotionModel model,
      Path file,
      double[] baseGoal,
      double[] goalOrientation,
      double tau,
      Workspace.Bounds bounds,
      MotionNodeConfig config) {
    this.model = model;
    this.file = file;
    this.d = model.stateDim();
    this.pose = model.isPose();
    this.positionDims = pose ? model.positionDims() : firstDims(Math.min(d, 3));
    this.baseGoal = baseGoal;
    this.goalOrientation = pose ? goalOrientation : null;
    double[] off = config.goalOffset();
    this.goal = baseGoal.clone();
    for (int k = 0; k < Math.min(positionDims.length, off.length); k++) {
      goal[positionDims[k]] += off[k];
    }
    this.tau = tau;
    this.bounds = bounds;
    this.sigma = model.scale();
    this.config = config;
  }

  private static int[] firstDims(int n) {
    int[] dims = new int[n];
    for (int k = 0; k < n; k++) {
      dims[k] = k;
    }
    return dims;
  }

  /**
   * The same model with another base goal (the offset and goal orientation in force still apply).
   */
  ServedMotion withGoal(double[] newBaseGoal) {
    return new ServedMotion(model, file, newBaseGoal, goalOrientation, tau, bounds, config);
  }

  /**
   * The same model with another base goal and, for a pose model, goal orientation (x, y, z, w,
   * unit; ignored otherwise).
   */
  ServedMotion withGoalPose(double[] newBaseGoal, double[] orientation) {
    return new ServedMotion(model, file, newBaseGoal, orientation, tau, bounds, config);
  }

  /**
   * The same model with exactly {@code goal} in force (the offset taken out of the base) and the
   * goal orientation {@code orientation} (null: the one in force).
   */
  ServedMotion withGoalInForce(double[] goal, double[] orientation) {
    double[] off = config.goalOffset();
    double[] base = goal.clone();
    for (int k = 0; k < Math.min(positionDims.length, off.length); k++) {
      base[positionDims[k]] -= off[k];
    }
    return new ServedMotion(
        model,
        file,
        base,
        orientation == null ? goalOrientation : orientation,
        tau,
        bounds,
        config);
  }

  /** The same model and goal under new parameters (and the time scale they give). */
  ServedMotion withConfig(MotionNodeConfig newConfig) {
    double t = newConfig.timeScale() > 0 ? newConfig.timeScale() : model.timeScale();
    return new ServedMotion(model, file, baseGoal, goalOrientation, t, bounds, newConfig);
  }
}
