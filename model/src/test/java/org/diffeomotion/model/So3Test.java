package org.diffeomotion.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The exact SO(3) maps of full-pose models: round trips, Jacobians, the edges |r| = 0 and pi. */
class So3Test {
  static final long SEED = 20261202L;

  static double[] randomAxis(Random rnd) {
    double[] a = {rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()};
    double n = Math.sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
    return new double[] {a[0] / n, a[1] / n, a[2] / n};
  }

  static double[] scaled(double[] v, double s) {
    return new double[] {v[0] * s, v[1] * s, v[2] * s};
  }

  static double[] exp(double[] r) {
    double[] q = new double[4];
    So3.exp(r, 0, q, 0);
    return q;
  }

  static double[] log(double[] q) {
    double[] r = new double[3];
    So3.log(q, 0, r, 0);
    return r;
  }

  static double maxAbsDiff(double[] a, double[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }

  /** Angles from 0 through the series switch to just below pi. */
  static final double[] ANGLES = {
    0, 1e-14, 1e-9, 1e-6, 0.999e-3, 1.001e-3, 0.01, 0.5, 1, 2, 3, Math.PI - 1e-6, Math.PI - 1e-9
  };

  @Test
  void logInvertsExpToRoundingForEveryAngleBelowPi() {
    Random rnd = new Random(SEED);
    for (double t : ANGLES) {
      for (int k = 0; k < 20; k++) {
        double[] r = scaled(randomAxis(rnd), t);
        double[] back = log(exp(r));
        assertTrue(
            maxAbsDiff(r, back) <= 1e-12 * Math.max(1, t),
            "seed " + SEED + " angle " + t + ": Log(Exp(r)) - r = " + maxAbsDiff(r, back));
        assertEquals(1.0, So3.norm(exp(r), 0), 1e-15, "Exp(r) is a unit quaternion");
      }
    }
  }

  @Test
  void expInvertsLogUpToTheSignOfTheQuaternion() {
    Random rnd = new Random(SEED + 1);
    for (int k = 0; k < 500; k++) {
      double[] q = {rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()};
      double n = So3.norm(q, 0);
      for (int i = 0; i < 4; i++) {
        q[i] /= n;
      }
      double[] r = log(q);
      double angle = Math.sqrt(r[0] * r[0] + r[1] * r[1] + r[2] * r[2]);
      assertTrue(angle <= Math.PI + 1e-15, "hemisphere w >= 0 gives |r| <= pi, got " + angle);
      double[] back = exp(r);
      double sign = q[3] < 0 ? -1 : 1;
      for (int i = 0; i < 4; i++) {
        assertEquals(sign * q[i], back[i], 1e-12, "seed " + (SEED + 1) + " sample " + k);
      }
    }
  }

  @Test
  void nearHalfTurnTheHemisphereChoiceKeepsTheAngleAtMostPi() {
    double[] axis = {0, 0, 1};
    // w slightly negative: the same rotation as w slightly positive about the flipped axis.
    double[] q = {0, 0, Math.cos(1e-7), -Math.sin(1e-7)};
    double[] r = log(q);
    assertEquals(-(Math.PI - 2e-7), r[2], 1e-12, "turned to the hemisphere w >= 0");
    double[] exactHalfTurn = log(new double[] {axis[0], axis[1], axis[2], 0});
    assertEquals(Math.PI, exactHalfTurn[2], 1e-15);
  }

  @Test
  void rightJacobianMatchesFiniteDifferencesOfExp() {
    Random rnd = new Random(SEED + 2);
    double h = 1e-6;
    for (double t : ANGLES) {
      double[] r = scaled(randomAxis(rnd), t);
      double[] qr = exp(r);
      for (int i = 0; i < 3; i++) {
        // Exp(r)^-1 Exp(r + h e_i) = Exp(J_r(r) h e_i) + O(h^2): compare its Log over h with
        // J_r e_i by central differences.
        double[] rp = r.clone();
        double[] rm = r.clone();
        rp[i] += h;
        rm[i] -= h;
        double[] dp = new double[4];
        double[] dm = new double[4];
        So3.multiplyConjugate(qr, 0, exp(rp), 0, dp, 0);
        So3.multiplyConjugate(qr, 0, exp(rm), 0, dm, 0);
        double[] lp = log(dp);
        double[] lm = log(dm);
        double[] e = new double[3];
        e[i] = 1;
        double[] col = new double[3];
        So3.rightJacobian(r, 0, e, 0, col, 0);
        for (int k = 0; k < 3; k++) {
          double fd = (lp[k] - lm[k]) / (2 * h);
          assertEquals(
              fd,
              col[k],
              1e-8,
              "seed " + (SEED + 2) + " angle " + t + " column " + i + " row " + k);
        }
      }
    }
  }

  @Test
  void inverseRightJacobianInvertsItUpToPi() {
    Random rnd = new Random(SEED + 3);
    for (double t : ANGLES) {
      double[] r = scaled(randomAxis(rnd), t);
      double[] v = {rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()};
      double[] jv = new double[3];
      So3.rightJacobian(r, 0, v, 0, jv, 0);
      double[] back = new double[3];
      So3.rightJacobianInverse(r, 0, jv, 0, back, 0);
      assertTrue(
          maxAbsDiff(v, back) <= 1e-12,
          "seed " + (SEED + 3) + " angle " + t + ": J^-1 J v - v = " + maxAbsDiff(v, back));
    }
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.9999e-3, 1.0001e-3})
  void seriesAndClosedFormsAgreeAtTheSwitch(double t) {
    // Both sides of SERIES_ANGLE give the same J_r to 1e-15: no step where the branch changes.
    double[] r = {t, 0, 0};
    double[] r2 = {0, t, 0};
    double[] v = {0.3, -0.7, 0.2};
    double[] a = new double[3];
    double[] b = new double[3];
    So3.rightJacobian(r, 0, v, 0, a, 0);
    double tt = t;
    double ca = (1 - Math.cos(tt)) / (tt * tt);
    double cb = (tt - Math.sin(tt)) / (tt * tt * tt);
    // r = (t, 0, 0): r x v = (0, -t vz, t vy); r x (r x v) = (0, -t^2 vy, -t^2 vz).
    assertEquals(v[1] + ca * t * v[2] - cb * t * t * v[1], a[1], 1e-13);
    assertEquals(v[2] - ca * t * v[1] - cb * t * t * v[2], a[2], 1e-13);
    So3.rightJacobian(r2, 0, v, 0, b, 0);
    assertEquals(v[1], b[1], 0, "the axis component is unchanged");
  }

  @Test
  void rotateMatchesTheQuaternionSandwich() {
    Random rnd = new Random(SEED + 4);
    for (int k = 0; k < 100; k++) {
      double[] q = exp(scaled(randomAxis(rnd), 3 * rnd.nextDouble()));
      double[] v = {rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()};
      double[] out = new double[3];
      So3.rotate(q, 0, v, 0, out, 0);
      double[] pv = {v[0], v[1], v[2], 0};
      double[] t = new double[4];
      So3.multiply(q, 0, pv, 0, t, 0);
      double[] qc = {-q[0], -q[1], -q[2], q[3]};
      So3.multiply(t, 0, qc, 0, t, 0);
      for (int i = 0; i < 3; i++) {
        assertEquals(t[i], out[i], 1e-14, "seed " + (SEED + 4));
      }
    }
  }

  @Test
  void angleBetweenIsAccurateForTinyAndLargeAngles() {
    double[] a = exp(new double[] {0.1, 0.2, -0.3});
    for (double t : new double[] {1e-12, 1e-8, 0.3, 3.0}) {
      double[] d = exp(new double[] {0, 0, t});
      double[] b = new double[4];
      So3.multiply(a, 0, d, 0, b, 0);
      assertEquals(t, So3.angleBetween(a, 0, b, 0), 1e-15 + 1e-12 * t, "angle " + t);
      for (int i = 0; i < 4; i++) {
        b[i] = -b[i];
      }
      assertEquals(t, So3.angleBetween(a, 0, b, 0), 1e-15 + 1e-12 * t, "-q is the same rotation");
    }
  }
}
