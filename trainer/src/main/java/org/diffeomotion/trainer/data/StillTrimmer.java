package org.diffeomotion.trainer.data;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Removes still phases at the start and end of demonstrations; see {@link TrimOptions}. */
public final class StillTrimmer {

  private static final Logger LOG = LoggerFactory.getLogger(StillTrimmer.class);

  /**
   * 1 ns [s]: a window equal to the sample period must span one period, although differences of
   * rounded stamps (0.1·i) come out a hair short of it.
   */
  private static final double WINDOW_SLACK = 1e-9;

  private StillTrimmer() {}

  /**
   * Trims every demo of a set.
   *
   * @param set the demonstrations. Not modified.
   * @param options what counts as still; {@link TrimOptions#NONE} returns {@code set}
   * @return the trimmed set (validated again)
   * @throws DemoDataException if a demo is still throughout, naming it
   */
  public static DemonstrationSet trim(DemonstrationSet set, TrimOptions options)
      throws DemoDataException {
    if (!options.enabled()) {
      return set;
    }
    List<Demonstration> out = new ArrayList<>(set.size());
    for (int i = 0; i < set.size(); i++) {
      Demonstration demo = set.demo(i);
      DataLocation where =
          DataLocation.of(demo.source()).withDemo("#" + i + " (" + demo.name() + ")");
      out.add(trim(demo, options, where));
    }
    return set.withDemos(out);
  }

  /**
   * Trims one demo.
   *
   * @param demo the demo, ≥ 2 samples, increasing times. Not modified.
   * @param options what counts as still (enabled)
   * @param where the demo's location, for the error message
   * @return the demo without its leading and trailing still phases (or {@code demo} itself)
   * @throws DemoDataException if the demo never moves faster than the threshold
   */
  public static Demonstration trim(Demonstration demo, TrimOptions options, DataLocation where)
      throws DemoDataException {
    double[] t = demo.timesView();
    double[][] y = demo.statesView();
    int n = t.length;
    double thr = options.speedThreshold();
    double w = options.speedWindow();

    // Leading still phase: samples 0..first-1 are still; 'first' is the last still sample.
    int first = 0;
    while (first < n - 1 && forwardSpeed(t, y, first, w) < thr) {
      first++;
    }
    if (first == n - 1) {
      throw new DemoDataException(
          where,
          "is still throughout: its speed never reaches the"
              + " trim threshold "
              + thr
              + " units/s (over "
              + w
              + " s windows). Lower the"
              + " threshold, turn trimming off, or drop this demo");
    }
    int last = n - 1;
    while (last > first && backwardSpeed(t, y, last, w) < thr) {
      last--;
    }
    int from = t[first] - t[0] >= options.minDuration() ? first : 0;
    int to = t[n - 1] - t[last] >= options.minDuration() ? last : n - 1;
    if (from == 0 && to == n - 1) {
      return demo;
    }
    LOG.debug(
        "{}: trimmed {} still samples ({} s) at the start and {} ({} s) at the end",
        where,
        from,
        t[from] - t[0],
        n - 1 - to,
        t[n - 1] - t[to]);
    return demo.slice(from, to + 1);
  }

  /** Speed from sample i to the first sample at least w later (or the last sample) [units/s]. */
  private static double forwardSpeed(double[] t, double[][] y, int i, double w) {
    int j = i + 1;
    while (j < t.length - 1 && t[j] - t[i] < w - WINDOW_SLACK) {
      j++;
    }
    return distance(y[i], y[j]) / (t[j] - t[i]);
  }

  /** Speed from the last sample at least w before sample i (or the first sample) to i. */
  private static double backwardSpeed(double[] t, double[][] y, int i, double w) {
    int j = i - 1;
    while (j > 0 && t[i] - t[j] < w - WINDOW_SLACK) {
      j--;
    }
    return distance(y[i], y[j]) / (t[i] - t[j]);
  }

  private static double distance(double[] a, double[] b) {
    double s = 0;
    for (int k = 0; k < a.length; k++) {
      double d = a[k] - b[k];
      s += d * d;
    }
    return Math.sqrt(s);
  }
}
