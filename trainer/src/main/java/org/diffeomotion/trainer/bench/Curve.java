package org.diffeomotion.trainer.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * A planar polyline, {@code n >= 2} vertices (x[i], y[i]), with the geometric operations the
 * demonstration generator needs: joining font strokes, trimming, corner-preserving Chaikin
 * smoothing, arc-length resampling, Gaussian smoothing along the arc and curvature. Immutable:
 * every operation returns a new curve. Units are whatever the vertices are in (font units, then
 * [mm]).
 *
 * <p>Uses {@link StrictMath} so that generated data are the same bits on every JVM.
 */
final class Curve {

  private final double[] x;
  private final double[] y;

  Curve(double[] x, double[] y) {
    if (x.length != y.length || x.length < 2) {
      throw new IllegalArgumentException(
          "a curve needs >= 2 vertices and as many x as y; got "
              + x.length
              + " x and "
              + y.length
              + " y");
    }
    this.x = x.clone();
    this.y = y.clone();
  }

  /**
   * @param points {@code [n][2]}. Not modified.
   */
  static Curve of(double[][] points) {
    double[] x = new double[points.length];
    double[] y = new double[points.length];
    for (int i = 0; i < points.length; i++) {
      x[i] = points[i][0];
      y[i] = points[i][1];
    }
    return new Curve(x, y);
  }

  /**
   * Chains strokes that share end points (exactly, as font vertices do) into one polyline, in the
   * order of the first stroke, reversing strokes where needed.
   *
   * @throws IllegalArgumentException when the strokes do not form one chain
   */
  static Curve join(List<double[][]> strokes) {
    List<double[]> path = new ArrayList<>(List.of(strokes.get(0)));
    List<double[][]> rest = new ArrayList<>(strokes.subList(1, strokes.size()));
    while (!rest.isEmpty()) {
      boolean found = false;
      for (int k = 0; k < rest.size() && !found; k++) {
        double[][] s = rest.get(k);
        double[] head = path.get(0);
        double[] tail = path.get(path.size() - 1);
        if (same(s[0], tail)) {
          for (int i = 1; i < s.length; i++) {
            path.add(s[i]);
          }
        } else if (same(s[s.length - 1], tail)) {
          for (int i = s.length - 2; i >= 0; i--) {
            path.add(s[i]);
          }
        } else if (same(s[s.length - 1], head)) {
          for (int i = s.length - 2; i >= 0; i--) {
            path.add(0, s[i]);
          }
        } else if (same(s[0], head)) {
          for (int i = 1; i < s.length; i++) {
            path.add(0, s[i]);
          }
        } else {
          continue;
        }
        rest.remove(k);
        found = true;
      }
      if (!found) {
        throw new IllegalArgumentException(
            rest.size()
                + " of "
                + strokes.size()
                + " strokes share no end point with the others: they do not form one stroke");
      }
    }
    return of(path.toArray(new double[0][]));
  }

  private static boolean same(double[] a, double[] b) {
    return a[0] == b[0] && a[1] == b[1];
  }

  int size() {
    return x.length;
  }

  double x(int i) {
    return x[i];
  }

  double y(int i) {
    return y[i];
  }

  /** Row-major n x 2 copy: x0, y0, x1, y1, ... */
  double[] interleaved() {
    double[] out = new double[2 * x.length];
    for (int i = 0; i < x.length; i++) {
      out[2 * i] = x[i];
      out[2 * i + 1] = y[i];
    }
    return out;
  }

  Curve reversed() {
    int n = x.length;
    double[] rx = new double[n];
    double[] ry = new double[n];
    for (int i = 0; i < n; i++) {
      rx[i] = x[n - 1 - i];
      ry[i] = y[n - 1 - i];
    }
    return new Curve(rx, ry);
  }

  /** Cumulative arc length at every vertex, starting at 0. */
  double[] arcLengths() {
    double[] s = new double[x.length];
    for (int i = 1; i < x.length; i++) {
      s[i] = s[i - 1] + StrictMath.hypot(x[i] - x[i - 1], y[i] - y[i - 1]);
    }
    return s;
  }

  double length() {
    double[] s = arcLengths();
    return s[s.length - 1];
  }

  /** Positions at arc lengths {@code at} as {@link #sample}, row-major (x, y) pairs. */
  double[] sampleXy(double[] at) {
    double[] px = new double[at.length];
    double[] py = new double[at.length];
    sample(at, px, py);
    double[] xy = new double[2 * at.length];
    for (int j = 0; j < at.length; j++) {
      xy[2 * j] = px[j];
      xy[2 * j + 1] = py[j];
    }
    return xy;
  }

  /**
   * Positions at arc lengths {@code at} (each in [0, length], non-decreasing), by linear
   * interpolation between vertices.
   *
   * @param at arc lengths. Not modified.
   * @param outX x of each, same length. Modified.
   * @param outY y of each. Modified.
   */
  void sample(double[] at, double[] outX, double[] outY) {
    double[] s = arcLengths();
    int seg = 0;
    for (int j = 0; j < at.length; j++) {
      double a = StrictMath.min(StrictMath.max(at[j], 0.0), s[s.length - 1]);
      while (seg < s.length - 2 && s[seg + 1] < a) {
        seg++;
      }
      while (seg > 0 && s[seg] > a) {
        seg--;
      }
      double len = s[seg + 1] - s[seg];
      double f = len > 0 ? (a - s[seg]) / len : 0.0;
      outX[j] = x[seg] + f * (x[seg + 1] - x[seg]);
      outY[j] = y[seg] + f * (y[seg + 1] - y[seg]);
    }
  }

  /** The part between arc-length fractions {@code from} and {@code to} (0 <= from < to <= 1). */
  Curve trimmed(double from, double to) {
    if (!(from >= 0 && from < to && to <= 1)) {
      throw new IllegalArgumentException(
          "trim fractions must satisfy 0 <= from < to <= 1, got " + from + ", " + to);
    }
    if (from == 0 && to == 1) {
      return this;
    }
    double[] s = arcLengths();
    double total = s[s.length - 1];
    double a = from * total;
    double b = to * total;
    List<double[]> pts = new ArrayList<>();
    double[] px = new double[1];
    double[] py = new double[1];
    sample(new double[] {a}, px, py);
    pts.add(new double[] {px[0], py[0]});
    for (int i = 0; i < s.length; i++) {
      if (s[i] > a && s[i] < b) {
        pts.add(new double[] {x[i], y[i]});
      }
    }
    sample(new double[] {b}, px, py);
    pts.add(new double[] {px[0], py[0]});
    return of(pts.toArray(new double[0][]));
  }

  /**
   * Vertices resampled at (about) uniform arc-length spacing, first and last vertex kept exactly.
   */
  Curve resampled(double spacing) {
    double total = length();
    int n = (int) StrictMath.max(2, StrictMath.ceil(total / spacing) + 1);
    double[] at = new double[n];
    for (int j = 0; j < n; j++) {
      at[j] = total * j / (n - 1);
    }
    double[] rx = new double[n];
    double[] ry = new double[n];
    sample(at, rx, ry);
    rx[0] = x[0];
    ry[0] = y[0];
    rx[n - 1] = x[x.length - 1];
    ry[n - 1] = y[y.length - 1];
    return new Curve(rx, ry);
  }

  /** Turning angle at inner vertex i [rad], in [0, pi]. */
  double turningAngle(int i) {
    double ax = x[i] - x[i - 1];
    double ay = y[i] - y[i - 1];
    double bx = x[i + 1] - x[i];
    double by = y[i + 1] - y[i];
    return StrictMath.abs(StrictMath.atan2(ax * by - ay * bx, ax * bx + ay * by));
  }

  /**
   * Chaikin corner cutting (each segment replaced by its 1/4 and 3/4 points), {@code iterations}
   * times, on the pieces between corners: vertices that turn by more than {@code cornerAngle} [rad]
   * are kept as they are, as are the end points. Smooths the font's polygonal curves (Chaikin
   * converges to the quadratic B-spline of the polygon) without rounding sharp turns, which {@link
   * #smoothed} then rounds with a small, controlled radius.
   */
  Curve chaikin(int iterations, double cornerAngle) {
    List<double[]> out = new ArrayList<>();
    int start = 0;
    for (int i = 1; i < x.length; i++) {
      boolean corner = i == x.length - 1 || turningAngle(i) > cornerAngle;
      if (!corner) {
        continue;
      }
      List<double[]> piece = new ArrayList<>();
      for (int k = start; k <= i; k++) {
        piece.add(new double[] {x[k], y[k]});
      }
      for (int it = 0; it < iterations && piece.size() > 2; it++) {
        piece = chaikinOnce(piece);
      }
      for (int k = out.isEmpty() ? 0 : 1; k < piece.size(); k++) {
        out.add(piece.get(k));
      }
      start = i;
    }
    return of(out.toArray(new double[0][]));
  }

  private static List<double[]> chaikinOnce(List<double[]> p) {
    List<double[]> q = new ArrayList<>();
    q.add(p.get(0));
    for (int i = 0; i + 1 < p.size(); i++) {
      double[] a = p.get(i);
      double[] b = p.get(i + 1);
      // The end segments keep their outer end: the curve still starts and ends where it did.
      if (i > 0) {
        q.add(new double[] {0.75 * a[0] + 0.25 * b[0], 0.75 * a[1] + 0.25 * b[1]});
      }
      if (i + 2 < p.size()) {
        q.add(new double[] {0.25 * a[0] + 0.75 * b[0], 0.25 * a[1] + 0.75 * b[1]});
      }
    }
    q.add(p.get(p.size() - 1));
    return q;
  }

  /**
   * Gaussian smoothing along the curve, standard deviation {@code sigma} in arc length, for a curve
   * with uniform vertex spacing (see {@link #resampled}). Both end points stay exactly where they
   * are: the curve is extended past each end by its point reflection through the end point, so that
   * the smoothed end point, and the direction there, are unchanged. Sharp corners become arcs of a
   * radius of about sigma.
   */
  Curve smoothed(double sigma) {
    int n = x.length;
    double h = length() / (n - 1);
    int half = (int) StrictMath.ceil(3 * sigma / h);
    if (sigma <= 0 || half < 1) {
      return this;
    }
    double[] w = new double[half + 1];
    double sum = 0;
    for (int k = 0; k <= half; k++) {
      w[k] = StrictMath.exp(-0.5 * (k * h / sigma) * (k * h / sigma));
      sum += k == 0 ? w[k] : 2 * w[k];
    }
    double[] sx = new double[n];
    double[] sy = new double[n];
    for (int i = 0; i < n; i++) {
      double ax = 0;
      double ay = 0;
      for (int k = -half; k <= half; k++) {
        double wk = w[StrictMath.abs(k)];
        ax += wk * reflectedX(i + k);
        ay += wk * reflectedY(i + k);
      }
      sx[i] = ax / sum;
      sy[i] = ay / sum;
    }
    sx[0] = x[0];
    sy[0] = y[0];
    sx[n - 1] = x[n - 1];
    sy[n - 1] = y[n - 1];
    return new Curve(sx, sy);
  }

  private double reflectedX(int i) {
    int n = x.length;
    if (i < 0) {
      return 2 * x[0] - x[reflectIndex(-i, n)];
    }
    if (i >= n) {
      return 2 * x[n - 1] - x[reflectIndex(2 * (n - 1) - i, n)];
    }
    return x[i];
  }

  private double reflectedY(int i) {
    int n = y.length;
    if (i < 0) {
      return 2 * y[0] - y[reflectIndex(-i, n)];
    }
    if (i >= n) {
      return 2 * y[n - 1] - y[reflectIndex(2 * (n - 1) - i, n)];
    }
    return y[i];
  }

  private static int reflectIndex(int i, int n) {
    return StrictMath.max(0, StrictMath.min(n - 1, i));
  }

  /**
   * Unsigned curvature at every vertex [1/unit] of a uniformly spaced curve: the turning angle over
   * a window of {@code window} arc length on either side, divided by the window's length (so that
   * corners rounded with a small radius r read about 1/r, and vertex noise averages out).
   */
  double[] curvature(double window) {
    int n = x.length;
    double h = length() / (n - 1);
    int m = (int) StrictMath.max(1, StrictMath.round(window / h));
    double[] k = new double[n];
    for (int i = 0; i < n; i++) {
      int a = StrictMath.max(0, i - m);
      int b = StrictMath.min(n - 1, i + m);
      if (b - a < 2) {
        continue;
      }
      int mid = (a + b) / 2;
      double t1x = x[mid] - x[a];
      double t1y = y[mid] - y[a];
      double t2x = x[b] - x[mid];
      double t2y = y[b] - y[mid];
      double angle = StrictMath.abs(StrictMath.atan2(t1x * t2y - t1y * t2x, t1x * t2x + t1y * t2y));
      k[i] = angle / ((b - a) * h / 2);
    }
    return k;
  }

  /** Axis-aligned bounding box: {xmin, xmax, ymin, ymax}. */
  double[] box() {
    double[] b = {x[0], x[0], y[0], y[0]};
    for (int i = 1; i < x.length; i++) {
      b[0] = StrictMath.min(b[0], x[i]);
      b[1] = StrictMath.max(b[1], x[i]);
      b[2] = StrictMath.min(b[2], y[i]);
      b[3] = StrictMath.max(b[3], y[i]);
    }
    return b;
  }

  /** Each vertex mapped by {@code (x, y) -> (a x + b y + e, c x + d y + f)}. */
  Curve affine(double a, double b, double c, double d, double e, double f) {
    double[] rx = new double[x.length];
    double[] ry = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      rx[i] = a * x[i] + b * y[i] + e;
      ry[i] = c * x[i] + d * y[i] + f;
    }
    return new Curve(rx, ry);
  }

  /** The mean of the vertices of a uniformly spaced curve (its centroid along the arc). */
  double[] centroid() {
    double cx = 0;
    double cy = 0;
    for (int i = 0; i < x.length; i++) {
      cx += x[i];
      cy += y[i];
    }
    return new double[] {cx / x.length, cy / x.length};
  }
}
