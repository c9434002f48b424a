package org.diffeomotion.trainer.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.diffeomotion.model.PoseMap;
import org.diffeomotion.model.So3;

/**
 * The pose step of reading full-pose demonstrations (DESIGN.md §2, "Full poses"), between the bag
 * reader's raw samples {@code [x, y, z, qx, qy, qz, qw]} and the ordinary preprocessing:
 *
 * <ol>
 *   <li>{@link #cleanQuaternions}: every quaternion finite and of norm within {@link
 *       PoseMap#MAX_NORM_ERROR} of 1 (otherwise refused, naming the demo, the sample and the
 *       field), then normalised; within a demo each sample takes the sign (q or −q, the same
 *       orientation) closest to the previous sample's, so the components are continuous in time.
 *   <li>{@link #toRotationVectors}: the goal orientation q_g is the geodesic (Karcher) mean on
 *       SO(3) of the demos' end orientations ({@link #karcherMean}); each sample becomes {@code r =
 *       Log(q_g⁻¹ ⊗ q)} [rad], the rotation vector relative to the goal. A demo with a sample
 *       turned more than {@link #MAX_ROTATION_FROM_GOAL} (0.9 π) from the goal is refused: at |r| =
 *       π the rotation vector jumps (a half turn about n and about −n are the same orientation), so
 *       no continuous field can follow a demo there.
 * </ol>
 *
 * The result is an ordinary 6-D set with dimensions {@link #NAMES} in {@link #UNITS}; the
 * Preprocessor treats it like any other set (it reports the end-point spread of the position and
 * rotation dimensions separately).
 */
public final class PoseDemos {

  /** Dimension names of a full-pose set: position, then rotation vector. */
  public static final List<String> NAMES = List.of("x", "y", "z", "r_x", "r_y", "r_z");

  /** Units of a full-pose set. */
  public static final List<String> UNITS = List.of("m", "m", "m", "rad", "rad", "rad");

  /** State indices of the position and of the rotation vector in a full-pose set. */
  public static final int[] POSITION_DIMS = {0, 1, 2};

  public static final int[] ROTATION_DIMS = {3, 4, 5};

  /**
   * Largest accepted rotation of any sample from the goal orientation, 0.9 π [rad] (162°). The
   * field is continuous only for |r| &lt; π; beyond this limit a demo risks crossing the half turn,
   * and what a model learns there is not what was shown.
   */
  public static final double MAX_ROTATION_FROM_GOAL = 0.9 * Math.PI;

  /** The Karcher iteration stops when its step is below this [rad]. */
  static final double KARCHER_TOLERANCE = 1e-15;

  /** Most Karcher iterations; from the normalised-sum start a handful suffice. */
  static final int KARCHER_MAX_ITERATIONS = 200;

  private PoseDemos() {}

  /**
   * Checks, normalises and sign-aligns the quaternions of raw pose demos.
   *
   * @param raw demos with samples {@code [x, y, z, qx, qy, qz, qw]}. Not modified.
   * @param field the message field of the orientation, for error messages (e.g. {@code
   *     pose.orientation})
   * @return new demos with unit quaternions whose sign is continuous within each demo
   * @throws DemoDataException naming the demo, the sample index and time and the field when a
   *     quaternion has a non-finite component or a norm not within {@link PoseMap#MAX_NORM_ERROR}
   *     of 1
   */
  public static List<Demonstration> cleanQuaternions(List<Demonstration> raw, String field)
      throws DemoDataException {
    List<Demonstration> out = new ArrayList<>(raw.size());
    for (int i = 0; i < raw.size(); i++) {
      Demonstration demo = raw.get(i);
      double[][] y = demo.statesView();
      double[] t = demo.timesView();
      double[][] clean = new double[y.length][];
      for (int j = 0; j < y.length; j++) {
        if (y[j].length != PoseMap.POSE_LENGTH) {
          throw new IllegalArgumentException(
              "pose samples have " + PoseMap.POSE_LENGTH + " entries, got " + y[j].length);
        }
        String why = PoseMap.checkQuaternion(field, y[j], 3);
        if (why != null) {
          throw new DemoDataException(
              where(demo, i).withField(field), "sample " + j + " (t = " + t[j] + " s): " + why);
        }
        double[] s = y[j].clone();
        double n = So3.norm(s, 3);
        double sign = 1.0;
        if (j > 0) {
          double[] p = clean[j - 1];
          double dot = p[3] * s[3] + p[4] * s[4] + p[5] * s[5] + p[6] * s[6];
          sign = dot < 0 ? -1.0 : 1.0;
        }
        for (int k = 3; k < 7; k++) {
          s[k] = sign * s[k] / n;
        }
        clean[j] = s;
      }
      out.add(new Demonstration(demo.name(), demo.source(), t, clean));
    }
    return out;
  }

  /**
   * Turns a set of cleaned raw poses ({@link #cleanQuaternions}) into a full-pose set.
   *
   * @param raw dimensions {@code x, y, z, qx, qy, qz, qw}, unit quaternions. Not modified.
   * @param field the message field of the orientation, for error messages
   * @return the set in {@link #NAMES}, with {@link DemonstrationSet#goalOrientation()} = the
   *     Karcher mean of the end orientations
   * @throws DemoDataException if a sample is more than {@link #MAX_ROTATION_FROM_GOAL} from the
   *     goal orientation (naming the demo, sample and angle), or the end orientations have no
   *     well-defined mean
   */
  public static DemonstrationSet toRotationVectors(DemonstrationSet raw, String field)
      throws DemoDataException {
    int m = raw.size();
    double[][] ends = new double[m][4];
    for (int i = 0; i < m; i++) {
      double[][] y = raw.demo(i).statesView();
      System.arraycopy(y[y.length - 1], 3, ends[i], 0, 4);
    }
    double[] goal = karcherMean(ends);
    if (goal == null) {
      throw new DemoDataException(
          DataLocation.of(raw.source()).withField(field),
          "the demonstrations' end orientations have no well-defined mean (the geodesic mean"
              + " iteration does not converge: they are spread over most of the rotations); the"
              + " demos do not end at a common goal pose");
    }
    List<Demonstration> out = new ArrayList<>(m);
    double[] q = new double[4];
    for (int i = 0; i < m; i++) {
      Demonstration demo = raw.demo(i);
      double[][] y = demo.statesView();
      double[] t = demo.timesView();
      double[][] s = new double[y.length][6];
      for (int j = 0; j < y.length; j++) {
        System.arraycopy(y[j], 0, s[j], 0, 3);
        So3.multiplyConjugate(goal, 0, y[j], 3, q, 0);
        So3.log(q, 0, s[j], 3);
        double angle = Math.sqrt(s[j][3] * s[j][3] + s[j][4] * s[j][4] + s[j][5] * s[j][5]);
        if (!(angle <= MAX_ROTATION_FROM_GOAL)) {
          throw new DemoDataException(
              where(demo, i).withField(field),
              String.format(
                  Locale.ROOT,
                  "sample %d (t = %s s) is turned %.1f° from the goal orientation (the mean end"
                      + " orientation, x y z w %s); at most %.0f° is accepted: the rotation vector"
                      + " is discontinuous at 180°, so no continuous motion field can follow a demo"
                      + " there. Check the demo (a flip of the tool, a wrong frame?) or teach it"
                      + " with a goal orientation nearer its path",
                  j,
                  t[j],
                  Math.toDegrees(angle),
                  java.util.Arrays.toString(goal),
                  Math.toDegrees(MAX_ROTATION_FROM_GOAL)));
        }
      }
      out.add(new Demonstration(demo.name(), demo.source(), t, s));
    }
    return DemonstrationSet.of(out, NAMES, UNITS, raw.frameId(), raw.source())
        .withGoalOrientation(goal);
  }

  /**
   * A full-pose set re-expressed relative to another goal orientation (e.g. a trained model's, to
   * evaluate it on new demonstrations): each r becomes {@code Log(q⁻¹ ⊗ q_g ⊗ Exp(r))}.
   *
   * @param set a full-pose set ({@link DemonstrationSet#isPose()}). Not modified.
   * @param goalOrientation the new q_g, x, y, z, w, unit. Not modified.
   * @throws DemoDataException if a sample is more than {@link #MAX_ROTATION_FROM_GOAL} from the new
   *     goal orientation, naming the demo, sample and angle
   */
  public static DemonstrationSet relativeTo(DemonstrationSet set, double[] goalOrientation)
      throws DemoDataException {
    double[] from = set.goalOrientation();
    double[] to = goalOrientation.clone();
    double n = So3.norm(to, 0);
    for (int k = 0; k < 4; k++) {
      to[k] /= n;
    }
    if (to[3] < 0) {
      for (int k = 0; k < 4; k++) {
        to[k] = -to[k];
      }
    }
    double[] q = new double[4];
    List<Demonstration> out = new ArrayList<>(set.size());
    for (int i = 0; i < set.size(); i++) {
      Demonstration demo = set.demo(i);
      double[][] y = demo.statesView();
      double[][] s = new double[y.length][6];
      for (int j = 0; j < y.length; j++) {
        System.arraycopy(y[j], 0, s[j], 0, 3);
        So3.exp(y[j], 3, q, 0);
        So3.multiply(from, 0, q, 0, q, 0);
        So3.multiplyConjugate(to, 0, q, 0, q, 0);
        So3.log(q, 0, s[j], 3);
        double angle = Math.sqrt(s[j][3] * s[j][3] + s[j][4] * s[j][4] + s[j][5] * s[j][5]);
        if (!(angle <= MAX_ROTATION_FROM_GOAL)) {
          throw new DemoDataException(
              where(demo, i).withField("orientation"),
              String.format(
                  Locale.ROOT,
                  "sample %d (t = %s s) is turned %.1f° from the goal orientation (x y z w %s);"
                      + " at most %.0f° is accepted",
                  j,
                  demo.timesView()[j],
                  Math.toDegrees(angle),
                  java.util.Arrays.toString(to),
                  Math.toDegrees(MAX_ROTATION_FROM_GOAL)));
        }
      }
      out.add(new Demonstration(demo.name(), demo.source(), demo.timesView(), s));
    }
    return DemonstrationSet.of(out, NAMES, UNITS, set.frameId(), set.source())
        .withGoalOrientation(to);
  }

  /**
   * The geodesic (Karcher) mean on SO(3) of unit quaternions: the rotation q̄ that minimises the
   * sum of squared rotation angles to them, found by the fixed-point iteration {@code q̄ ← q̄ ⊗
   * Exp(mean_i Log(q̄⁻¹ ⊗ q_i))} from the normalised sum of the quaternions sign-aligned with the
   * first, until the step is below {@link #KARCHER_TOLERANCE} rad. At the result the mean of the
   * rotation vectors {@code Log(q̄⁻¹ ⊗ q_i)} is zero to rounding. Each q and −q count as the same
   * orientation.
   *
   * @param quats unit quaternions x, y, z, w, at least one. Not modified.
   * @return q̄ as x, y, z, w with w ≥ 0 (normalised), or null if the iteration does not settle
   *     (orientations spread over most of SO(3), where the mean is not unique)
   */
  public static double[] karcherMean(double[][] quats) {
    double[] g = new double[4];
    for (double[] q : quats) {
      double dot =
          q[0] * quats[0][0] + q[1] * quats[0][1] + q[2] * quats[0][2] + q[3] * quats[0][3];
      double sign = dot < 0 ? -1.0 : 1.0;
      for (int k = 0; k < 4; k++) {
        g[k] += sign * q[k];
      }
    }
    double n = So3.norm(g, 0);
    if (!(n > 1e-6 * quats.length)) {
      return null;
    }
    for (int k = 0; k < 4; k++) {
      g[k] /= n;
    }
    double[] rel = new double[4];
    double[] r = new double[3];
    double[] mean = new double[3];
    double[] step = new double[4];
    double last = Double.POSITIVE_INFINITY;
    for (int it = 0; it < KARCHER_MAX_ITERATIONS; it++) {
      mean[0] = mean[1] = mean[2] = 0;
      for (double[] q : quats) {
        So3.multiplyConjugate(g, 0, q, 0, rel, 0);
        So3.log(rel, 0, r, 0);
        for (int k = 0; k < 3; k++) {
          mean[k] += r[k] / quats.length;
        }
      }
      double size = Math.sqrt(mean[0] * mean[0] + mean[1] * mean[1] + mean[2] * mean[2]);
      So3.exp(mean, 0, step, 0);
      So3.multiply(g, 0, step, 0, g, 0);
      double gn = So3.norm(g, 0);
      for (int k = 0; k < 4; k++) {
        g[k] /= gn;
      }
      if (size < KARCHER_TOLERANCE) {
        last = size;
        break;
      }
      if (it > 20 && size >= last && size < 1e-12) {
        // Stalled at the rounding level of the logarithms (possible with rotations near π).
        break;
      }
      last = size;
    }
    if (!(last < 1e-12)) {
      return null;
    }
    if (g[3] < 0) {
      for (int k = 0; k < 4; k++) {
        g[k] = -g[k];
      }
    }
    return g;
  }

  private static DataLocation where(Demonstration demo, int i) {
    return DataLocation.of(demo.source()).withDemo("#" + i + " (" + demo.name() + ")");
  }
}
