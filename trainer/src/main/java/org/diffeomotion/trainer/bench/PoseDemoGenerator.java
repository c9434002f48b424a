package org.diffeomotion.trainer.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.diffeomotion.model.So3;
import org.diffeomotion.trainer.data.DemoDataException;
import org.diffeomotion.trainer.data.Demonstration;
import org.diffeomotion.trainer.data.DemonstrationSet;

/**
 * Full-pose demonstrations for the pose accuracy benchmark (BENCHMARK.md, "Poses"): each
 * handwriting demo of a shape (same paths, same human-like timing, same starts) lifted to 3-D and
 * given an orientation that turns smoothly into a common goal orientation, like a tool that tilts
 * while it pours.
 *
 * <p>Per shape (its fixed seed): a goal orientation {@code q_g} (uniformly random) and a start
 * rotation {@code R0} relative to it, by {@value #MIN_TURN_DEG}..{@value #MAX_TURN_DEG} degrees
 * about a random axis. Per demo {@code i}, with {@code s} its path fraction (arc length, 0 at the
 * start, 1 at the goal):
 *
 * <ul>
 *   <li>position {@code [x, y] / 1000} m (the stroke, ~50 mm) and {@code z = h_i sin(pi s)} with
 *       {@code h_i = 12 mm (1 + 0.1 N)}: every demo starts and ends in the plane z = 0;
 *   <li>orientation {@code q = q_g * Exp(r(s))}, {@code r(s) = (1 - s^gamma_i) r0_i + sin(pi s) (1
 *       - s) w_i + s e_i}: the start rotation {@code r0_i} is {@code R0} with its axis jittered by
 *       ~{@value #AXIS_JITTER} rad and its angle by {@value #ANGLE_CV} (relative, 1 sd); {@code
 *       gamma_i = exp(0.2 N)} makes the turn lead or lag the path; the wobble {@code w_i} (1 sd
 *       {@value #WOBBLE_RAD} rad per axis) bends the turn; the end offset {@code e_i} (1 sd {@value
 *       #END_JITTER_DEG} degrees per axis) is how far a human's final orientation misses the common
 *       one.
 * </ul>
 *
 * <p>States are {@code x, y, z, qx, qy, qz, qw} ([m], unit quaternion), the layout {@code diffeo
 * train --pose} reads from a PoseStamped bag.
 */
public final class PoseDemoGenerator {
  static final double MIN_TURN_DEG = 60;
  static final double MAX_TURN_DEG = 120;
  static final double AXIS_JITTER = 0.08;
  static final double ANGLE_CV = 0.07;
  static final double WOBBLE_RAD = 0.06;
  static final double END_JITTER_DEG = 0.4;
  static final double LIFT_M = 0.012;

  /** Names and units of the generated states. */
  public static final List<String> NAMES = List.of("x", "y", "z", "qx", "qy", "qz", "qw");

  public static final List<String> UNITS = List.of("m", "m", "m", "", "", "", "");

  private PoseDemoGenerator() {}

  /** The pose demonstrations of a (single-stroke or multi-stroke) benchmark shape. */
  public static DemonstrationSet generate(BenchmarkShape shape) {
    DemonstrationSet planar = HandwritingBenchmark.demonstrations(shape);
    Random rnd = new Random(shape.seed() * 7919L + 12);
    double[] goalQ =
        normalised(rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian());
    double[] axis = unit(rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian());
    double turn = Math.toRadians(MIN_TURN_DEG + (MAX_TURN_DEG - MIN_TURN_DEG) * rnd.nextDouble());
    List<Demonstration> out = new ArrayList<>();
    for (int i = 0; i < planar.size(); i++) {
      Demonstration d = planar.demo(i);
      double[] ax =
          unit(
              axis[0] + AXIS_JITTER * rnd.nextGaussian(),
              axis[1] + AXIS_JITTER * rnd.nextGaussian(),
              axis[2] + AXIS_JITTER * rnd.nextGaussian());
      double angle = turn * (1 + ANGLE_CV * rnd.nextGaussian());
      double[] r0 = {angle * ax[0], angle * ax[1], angle * ax[2]};
      double gamma = Math.exp(0.2 * rnd.nextGaussian());
      double[] w = {
        WOBBLE_RAD * rnd.nextGaussian(),
        WOBBLE_RAD * rnd.nextGaussian(),
        WOBBLE_RAD * rnd.nextGaussian()
      };
      double ej = Math.toRadians(END_JITTER_DEG);
      double[] e = {ej * rnd.nextGaussian(), ej * rnd.nextGaussian(), ej * rnd.nextGaussian()};
      double h = LIFT_M * (1 + 0.1 * rnd.nextGaussian());
      double[][] y2 = d.states();
      int n = y2.length;
      double[] s = pathFraction(y2);
      double[][] y = new double[n][7];
      double[] r = new double[3];
      double[] q = new double[4];
      for (int j = 0; j < n; j++) {
        double lead = 1 - Math.pow(s[j], gamma);
        double bend = Math.sin(Math.PI * s[j]) * (1 - s[j]);
        for (int k = 0; k < 3; k++) {
          r[k] = lead * r0[k] + bend * w[k] + s[j] * e[k];
        }
        So3.exp(r, 0, q, 0);
        So3.multiply(goalQ, 0, q, 0, y[j], 3);
        y[j][0] = y2[j][0] / 1000;
        y[j][1] = y2[j][1] / 1000;
        y[j][2] = h * Math.sin(Math.PI * s[j]);
      }
      out.add(new Demonstration(d.name(), d.source() + " lifted to a pose", d.times(), y));
    }
    try {
      return DemonstrationSet.of(
          out, NAMES, UNITS, "bench", planar.source() + ", as poses (PoseDemoGenerator)");
    } catch (DemoDataException ex) {
      throw new IllegalStateException("generated pose demos are invalid: " + ex.getMessage(), ex);
    }
  }

  /** Arc-length fraction of each sample of a planar path (0 at the first, 1 at the last). */
  static double[] pathFraction(double[][] y) {
    double[] s = new double[y.length];
    for (int j = 1; j < y.length; j++) {
      s[j] = s[j - 1] + Math.hypot(y[j][0] - y[j - 1][0], y[j][1] - y[j - 1][1]);
    }
    double total = s[y.length - 1];
    for (int j = 0; j < y.length; j++) {
      s[j] = total > 0 ? s[j] / total : (double) j / (y.length - 1);
    }
    s[y.length - 1] = 1;
    return s;
  }

  private static double[] unit(double x, double y, double z) {
    double n = Math.sqrt(x * x + y * y + z * z);
    return new double[] {x / n, y / n, z / n};
  }

  private static double[] normalised(double x, double y, double z, double w) {
    double n = Math.sqrt(x * x + y * y + z * z + w * w);
    return new double[] {x / n, y / n, z / n, w / n};
  }
}
