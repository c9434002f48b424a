package org.diffeomotion.trainer.eval;

import java.util.ArrayList;
import java.util.List;
import org.diffeomotion.trainer.data.PreparedData;

/**
 * Whether the held-out demos test interpolation or extrapolation. The coupling flow is only
 * constrained near the training demos; away from them the learned motion is still stable (it ends
 * at the goal) but its path is arbitrary, so a held-out demo that starts far from every training
 * start measures extrapolation, and its error says little about the fit.
 *
 * <p>Criterion, in normalised coordinates z = (y - g) / sigma (so dimensions are comparable): a
 * held-out start is <em>far</em> when its distance to the nearest training start is larger than the
 * largest nearest-neighbour distance among the training starts (the widest gap the training starts
 * leave). Needs at least two training demos.
 */
public final class Coverage {

  private Coverage() {}

  /**
   * One held-out demo that starts far from the training starts.
   *
   * @param name the held-out demo.
   * @param nearest the nearest training demo.
   * @param distance its distance to the nearest training start [normalised units].
   * @param spacing the largest nearest-neighbour distance among the training starts [normalised
   *     units].
   */
  public record FarStart(String name, String nearest, double distance, double spacing) {
    /** A sentence for the terminal and the report. */
    public String describe() {
      return String.format(
          java.util.Locale.ROOT,
          "held-out demo %s starts %.3g (normalised) from the nearest "
              + "training start (%s), more than the widest gap between training starts (%.3g): its error "
              + "measures extrapolation",
          name,
          distance,
          nearest,
          spacing);
    }
  }

  /**
   * The held-out demos of data that start far from every training start (empty: none, or no split).
   */
  public static List<FarStart> farHeldOutStarts(PreparedData data) {
    int[] train = data.trainIndices();
    int[] val = data.validationIndices();
    List<FarStart> out = new ArrayList<>();
    if (train.length < 2 || val.length == 0) {
      return out;
    }
    double spacing = 0;
    for (int i : train) {
      double nn = Double.POSITIVE_INFINITY;
      for (int j : train) {
        if (i != j) {
          nn = Math.min(nn, distance(data, i, j));
        }
      }
      spacing = Math.max(spacing, nn);
    }
    for (int v : val) {
      double best = Double.POSITIVE_INFINITY;
      int at = -1;
      for (int j : train) {
        double dist = distance(data, v, j);
        if (dist < best) {
          best = dist;
          at = j;
        }
      }
      if (best > spacing) {
        out.add(new FarStart(data.demoNames().get(v), data.demoNames().get(at), best, spacing));
      }
    }
    return out;
  }

  /**
   * Per held-out demo of data (by name): "held out, interpolation" or "held out, extrapolation"
   * (its start is far by {@link #farHeldOutStarts}); empty without a split.
   */
  public static java.util.Map<String, String> heldOutLabels(PreparedData data) {
    java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
    java.util.Set<String> far = new java.util.HashSet<>();
    for (FarStart f : farHeldOutStarts(data)) {
      far.add(f.name());
    }
    for (int v : data.validationIndices()) {
      String name = data.demoNames().get(v);
      out.put(name, far.contains(name) ? "held out, extrapolation" : "held out, interpolation");
    }
    return out;
  }

  /** Distance between the starts of demos i and j in normalised coordinates. */
  private static double distance(PreparedData data, int i, int j) {
    double[] a = data.states(i)[0];
    double[] b = data.states(j)[0];
    double[] sigma = data.scale();
    double s = 0;
    for (int k = 0; k < a.length; k++) {
      double e = (a[k] - b[k]) / sigma[k];
      s += e * e;
    }
    return Math.sqrt(s);
  }
}
