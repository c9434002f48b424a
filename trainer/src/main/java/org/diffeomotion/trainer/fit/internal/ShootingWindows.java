package org.diffeomotion.trainer.fit.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Multiple shooting: short segments cut from the demonstrations, each rolled out from its own first
 * sample. A rollout from a demo's start has to get every earlier turn right before a later sample
 * can match, so the loss over whole demos is stiff and, early in training, a model that runs ahead
 * cuts across the curve; over windows of a few samples every part of the path pulls on the flow
 * where it is, like velocity matching (the limit of windows of two samples), with no
 * Jacobian-vector product to differentiate. The schedule then grows the windows to the whole demos,
 * the loss the model is judged by.
 */
public final class ShootingWindows {

  /** The segments: per window its times (relative to its first sample) and states. */
  public record Segments(List<double[]> s, List<double[][]> z) {
    public int count() {
      return s.size();
    }
  }

  private ShootingWindows() {}

  /**
   * Windows of {@code length} samples starting every {@code stride} samples (the last window of a
   * demo ends at its last sample; a demo shorter than the window is one window).
   *
   * @param s per demo, normalised times (s[0] = 0). Not modified.
   * @param z per demo, states n x d. Not modified.
   * @param length samples per window, >= 2.
   * @param stride samples between window starts, 1..length - 1.
   */
  public static Segments cut(List<double[]> s, List<double[][]> z, int length, int stride) {
    if (length < 2 || stride < 1 || stride >= length) {
      throw new IllegalArgumentException(
          "windows: need length >= 2 and 1 <= stride < length, got length "
              + length
              + ", stride "
              + stride);
    }
    List<double[]> ws = new ArrayList<>();
    List<double[][]> wz = new ArrayList<>();
    for (int j = 0; j < s.size(); j++) {
      double[] sj = s.get(j);
      double[][] zj = z.get(j);
      int n = sj.length;
      if (n <= length) {
        ws.add(sj.clone());
        wz.add(zj.clone());
        continue;
      }
      for (int a = 0; a + 1 < n; a += stride) {
        int end = Math.min(n, a + length);
        if (end - a < 2) {
          break;
        }
        double[] si = new double[end - a];
        double[][] zi = new double[end - a][];
        for (int i = a; i < end; i++) {
          si[i - a] = sj[i] - sj[a];
          zi[i - a] = zj[i];
        }
        ws.add(si);
        wz.add(zi);
        if (end == n) {
          break;
        }
      }
    }
    return new Segments(ws, wz);
  }
}
