package org.diffeomotion.trainer.fit.internal;

import java.util.ArrayList;
import java.util.List;
import org.diffeomotion.model.MotionModel;
import org.diffeomotion.model.Rollout;
import org.diffeomotion.trainer.fit.Demo;

/**
 * A validation score for interpolation, computed from the training demos alone and never fitted:
 * for every pair of training demos whose blend exists ({@link NeighbourBlends#blend}: the mean of
 * the two at equal path fractions, from the mean of their starts; pairs whose paths part too far or
 * head apart have none), the closed-form rollout from the blend's start is compared with the blend
 * as a path: the symmetric mean nearest-point distance between the blend's samples and {@link
 * #GRID} rollout points over the blend's duration, in normalised units. The score is the mean over
 * blends.
 *
 * <p>Why: a held-out start lies between training starts, and two fits that follow their training
 * demos equally well can differ in what they do there. Choosing between the trainer's starts by the
 * training loss picked the start with the better held-out imitation in 13 of 24 runs; by this score
 * in 15 of 19 (trainer/BENCHMARK.md, Which start to export). A path distance, not equal-time
 * errors: the model's time law is not the demos' (TRAINING.md, Timing).
 */
public final class BlendScore {
  /** Rollout points per blend. */
  public static final int GRID = 400;

  private final List<double[][]> blends;
  private final double[] durations;

  /**
   * @param demos the training demos as resampled (normalised units, demonstrated times). Not
   *     modified.
   */
  public BlendScore(List<Demo> demos) {
    List<double[][]> z = new ArrayList<>();
    List<Double> dur = new ArrayList<>();
    for (int i = 0; i < demos.size(); i++) {
      for (int j = i + 1; j < demos.size(); j++) {
        Demo b = NeighbourBlends.blend(demos.get(i), demos.get(j));
        if (b != null && b.z().length >= 2) {
          z.add(b.z());
          dur.add(b.s()[b.s().length - 1]);
        }
      }
    }
    this.blends = List.copyOf(z);
    this.durations = new double[dur.size()];
    for (int k = 0; k < durations.length; k++) {
      durations[k] = dur.get(k);
    }
  }

  /** How many blends the score averages over (0: no score, choose otherwise). */
  public int blendCount() {
    return blends.size();
  }

  /**
   * The score of parameters {@code th} of a flow with {@code layout} [normalised units]; +infinity
   * when the model is invalid or a rollout is not finite. Lower is better.
   */
  public double score(FlowLayout layout, double[] th) {
    if (blends.isEmpty()) {
      return Double.NaN;
    }
    MotionModel model;
    try {
      model = MotionModel.fromProto(FlowExport.normalisedModel(layout, th));
    } catch (java.io.IOException | RuntimeException e) {
      return Double.POSITIVE_INFINITY;
    }
    int d = layout.stateDim;
    Rollout rollout = new Rollout(model, GRID);
    double[] times = new double[GRID];
    double[] out = new double[GRID * d];
    double[] y0 = new double[d];
    double total = 0;
    for (int j = 0; j < blends.size(); j++) {
      double[][] z = blends.get(j);
      for (int k = 0; k < GRID; k++) {
        times[k] = durations[j] * k / (GRID - 1);
      }
      // The first d values: demos may be padded with the augmented dimensions' zeros.
      System.arraycopy(z[0], 0, y0, 0, d);
      if (rollout.tryRollout(y0, times, GRID, out, null) != org.diffeomotion.model.Status.OK) {
        return Double.POSITIVE_INFINITY;
      }
      for (double v : out) {
        if (!Double.isFinite(v)) {
          return Double.POSITIVE_INFINITY;
        }
      }
      total += chamfer(z, out, d);
    }
    return total / blends.size();
  }

  /**
   * Symmetric mean nearest-point distance between samples z (n x d or wider: the first d count) and
   * points r (GRID x d).
   */
  static double chamfer(double[][] z, double[] r, int d) {
    int m = r.length / d;
    double[] nearestToPoint = new double[m];
    java.util.Arrays.fill(nearestToPoint, Double.POSITIVE_INFINITY);
    double fromSamples = 0;
    for (double[] zi : z) {
      double best = Double.POSITIVE_INFINITY;
      for (int k = 0; k < m; k++) {
        double q = 0;
        for (int c = 0; c < d; c++) {
          double e = zi[c] - r[k * d + c];
          q += e * e;
        }
        best = Math.min(best, q);
        nearestToPoint[k] = Math.min(nearestToPoint[k], q);
      }
      fromSamples += Math.sqrt(best);
    }
    double fromPoints = 0;
    for (double q : nearestToPoint) {
      fromPoints += Math.sqrt(q);
    }
    return 0.5 * (fromSamples / z.length + fromPoints / m);
  }
}
