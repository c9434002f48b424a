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

  /** The goal in force: {@link #baseGoal} + the config's goal offset [state units]. */
  final double[] goal;

  /** The model's goal, or the last ~goal [state units]. */
  final double[] baseGoal;

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
      double tau,
      Workspace.Bounds bounds,
      MotionNodeConfig config) {
    this.model = model;
    this.file = file;
    this.baseGoal = baseGoal;
    double[] off = config.goalOffset();
    this.goal = baseGoal.clone();
    for (int i = 0; i < Math.min(goal.length, off.length); i++) {
      goal[i] += off[i];
    }
    this.tau = tau;
    this.bounds = bounds;
    this.sigma = model.scale();
    this.config = config;
  }

  /** The same model with another base goal (the offset in force still applies). */
  ServedMotion withGoal(double[] newBaseGoal) {
    return new ServedMotion(model, file, newBaseGoal, tau, bounds, config);
  }

  /** The same model with exactly {@code goal} in force (the offset taken out of the base). */
  ServedMotion withGoalInForce(double[] goal) {
    double[] off = config.goalOffset();
    double[] base = goal.clone();
    for (int i = 0; i < Math.min(base.length, off.length); i++) {
      base[i] -= off[i];
    }
    return new ServedMotion(model, file, base, tau, bounds, config);
  }

  /** The same model and goal under new parameters (and the time scale they give). */
  ServedMotion withConfig(MotionNodeConfig newConfig) {
    double t = newConfig.timeScale() > 0 ? newConfig.timeScale() : model.timeScale();
    return new ServedMotion(model, file, baseGoal, t, bounds, newConfig);
  }
}
