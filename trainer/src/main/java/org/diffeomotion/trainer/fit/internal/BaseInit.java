package org.diffeomotion.trainer.fit.internal;

import java.util.List;
import org.diffeomotion.trainer.fit.Demo;
import org.diffeomotion.trainer.fit.TrainingSet;

/**
 * Initial frequencies of the base's oscillatory modes. The coupling flow starts as the identity, so
 * the untrained model is the base itself: a base that already turns the way the demos turn around
 * the goal, at about their pace, leaves F only the shape to learn. A base turning the other way
 * would have to be unwound by F, which a smooth flow can only do by folding the paths tightly
 * around the goal.
 */
public final class BaseInit {

  private BaseInit() {}

  /**
   * Per oscillatory mode j (dimensions 2j, 2j+1): the mean over demos of the signed angle the demo
   * sweeps around the goal in that plane, divided by the median duration. 0 for a plane that holds
   * an augmentation dimension (the demos do not move there).
   *
   * @param demos training demos (normalised). Not modified.
   * @param modes number of oscillatory modes.
   * @param medianDuration median demo duration [normalised time], > 0.
   * @return the frequencies [rad per normalised time], length modes.
   */
  public static double[] omegaFromDemos(List<Demo> demos, int modes, double medianDuration) {
    double[] omega = new double[modes];
    for (int j = 0; j < modes; j++) {
      int a = 2 * j;
      int b = 2 * j + 1;
      double sum = 0;
      int n = 0;
      for (Demo d : demos) {
        double[][] z = d.z();
        if (b >= z[0].length) {
          continue;
        }
        sum += sweptAngle(z, a, b);
        n++;
      }
      omega[j] = n == 0 ? 0.0 : sum / n / medianDuration;
    }
    return omega;
  }

  /**
   * The signed angle [rad] that the path z[i][a..b] sweeps around the origin: the sum of the angles
   * between consecutive points (counter-clockwise positive), skipping points at the origin itself
   * (the angle is undefined there).
   */
  static double sweptAngle(double[][] z, int a, int b) {
    double total = 0;
    double px = z[0][a];
    double py = z[0][b];
    for (int i = 1; i < z.length; i++) {
      double x = z[i][a];
      double y = z[i][b];
      if (x * x + y * y < 1e-18) {
        continue;
      }
      if (px * px + py * py >= 1e-18) {
        total += Math.atan2(px * y - py * x, px * x + py * y);
      }
      px = x;
      py = y;
    }
    return total;
  }

  /**
   * The extent of normalised demos in the data's units: the largest distance of a sample from the
   * goal (the normalised origin), |sigma * z|.
   */
  public static double extent(List<Demo> demos, double[] sigma) {
    double extent = 0;
    for (Demo dm : demos) {
      for (double[] z : dm.z()) {
        double r2 = 0;
        for (int k = 0; k < z.length; k++) {
          double e = sigma[k] * z[k];
          r2 += e * e;
        }
        extent = Math.max(extent, Math.sqrt(r2));
      }
    }
    return extent;
  }

  /** The fixed spread of the options' {@code initOmega}: mode j gets omega (j + 1) / modes. */
  public static double[] spread(double omega, int modes) {
    double[] out = new double[modes];
    for (int j = 0; j < modes; j++) {
      out[j] = omega * (j + 1.0) / modes;
    }
    return out;
  }

  /**
   * Automatic feature scale = FEATURE_SPACING / (mean nearest-neighbour start distance / extent),
   * clamped.
   */
  public static final double FEATURE_SPACING = 0.25;

  public static final double MIN_FEATURE_SCALE = 1.0;
  public static final double MAX_FEATURE_SCALE = 8.0;

  /**
   * The automatic first-layer feature scale (TrainOptions.featureScale NaN): sharp features where
   * the training demos start close together, smooth ones where they are far apart. Features much
   * finer than the spacing of the demos are not pinned down by them: between two demos far apart a
   * sharp net wanders (measured on the sample bag: a held-out demo between its neighbours had 4.9
   * mm DTW at scale 1, 20 mm at 8), while close demos with sharp turns need sharp features to be
   * fitted at all (handwriting benchmark). The spacing is the mean distance from each training
   * start to its nearest other start, relative to the extent (the largest distance of a sample from
   * the goal), in the data's units; scale = {@value #FEATURE_SPACING} / spacing, clamped to
   * [{@value #MIN_FEATURE_SCALE}, {@value #MAX_FEATURE_SCALE}]; a single demo gets the largest.
   */
  public static double featureScale(TrainingSet data) {
    double spacing = startSpacing(data);
    if (Double.isNaN(spacing)) {
      return MAX_FEATURE_SCALE;
    }
    double scale = spacing > 0 ? FEATURE_SPACING / spacing : MAX_FEATURE_SCALE;
    return Math.max(MIN_FEATURE_SCALE, Math.min(MAX_FEATURE_SCALE, scale));
  }

  /**
   * The mean distance from each training demo's start to its nearest other start, over the extent
   * (the largest distance of a training sample from the goal), in the data's units; NaN for fewer
   * than two demos or a zero extent. About 0.01-0.06 on the handwriting benchmark, 0.35 on the
   * sample bag (trainer/BENCHMARK.md).
   */
  public static double startSpacing(TrainingSet data) {
    List<Demo> demos = data.train();
    double[] sigma = data.scale();
    int d = data.stateDim();
    double extent = extent(demos, sigma);
    if (demos.size() < 2 || !(extent > 0)) {
      return Double.NaN;
    }
    double sum = 0;
    for (int i = 0; i < demos.size(); i++) {
      double nn = Double.POSITIVE_INFINITY;
      for (int j = 0; j < demos.size(); j++) {
        if (i != j) {
          double r2 = 0;
          for (int k = 0; k < d; k++) {
            double e = sigma[k] * (demos.get(i).z()[0][k] - demos.get(j).z()[0][k]);
            r2 += e * e;
          }
          nn = Math.min(nn, Math.sqrt(r2));
        }
      }
      sum += nn;
    }
    return sum / demos.size() / extent;
  }
}
