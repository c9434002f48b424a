package org.diffeomotion.trainer.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import org.diffeomotion.trainer.data.DemonstrationSet;
import org.diffeomotion.trainer.data.PreparedData;
import org.diffeomotion.trainer.eval.DemoMetrics;
import org.diffeomotion.trainer.eval.Evaluation;
import org.diffeomotion.trainer.eval.PoseMetrics;
import org.diffeomotion.trainer.eval.Split;

/** Terminal output shared by the commands. */
final class Commands {

  private Commands() {}

  static void printData(PrintWriter o, DemonstrationSet set, PreparedData d, boolean split) {
    o.printf(
        Locale.ROOT,
        "data: %d demos, %d samples from %s%n",
        d.demoCount(),
        set.sampleCount(),
        set.source());
    o.printf(
        Locale.ROOT,
        "  dims %s%s, goal %s (end-point spread max %.3g, rms %.3g), sigma %s, tau %.4g s%n",
        dims(d.dimensionNames(), d.units()),
        d.frameId().isEmpty() ? "" : " in frame '" + d.frameId() + "'",
        vec(d.goal()),
        d.goalSpreadMax(),
        d.goalSpreadRms(),
        vec(d.scale()),
        d.timeScale());
    if (d.isPose()) {
      double[] q = d.goalOrientation();
      o.printf(
          Locale.ROOT,
          "  full poses: goal orientation (x y z w) %s (Karcher mean of the end orientations);"
              + " position spread max %.3g mm, rms %.3g mm; orientation spread max %.3g°,"
              + " rms %.3g°%n",
          vec(q),
          1e3 * d.goalSpreadMax(),
          1e3 * d.goalSpreadRms(),
          Math.toDegrees(d.rotationSpreadMax()),
          Math.toDegrees(d.rotationSpreadRms()));
    }
    if (split) {
      o.printf(
          Locale.ROOT,
          "  %d training, %d held out%s; data hash sha256:%s%n",
          d.trainIndices().length,
          d.validationIndices().length,
          names(d, d.validationIndices()),
          d.dataHash());
    } else {
      o.printf(Locale.ROOT, "  data hash sha256:%s%n", d.dataHash());
    }
  }

  static void printMetrics(PrintWriter o, Evaluation ev, List<String> units) {
    String u = unit(units);
    int w = 12;
    for (DemoMetrics m : ev.demos()) {
      w = Math.max(w, m.name().length());
    }
    o.printf(
        Locale.ROOT, "metrics (closed-form rollout from each demo's start; distances in %s):%n", u);
    o.printf(
        Locale.ROOT,
        "  %-" + w + "s  %-10s  %10s  %10s  %10s  %10s%n",
        "demo",
        "split",
        "RMSE",
        "DTW",
        "final-goal",
        "max-dev");
    for (DemoMetrics m : ev.demos()) {
      o.printf(
          Locale.ROOT,
          "  %-" + w + "s  %-10s  %10.4g  %10.4g  %10.4g  %10.4g%n",
          m.name(),
          m.split().label(),
          m.rmse(),
          m.dtw(),
          m.finalGoalDistance(),
          m.maxDeviation());
    }
    for (Split s : Split.values()) {
      Evaluation.Summary sm = ev.summary(s);
      if (sm != null) {
        o.printf(
            Locale.ROOT,
            "  %-" + w + "s  %-10s  %10.4g  %10.4g  %10.4g  %10.4g%n",
            "mean (" + sm.demos() + ")",
            s.label(),
            Math.sqrt(sm.mse()),
            sm.dtw(),
            sm.finalGoalDistance(),
            sm.maxDeviation());
      }
    }
    o.flush();
  }

  /**
   * Full-pose models: per demo the position DTW [mm] and the orientation error [deg], mean and max
   * at the points the position DTW matches ({@link PoseMetrics}), and the means per split.
   */
  static void printPoseMetrics(PrintWriter o, Evaluation ev) {
    int w = 12;
    for (DemoMetrics m : ev.demos()) {
      w = Math.max(w, m.name().length());
    }
    o.printf(
        Locale.ROOT, "pose metrics (position DTW; orientation error at the points it matches):%n");
    String fmt = "  %-" + w + "s  %-10s  %12s  %13s  %12s%n";
    String num = "  %-" + w + "s  %-10s  %12.4g  %13.4g  %12.4g%n";
    o.printf(Locale.ROOT, fmt, "demo", "split", "pos-DTW[mm]", "orient-mean[°]", "orient-max[°]");
    java.util.Map<Split, double[]> sums = new java.util.EnumMap<>(Split.class);
    for (DemoMetrics m : ev.demos()) {
      PoseMetrics p = PoseMetrics.of(m);
      o.printf(
          Locale.ROOT,
          num,
          m.name(),
          m.split().label(),
          1e3 * p.positionDtw(),
          Math.toDegrees(p.orientationMean()),
          Math.toDegrees(p.orientationMax()));
      double[] s = sums.computeIfAbsent(m.split(), k -> new double[4]);
      s[0] += p.positionDtw();
      s[1] += p.orientationMean();
      s[2] = Math.max(s[2], p.orientationMax());
      s[3]++;
    }
    for (java.util.Map.Entry<Split, double[]> e : sums.entrySet()) {
      double[] s = e.getValue();
      o.printf(
          Locale.ROOT,
          num,
          "mean (" + (int) s[3] + ")",
          e.getKey().label(),
          1e3 * s[0] / s[3],
          Math.toDegrees(s[1] / s[3]),
          Math.toDegrees(s[2]));
    }
    o.flush();
  }

  private static String names(PreparedData d, int[] idx) {
    if (idx.length == 0) {
      return "";
    }
    StringBuilder s = new StringBuilder(" (");
    for (int i = 0; i < idx.length; i++) {
      s.append(i > 0 ? ", " : "").append(d.demoNames().get(idx[i]));
    }
    return s.append(')').toString();
  }

  static String unit(List<String> units) {
    String first = units.isEmpty() ? "" : units.get(0);
    for (String x : units) {
      if (!x.equals(first)) {
        return "state units";
      }
    }
    return first.isEmpty() ? "state units" : first;
  }

  static String dims(List<String> names, List<String> units) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < names.size(); i++) {
      s.append(i > 0 ? "," : "").append(names.get(i));
      if (!units.get(i).isEmpty()) {
        s.append('[').append(units.get(i)).append(']');
      }
    }
    return s.toString();
  }

  static String vec(double[] v) {
    StringBuilder s = new StringBuilder("(");
    for (int i = 0; i < v.length; i++) {
      s.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.5g", v[i]));
    }
    return s.append(')').toString();
  }
}
