package org.diffeomotion.trainer.fit.internal;

import java.util.ArrayList;
import java.util.List;
import org.diffeomotion.model.MotionModel;
import org.diffeomotion.model.Rollout;

/**
 * Re-times the training demos to the model's own progress (TRAINING.md "Alignment"): each demo's
 * samples get the times at which the current model's closed-form rollout from the demo's start
 * passes closest to them, under the constraint that the times do not decrease, the first stays 0
 * and the last stays the demo's duration. The loss at these times compares the demo with the
 * rollout's path, as the held-out DTW does, instead of with a fixed guess of the progress profile.
 *
 * <p>At fixed parameters the aligned loss is at most the loss at any other monotone assignment of
 * the grid points, so alternating gradient steps with re-alignment is a descent on the path error.
 *
 * <p>The rollout runs in the model module (plain Java, normalised units: goal 0, scale 1, tau 1),
 * on a uniform grid of {@link #GRID} times over the demo's duration; the assignment is a dynamic
 * programme over (sample, grid point), O(n * GRID) per demo.
 */
public final class ProgressAlignment {

  /** Rollout points per demo the samples are matched against. */
  public static final int GRID = 600;

  private final FlowLayout layout;
  private final List<double[][]> demoZ;
  private final double[] durations;
  private final int maxPoints;

  /**
   * @param layout the flow's layout.
   * @param demoS per demo, its current times (only the last, the duration, is used). Not modified.
   * @param demoZ per demo, states n x d (normalised). Not modified.
   */
  public ProgressAlignment(FlowLayout layout, List<double[]> demoS, List<double[][]> demoZ) {
    this.layout = layout;
    this.demoZ = demoZ;
    this.durations = new double[demoS.size()];
    int mp = 1;
    for (int j = 0; j < durations.length; j++) {
      double[] s = demoS.get(j);
      durations[j] = s[s.length - 1];
      mp = Math.max(mp, demoZ.get(j).length);
    }
    this.maxPoints = mp;
  }

  /** The aligned times of every demo for parameters th (not modified). */
  public List<double[]> align(double[] th) {
    MotionModel model;
    try {
      model = MotionModel.fromProto(FlowExport.normalisedModel(layout, th));
    } catch (java.io.IOException | RuntimeException e) {
      return null;
    }
    int d = layout.stateDim;
    Rollout rollout = new Rollout(model, GRID);
    double[] times = new double[GRID];
    double[] out = new double[GRID * d];
    double[] y0 = new double[d];
    List<double[]> result = new ArrayList<>(demoZ.size());
    for (int j = 0; j < demoZ.size(); j++) {
      double[][] z = demoZ.get(j);
      double dur = durations[j];
      for (int k = 0; k < GRID; k++) {
        times[k] = dur * k / (GRID - 1);
      }
      System.arraycopy(z[0], 0, y0, 0, d);
      rollout.rollout(y0, times, GRID, out);
      for (double v : out) {
        if (!Double.isFinite(v)) {
          return null;
        }
      }
      result.add(assign(z, out, d, times));
    }
    return result;
  }

  /**
   * Monotone assignment of samples to grid points minimising the sum of squared distances; first
   * sample to grid point 0, last to the last. Returns the assigned times, made strictly increasing
   * by a gap of 1e-9 of the duration.
   */
  static double[] assign(double[][] z, double[] r, int d, double[] times) {
    int n = z.length;
    int m = times.length;
    double[] prev = new double[m];
    double[] cur = new double[m];
    int[][] arg = new int[n][m];
    // Row 0: only grid point 0.
    java.util.Arrays.fill(prev, Double.POSITIVE_INFINITY);
    prev[0] = dist(z[0], r, 0, d);
    for (int i = 1; i < n; i++) {
      double bestPrev = Double.POSITIVE_INFINITY;
      int bestK = 0;
      for (int k = 0; k < m; k++) {
        if (prev[k] < bestPrev) {
          bestPrev = prev[k];
          bestK = k;
        }
        cur[k] = bestPrev + dist(z[i], r, k, d);
        arg[i][k] = bestK;
      }
      double[] t = prev;
      prev = cur;
      cur = t;
    }
    double[] s = new double[n];
    int k = m - 1;
    for (int i = n - 1; i >= 0; i--) {
      s[i] = times[k];
      if (i > 0) {
        k = arg[i][k];
      }
    }
    s[0] = 0;
    double gap = 1e-9 * times[m - 1];
    for (int i = 1; i < n; i++) {
      s[i] = Math.max(s[i], s[i - 1] + gap);
    }
    return s;
  }

  private static double dist(double[] zi, double[] r, int k, int d) {
    double q = 0;
    for (int c = 0; c < d; c++) {
      double e = zi[c] - r[k * d + c];
      q += e * e;
    }
    return q;
  }
}
