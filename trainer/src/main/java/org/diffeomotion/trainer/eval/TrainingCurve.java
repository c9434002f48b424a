package org.diffeomotion.trainer.eval;

import java.util.Arrays;
import org.diffeomotion.trainer.fit.Progress;
import org.diffeomotion.trainer.fit.ProgressListener;

/**
 * Records the training curve from the engine's progress reports: loss and (where computed) held-out
 * MSE per iteration, and the wall time per iteration. Use with a trainer whose {@code
 * progressEvery} is 1 to get every iteration (then the times are per iteration). Forwards each
 * report to a delegate (e.g. the terminal display).
 */
public final class TrainingCurve implements ProgressListener {

  private final ProgressListener delegate;
  private long[] iteration = new long[256];
  private double[] loss = new double[256];
  private double[] validation = new double[256];
  private double[] ms = new double[256];
  private int size;

  public TrainingCurve(ProgressListener delegate) {
    this.delegate = delegate;
  }

  @Override
  public void onProgress(Progress p) {
    if (size == iteration.length) {
      int cap = size * 2;
      iteration = Arrays.copyOf(iteration, cap);
      loss = Arrays.copyOf(loss, cap);
      validation = Arrays.copyOf(validation, cap);
      ms = Arrays.copyOf(ms, cap);
    }
    iteration[size] = p.iteration();
    loss[size] = p.loss();
    validation[size] = p.validationMse();
    ms[size] = p.msPerIteration();
    size++;
    delegate.onProgress(p);
  }

  public int size() {
    return size;
  }

  /** Iteration numbers of the reports (copy). */
  public long[] iterations() {
    return Arrays.copyOf(iteration, size);
  }

  /** Training loss at each report [normalised units^2] (copy). */
  public double[] losses() {
    return Arrays.copyOf(loss, size);
  }

  /** Held-out MSE at each report, NaN where not computed [normalised units^2] (copy). */
  public double[] validationMses() {
    return Arrays.copyOf(validation, size);
  }

  /** Mean wall time per iteration since the previous report [ms] (copy). */
  public double[] millisPerIteration() {
    return Arrays.copyOf(ms, size);
  }

  /** The q-quantile (0..1, nearest rank) of the time per iteration [ms]; NaN if empty. */
  public double millisQuantile(double q) {
    if (size == 0) {
      return Double.NaN;
    }
    double[] s = millisPerIteration();
    Arrays.sort(s);
    int idx = (int) Math.ceil(q * size) - 1;
    return s[Math.max(0, Math.min(size - 1, idx))];
  }
}
