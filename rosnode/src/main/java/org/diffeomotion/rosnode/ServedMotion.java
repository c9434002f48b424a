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

  /** [state units] */
  final double[] goal;

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
      double[] goal,
      double tau,
      Workspace.Bounds bounds,
      MotionNodeConfig config) {
    this.model = model;
    this.file = file;
    this.goal = goal;
    this.tau = tau;
    this.bounds = bounds;
    this.sigma = model.scale();
    this.config = config;
  }

  /** The same model with another goal. */
  ServedMotion withGoal(double[] newGoal) {
    return new ServedMotion(model, file, newGoal, tau, bounds, config);
  }

  /** The same model and goal under new parameters (and the time scale they give). */
  ServedMotion withConfig(MotionNodeConfig newConfig) {
    double t = newConfig.timeScale() > 0 ? newConfig.timeScale() : model.timeScale();
    return new ServedMotion(model, file, goal, t, bounds, newConfig);
  }
}
