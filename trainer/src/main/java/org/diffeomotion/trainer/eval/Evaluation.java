package org.diffeomotion.trainer.eval;

import java.util.List;
import org.diffeomotion.model.MotionModel;
import org.diffeomotion.model.Rollout;
import org.diffeomotion.trainer.data.PreparedData;

/**
 * Metrics of a model on a set of demonstrations, one {@link DemoMetrics} per demo, with means per
 * split. Made by {@link #of}.
 */
public record Evaluation(List<DemoMetrics> demos) {

  public Evaluation {
    demos = List.copyOf(demos);
  }

  /**
   * Rolls the model out (closed form) from every demo's first resampled point at the demo's
   * resampled times and compares.
   *
   * @param model the model; its own goal and time scale are used.
   * @param data the demonstrations, resampled. Not modified.
   * @param useSplit true: label demos train/validation by {@code data}'s split (after training);
   *     false: label every demo {@link Split#EVALUATED}.
   * @throws IllegalArgumentException when the model's dimensions differ from the data's
   */
  public static Evaluation of(MotionModel model, PreparedData data, boolean useSplit) {
    int d = data.dimension();
    if (model.stateDim() != d || !model.dimensionNames().equals(data.dimensionNames())) {
      throw new IllegalArgumentException(
          "dimensions: the model has "
              + model.dimensionNames()
              + " but the data have "
              + data.dimensionNames());
    }
    int n = data.gridSize();
    Split[] split = new Split[data.demoCount()];
    java.util.Arrays.fill(split, useSplit ? Split.TRAIN : Split.EVALUATED);
    if (useSplit) {
      for (int i : data.validationIndices()) {
        split[i] = Split.VALIDATION;
      }
    }
    double[] goal = model.goal();
    Rollout rollout = new Rollout(model, n);
    List<DemoMetrics> out = new java.util.ArrayList<>();
    for (int i = 0; i < data.demoCount(); i++) {
      double[] t = data.times(i);
      double[][] states = data.states(i);
      double[] y = new double[n * d];
      for (int j = 0; j < n; j++) {
        System.arraycopy(states[j], 0, y, j * d, d);
      }
      double[] yhat = new double[n * d];
      rollout.rollout(states[0], t, n, yhat);
      out.add(compare(data.demoNames().get(i), split[i], t, y, yhat, n, d, goal));
    }
    return new Evaluation(out);
  }

  /**
   * The metrics of one demo against its rollout at the same n times.
   *
   * @param y demo, row-major n x d. Not modified.
   * @param yhat rollout, row-major n x d. Not modified.
   * @param goal the goal the rollout heads for, length d. Not modified.
   */
  public static DemoMetrics compare(
      String name,
      Split split,
      double[] t,
      double[] y,
      double[] yhat,
      int n,
      int d,
      double[] goal) {
    double sq = 0;
    double maxDev = 0;
    for (int j = 0; j < n; j++) {
      double pt = 0;
      for (int k = 0; k < d; k++) {
        double e = yhat[j * d + k] - y[j * d + k];
        pt += e * e;
      }
      sq += pt;
      maxDev = Math.max(maxDev, Math.sqrt(pt));
    }
    double fg = 0;
    for (int k = 0; k < d; k++) {
      double e = yhat[(n - 1) * d + k] - goal[k];
      fg += e * e;
    }
    double dtw = Dtw.align(yhat, n, y, n, d).normalised();
    return new DemoMetrics(
        name,
        split,
        n,
        t[n - 1] - t[0],
        sq / ((double) n * d),
        dtw,
        Math.sqrt(fg),
        maxDev,
        t.clone(),
        y.clone(),
        yhat.clone());
  }

  /** The demos of one split. */
  public List<DemoMetrics> of(Split split) {
    return demos.stream().filter(m -> m.split() == split).toList();
  }

  /** Means of the metrics over the demos of one split; null when it has none. */
  public Summary summary(Split split) {
    List<DemoMetrics> l = of(split);
    if (l.isEmpty()) {
      return null;
    }
    double mse = 0;
    double dtw = 0;
    double fg = 0;
    double dev = 0;
    for (DemoMetrics m : l) {
      mse += m.mse();
      dtw += m.dtw();
      fg += m.finalGoalDistance();
      dev = Math.max(dev, m.maxDeviation());
    }
    int c = l.size();
    return new Summary(split, c, mse / c, dtw / c, fg / c, dev);
  }

  /**
   * Aggregates of one split.
   *
   * @param mse mean of the per-demo MSE [units^2].
   * @param dtw mean of the per-demo normalised DTW [units].
   * @param finalGoalDistance mean distance of the rollouts' last points from the goal [units].
   * @param maxDeviation largest deviation over all demos of the split [units].
   */
  public record Summary(
      Split split,
      int demos,
      double mse,
      double dtw,
      double finalGoalDistance,
      double maxDeviation) {}
}
