package org.diffeomotion.trainer.fit.internal;

import java.util.List;

/**
 * One start of a training run: its engine, optimiser and schedule state, the best iterate it has
 * seen, and the guard against divergence. The schedule itself (learning rate and shooting window
 * per iteration) is given as pure functions of the iteration by the caller.
 *
 * <p>Best iterate: the parameters with the lowest loss over whole demos (the loss a model is judged
 * by: closed-form rollouts from each demo's start) seen so far, from the iterations that fit whole
 * demos (their loss comes free with the gradient) and from {@link #evaluateWhole()} calls during
 * the window stages.
 *
 * <p>Guard: a non-finite loss, or a loss above {@link #SPIKE_FACTOR} times the lowest loss of the
 * current stage, restores the parameters of that lowest loss, forgets Adam's moments and halves the
 * learning rate for the rest of the run. After {@link #MAX_ROLLBACKS} rollbacks the run is declared
 * diverged and stops stepping.
 *
 * <p>Not thread-safe; distinct runs may step on distinct threads (each has its own arrays).
 */
public final class TrainingRun {

  /** A loss this many times the stage's lowest is a spike, not noise. */
  public static final double SPIKE_FACTOR = 4.0;

  /** Rollbacks before the run counts as diverged. */
  public static final int MAX_ROLLBACKS = 8;

  /** The learning rate at an iteration (before the run's own rollback factor). */
  public interface LearningRate {
    double at(long iteration);
  }

  /** The shooting-window length in samples at an iteration; 0 = whole demos. */
  public interface Window {
    int at(long iteration);
  }

  /** Whether an iteration re-aligns the whole demos to the model's progress first. */
  public interface Realign {
    boolean at(long iteration);
  }

  private final FlowEngine engine;
  private final Adam adam;
  private final List<double[]> demoS;
  private final List<double[][]> demoZ;
  private final double clip;
  private int window = -1;
  private double lrFactor = 1.0;
  private int rollbacks;
  private boolean diverged;
  private double stageBestLoss = Double.POSITIVE_INFINITY;
  private double[] stageBest;
  private double bestLoss = Double.POSITIVE_INFINITY;
  private double[] best;
  private long bestIteration = -1;
  private double lastLoss = Double.NaN;

  /** Re-times the demos to the model's progress; built at the first re-alignment. */
  private ProgressAlignment alignment;

  /** The times whole demos are fitted at since the last re-alignment; null before the first. */
  private List<double[]> alignedTimes;

  /**
   * @param engine the start's engine, parameters already initialised. Used exclusively by this run.
   * @param demoS per training demo, normalised times (as given to the engine). Not modified.
   * @param demoZ per training demo, states. Not modified.
   * @param clip global gradient-norm clip; 0 = off.
   */
  public TrainingRun(FlowEngine engine, List<double[]> demoS, List<double[][]> demoZ, double clip) {
    this.engine = engine;
    this.adam = new Adam(engine.layout().size);
    this.demoS = demoS;
    this.demoZ = demoZ;
    this.clip = clip;
    this.stageBest = engine.parameterValues();
    this.best = stageBest.clone();
  }

  public FlowEngine engine() {
    return engine;
  }

  public Adam adam() {
    return adam;
  }

  /**
   * One iteration: switches the fitted set when the window changes, evaluates loss and gradient,
   * rolls back on a spike, clips, and takes the Adam step.
   *
   * @return the fitted loss before the update (NaN once diverged) [normalised units^2].
   */
  public double step(long iteration, LearningRate lr, Window windows, Realign realign) {
    if (diverged) {
      return Double.NaN;
    }
    int w = windows.at(iteration);
    if (w != window) {
      setWindow(w);
    }
    if (window == 0 && realign.at(iteration)) {
      realign();
    }
    engine.selectFarGroup(iteration);
    double loss = engine.lossAndGradient();
    lastLoss = loss;
    if (!Double.isFinite(loss)
        || stageBestLoss < Double.POSITIVE_INFINITY && loss > SPIKE_FACTOR * stageBestLoss) {
      rollBack();
      return loss;
    }
    if (loss < stageBestLoss) {
      stageBestLoss = loss;
      System.arraycopy(engine.evaluatedParameters(), 0, stageBest, 0, stageBest.length);
    }
    if (window == 0) {
      offerBest(loss, iteration);
    }
    double norm = engine.gradientNorm();
    if (clip > 0 && norm > clip) {
      engine.scaleGradient(clip / norm);
    }
    adam.update(engine.params(), engine.gradient(), lr.at(iteration) * lrFactor);
    return loss;
  }

  /**
   * Evaluates the whole-demo loss at the current parameters and keeps them if they are the best.
   */
  public double evaluateWhole(long iteration) {
    double loss = wholeLoss();
    offerBest(loss, iteration);
    return loss;
  }

  /**
   * The whole-demo loss at the current parameters, at the times the run fits whole demos at now:
   * the re-aligned ones after the first re-alignment, else the demos' own [normalised units^2].
   */
  public double wholeLoss() {
    return alignedTimes != null ? engine.fitLoss() : engine.loss();
  }

  private void offerBest(double loss, long iteration) {
    if (loss < bestLoss) {
      bestLoss = loss;
      bestIteration = iteration;
      System.arraycopy(engine.evaluatedParameters(), 0, best, 0, best.length);
    }
  }

  /**
   * Re-times the whole demos to the current parameters' progress. From the first re-alignment on,
   * the loss (and so the best iterate) is the aligned one: at fixed parameters it is at most the
   * loss at the previous times, so iterates before it are not comparable and are forgotten. A model
   * whose rollout is not finite keeps the previous times.
   */
  private void realign() {
    if (alignment == null) {
      alignment = new ProgressAlignment(engine.layout(), demoS, demoZ);
    }
    List<double[]> s = alignment.align(engine.parameterValues());
    if (s == null) {
      return;
    }
    if (alignedTimes == null) {
      bestLoss = Double.POSITIVE_INFINITY;
      bestIteration = -1;
    }
    useAligned(s);
    // A new loss: its own scale for spikes, from the current parameters.
    stageBestLoss = Double.POSITIVE_INFINITY;
    stageBest = engine.parameterValues();
  }

  private void useAligned(List<double[]> s) {
    engine.setFitSegments(s, demoZ);
    alignedTimes = s;
  }

  /**
   * The times whole demos are fitted at since the last re-alignment, all demos one after the other
   * (a copy); empty before the first re-alignment.
   */
  public double[] alignedTimes() {
    if (alignedTimes == null) {
      return new double[0];
    }
    int n = 0;
    for (double[] t : alignedTimes) {
      n += t.length;
    }
    double[] out = new double[n];
    int at = 0;
    for (double[] t : alignedTimes) {
      System.arraycopy(t, 0, out, at, t.length);
      at += t.length;
    }
    return out;
  }

  private void setWindow(int w) {
    if (w == 0) {
      engine.setFitSegments(null, null);
    } else {
      ShootingWindows.Segments seg = ShootingWindows.cut(demoS, demoZ, w, Math.max(1, w / 2));
      engine.setFitSegments(seg.s(), seg.z());
    }
    window = w;
    // A new loss: its own scale for spikes. The stage starts from where the last one ended.
    stageBestLoss = Double.POSITIVE_INFINITY;
    stageBest = engine.parameterValues();
  }

  private void rollBack() {
    rollbacks++;
    if (rollbacks > MAX_ROLLBACKS) {
      diverged = true;
    }
    engine.setParameterValues(stageBest);
    adam.reset();
    lrFactor *= 0.5;
  }

  /** Restores the best iterate into the engine (call at the end of a run). */
  public void restoreBest() {
    if (bestIteration >= 0) {
      engine.setParameterValues(best);
    }
  }

  /** Lowest whole-demo loss seen [normalised units^2]; +inf before any. */
  public double bestLoss() {
    return bestLoss;
  }

  /**
   * Iteration (0-based, the parameters before that iteration's update) of the best iterate; -1
   * before any.
   */
  public long bestIteration() {
    return bestIteration;
  }

  /** The best iterate's parameters (a copy). */
  public double[] bestParameters() {
    return best.clone();
  }

  public int rollbacks() {
    return rollbacks;
  }

  public boolean diverged() {
    return diverged;
  }

  public double learningRateFactor() {
    return lrFactor;
  }

  /** The window the run fits now (0 = whole demos; -1 before the first step). */
  public int window() {
    return window;
  }

  public double lastLoss() {
    return lastLoss;
  }

  /** Lowest fitted loss of the current stage (the spike reference) [normalised units^2]. */
  public double stageBestLoss() {
    return stageBestLoss;
  }

  /** The parameters of the current stage's lowest loss (a copy). */
  public double[] stageBest() {
    return stageBest.clone();
  }

  /** Forgets the best iterate (after the caller replaced the initial parameters). */
  public void resetBest() {
    stageBest = engine.parameterValues();
    best = stageBest.clone();
    bestLoss = Double.POSITIVE_INFINITY;
    bestIteration = -1;
    stageBestLoss = Double.POSITIVE_INFINITY;
  }

  /**
   * Restores the schedule, guard and best-iterate state saved by a checkpoint (the engine's
   * parameters and Adam's state are restored by the caller). Arrays not modified.
   */
  public void restore(
      int window,
      double stageBestLoss,
      double[] stageBest,
      double bestLoss,
      long bestIteration,
      double[] best,
      double lrFactor,
      int rollbacks,
      boolean diverged,
      double[] aligned) {
    if (window >= 0) {
      setWindow(window);
    }
    if (aligned.length > 0) {
      int total = 0;
      for (double[][] z : demoZ) {
        total += z.length;
      }
      if (aligned.length != total || window != 0) {
        throw new IllegalArgumentException(
            "checkpoint: "
                + aligned.length
                + " aligned times for "
                + total
                + " training samples (window "
                + window
                + ")");
      }
      List<double[]> s = new java.util.ArrayList<>(demoZ.size());
      int at = 0;
      for (double[][] z : demoZ) {
        s.add(java.util.Arrays.copyOfRange(aligned, at, at + z.length));
        at += z.length;
      }
      useAligned(s);
    }
    this.stageBestLoss = stageBestLoss;
    this.stageBest = stageBest.clone();
    this.bestLoss = bestLoss;
    this.bestIteration = bestIteration;
    this.best = best.clone();
    this.lrFactor = lrFactor;
    this.rollbacks = rollbacks;
    this.diverged = diverged;
  }
}
