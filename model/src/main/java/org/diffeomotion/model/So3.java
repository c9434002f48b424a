package org.diffeomotion.model;

/**
 * The exact maps between unit quaternions and rotation vectors that full-pose models need
 * (DESIGN.md section 2, "Full poses"). Quaternions are stored {@code x, y, z, w} (the ROS order),
 * rotation vectors {@code r = theta * axis} [rad]. Every method writes into caller arrays at an
 * offset and allocates nothing, so it can run on the serving hot paths.
 *
 * <p>Conventions: {@code Exp(r)} is the unit quaternion of the rotation by {@code |r|} about {@code
 * r / |r|}; {@code Log} is its inverse on the hemisphere {@code w >= 0}, so {@code |Log(q)| <= pi}
 * (q and -q are the same rotation). The right Jacobian {@code J_r(r)} satisfies {@code Exp(r + dr)
 * = Exp(r) * Exp(J_r(r) dr)} to first order, so for {@code q(t) = q_g * Exp(r(t))} the body-frame
 * angular velocity is {@code omega_body = J_r(r) r'}.
 *
 * <p>Near {@code |r| = 0} every coefficient switches to its Taylor series (below {@link
 * #SERIES_ANGLE}), where the closed forms lose digits to cancellation. {@code J_r} is invertible
 * for {@code |r| < 2 pi}; at {@code |r| = pi} the Log map itself is where the hemisphere flips.
 */
public final class So3 {
  /**
   * Angle [rad] below which the Jacobian coefficients use their series: the truncation error is
   * then below theta^4 / 5040 ~ 1e-19, while the closed forms would lose ~ 2 log10(1/theta) digits.
   */
  static final double SERIES_ANGLE = 1e-3;

  private So3() {}

  /**
   * out[o..o+4) = a * b (Hamilton product; the rotation b first, then a). a and b are read before
   * out is written, so out may alias either.
   */
  public static void multiply(double[] a, int ao, double[] b, int bo, double[] out, int o) {
    double ax = a[ao], ay = a[ao + 1], az = a[ao + 2], aw = a[ao + 3];
    double bx = b[bo], by = b[bo + 1], bz = b[bo + 2], bw = b[bo + 3];
    out[o] = aw * bx + ax * bw + ay * bz - az * by;
    out[o + 1] = aw * by - ax * bz + ay * bw + az * bx;
    out[o + 2] = aw * bz + ax * by - ay * bx + az * bw;
    out[o + 3] = aw * bw - ax * bx - ay * by - az * bz;
  }

  /** out[o..o+4) = conj(a) * b, i.e. a^-1 * b for unit a. out may alias b. */
  public static void multiplyConjugate(
      double[] a, int ao, double[] b, int bo, double[] out, int o) {
    double ax = -a[ao], ay = -a[ao + 1], az = -a[ao + 2], aw = a[ao + 3];
    double bx = b[bo], by = b[bo + 1], bz = b[bo + 2], bw = b[bo + 3];
    out[o] = aw * bx + ax * bw + ay * bz - az * by;
    out[o + 1] = aw * by - ax * bz + ay * bw + az * bx;
    out[o + 2] = aw * bz + ax * by - ay * bx + az * bw;
    out[o + 3] = aw * bw - ax * bx - ay * by - az * bz;
  }

  /** |q| of the quaternion at q[o..o+4). */
  public static double norm(double[] q, int o) {
    return Math.sqrt(q[o] * q[o] + q[o + 1] * q[o + 1] + q[o + 2] * q[o + 2] + q[o + 3] * q[o + 3]);
  }

  /**
   * out[o..o+3) = Log(q) [rad] for the unit quaternion at q[qo..qo+4), on the hemisphere w >= 0 (so
   * the angle is at most pi). q is not normalised here: callers validate at the edge.
   */
  public static void log(double[] q, int qo, double[] out, int o) {
    double x = q[qo], y = q[qo + 1], z = q[qo + 2], w = q[qo + 3];
    if (w < 0) {
      x = -x;
      y = -y;
      z = -z;
      w = -w;
    }
    double n = Math.sqrt(x * x + y * y + z * z);
    // theta = 2 atan2(n, w); k = theta / n. For small n, k = (2 / w)(1 - n^2 / (3 w^2) + ...);
    // atan2 keeps full relative accuracy for every n, the series only avoids 0 / 0.
    double k = n < 1e-12 ? 2.0 / w : 2.0 * Math.atan2(n, w) / n;
    out[o] = k * x;
    out[o + 1] = k * y;
    out[o + 2] = k * z;
  }

  /** out[o..o+4) = Exp(r) for the rotation vector r[ro..ro+3) [rad]. */
  public static void exp(double[] r, int ro, double[] out, int o) {
    double rx = r[ro], ry = r[ro + 1], rz = r[ro + 2];
    double t2 = rx * rx + ry * ry + rz * rz;
    double t = Math.sqrt(t2);
    double s; // sin(t / 2) / t
    double c;
    if (t < SERIES_ANGLE) {
      s = 0.5 - t2 / 48.0 + t2 * t2 / 3840.0;
      c = 1.0 - t2 / 8.0 + t2 * t2 / 384.0;
    } else {
      s = Math.sin(0.5 * t) / t;
      c = Math.cos(0.5 * t);
    }
    out[o] = s * rx;
    out[o + 1] = s * ry;
    out[o + 2] = s * rz;
    out[o + 3] = c;
  }

  /**
   * out[o..o+3) = J_r(r) v: {@code v - (1 - cos t)/t^2 (r x v) + (t - sin t)/t^3 (r x (r x v))}, t
   * = |r|. out may alias v.
   */
  public static void rightJacobian(double[] r, int ro, double[] v, int vo, double[] out, int o) {
    double rx = r[ro], ry = r[ro + 1], rz = r[ro + 2];
    double t2 = rx * rx + ry * ry + rz * rz;
    double a;
    double b;
    if (Math.sqrt(t2) < SERIES_ANGLE) {
      a = 0.5 - t2 / 24.0 + t2 * t2 / 720.0;
      b = 1.0 / 6.0 - t2 / 120.0 + t2 * t2 / 5040.0;
    } else {
      double t = Math.sqrt(t2);
      a = (1.0 - Math.cos(t)) / t2;
      b = (t - Math.sin(t)) / (t2 * t);
    }
    combine(rx, ry, rz, v, vo, -a, b, out, o);
  }

  /**
   * out[o..o+3) = J_r(r)^-1 v: {@code v + (r x v)/2 + (1/t^2 - (1 + cos t)/(2 t sin t)) (r x (r x
   * v))}, t = |r| < 2 pi (finite at t = pi, where the coefficient is 1/pi^2). out may alias v.
   */
  public static void rightJacobianInverse(
      double[] r, int ro, double[] v, int vo, double[] out, int o) {
    double rx = r[ro], ry = r[ro + 1], rz = r[ro + 2];
    double t2 = rx * rx + ry * ry + rz * rz;
    double b;
    if (Math.sqrt(t2) < SERIES_ANGLE) {
      b = 1.0 / 12.0 + t2 / 720.0 + t2 * t2 / 30240.0;
    } else {
      double t = Math.sqrt(t2);
      // (1 + cos t) / (2 t sin t) = cot(t / 2) / (2 t): finite through t = pi.
      b = 1.0 / t2 - 1.0 / (2.0 * t * Math.tan(0.5 * t));
    }
    combine(rx, ry, rz, v, vo, 0.5, b, out, o);
  }

  /** out = v + a (r x v) + b (r x (r x v)). */
  private static void combine(
      double rx,
      double ry,
      double rz,
      double[] v,
      int vo,
      double a,
      double b,
      double[] out,
      int o) {
    double vx = v[vo], vy = v[vo + 1], vz = v[vo + 2];
    double cx = ry * vz - rz * vy;
    double cy = rz * vx - rx * vz;
    double cz = rx * vy - ry * vx;
    double ccx = ry * cz - rz * cy;
    double ccy = rz * cx - rx * cz;
    double ccz = rx * cy - ry * cx;
    out[o] = vx + a * cx + b * ccx;
    out[o + 1] = vy + a * cy + b * ccy;
    out[o + 2] = vz + a * cz + b * ccz;
  }

  /** out[o..o+3) = R(q) v, the vector v[vo..vo+3) rotated by the unit quaternion q. */
  public static void rotate(double[] q, int qo, double[] v, int vo, double[] out, int o) {
    double x = q[qo], y = q[qo + 1], z = q[qo + 2], w = q[qo + 3];
    double vx = v[vo], vy = v[vo + 1], vz = v[vo + 2];
    // v + 2 w (u x v) + 2 u x (u x v), u = (x, y, z)
    double cx = y * vz - z * vy;
    double cy = z * vx - x * vz;
    double cz = x * vy - y * vx;
    out[o] = vx + 2.0 * (w * cx + y * cz - z * cy);
    out[o + 1] = vy + 2.0 * (w * cy + z * cx - x * cz);
    out[o + 2] = vz + 2.0 * (w * cz + x * cy - y * cx);
  }

  /** The rotation angle [rad] between the unit quaternions a and b, in [0, pi]. */
  public static double angleBetween(double[] a, int ao, double[] b, int bo) {
    double dot =
        a[ao] * b[bo] + a[ao + 1] * b[bo + 1] + a[ao + 2] * b[bo + 2] + a[ao + 3] * b[bo + 3];
    // |relative vector part| via the cross terms keeps accuracy for tiny angles, where acos(dot)
    // would lose half the digits.
    double ax = a[ao], ay = a[ao + 1], az = a[ao + 2], aw = a[ao + 3];
    double bx = b[bo], by = b[bo + 1], bz = b[bo + 2], bw = b[bo + 3];
    double vx = aw * bx - ax * bw - (ay * bz - az * by);
    double vy = aw * by - ay * bw - (az * bx - ax * bz);
    double vz = aw * bz - az * bw - (ax * by - ay * bx);
    double n = Math.sqrt(vx * vx + vy * vy + vz * vz);
    return 2.0 * Math.atan2(n, Math.abs(dot));
  }
}
