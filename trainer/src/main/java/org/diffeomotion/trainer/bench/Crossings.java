package org.diffeomotion.trainer.bench;

/**
 * Whether polylines cross themselves or each other, and how close a path comes to itself.
 *
 * <p>A path of an autonomous vector field {@code y' = f(y)} cannot cross itself (two different
 * velocities at one point) and two such paths cannot cross each other, so a demonstration that does
 * cannot be imitated by any such model. Polylines are row-major {@code n x 2} arrays (x0, y0, x1,
 * y1, ...). Segments are tested in blocks with bounding boxes, so typical paths cost far less than
 * the O(n^2) pairs.
 */
final class Crossings {

  /** Segments per block of the bounding-box pre-test. */
  private static final int BLOCK = 16;

  private Crossings() {}

  /**
   * The first pair (i, j), i < j - 1, of segments {@code [p_i, p_i+1]} and {@code [p_j, p_j+1]} of
   * one polyline that properly intersect (each segment's ends strictly on opposite sides of the
   * other's line), or null if none does. Neighbouring segments share a vertex and are not tested.
   *
   * @param p row-major n x 2. Not modified.
   * @param n vertices.
   */
  static int[] selfCrossing(double[] p, int n) {
    return crossing(p, n, p, n, true);
  }

  /**
   * The first pair (i, j) of segment i of a and segment j of b that properly intersect, or null.
   */
  static int[] crossing(double[] a, int n, double[] b, int m) {
    return crossing(a, n, b, m, false);
  }

  private static int[] crossing(double[] a, int n, double[] b, int m, boolean same) {
    int segA = n - 1;
    int segB = m - 1;
    double[] boxA = blockBoxes(a, segA);
    double[] boxB = same ? boxA : blockBoxes(b, segB);
    int blocksA = (segA + BLOCK - 1) / BLOCK;
    int blocksB = (segB + BLOCK - 1) / BLOCK;
    for (int ba = 0; ba < blocksA; ba++) {
      for (int bb = same ? ba : 0; bb < blocksB; bb++) {
        if (!overlap(boxA, ba, boxB, bb)) {
          continue;
        }
        int iEnd = StrictMath.min(segA, (ba + 1) * BLOCK);
        int jEnd = StrictMath.min(segB, (bb + 1) * BLOCK);
        for (int i = ba * BLOCK; i < iEnd; i++) {
          for (int j = StrictMath.max(bb * BLOCK, same ? i + 2 : 0); j < jEnd; j++) {
            if (properlyIntersect(a, i, b, j)) {
              return new int[] {i, j};
            }
          }
        }
      }
    }
    return null;
  }

  /** Boxes {xmin, xmax, ymin, ymax} of blocks of BLOCK segments. */
  private static double[] blockBoxes(double[] p, int segments) {
    int blocks = (segments + BLOCK - 1) / BLOCK;
    double[] box = new double[4 * blocks];
    for (int bk = 0; bk < blocks; bk++) {
      int from = bk * BLOCK;
      int to = StrictMath.min(segments, from + BLOCK); // last vertex index of the block
      double x0 = p[2 * from];
      double x1 = x0;
      double y0 = p[2 * from + 1];
      double y1 = y0;
      for (int v = from + 1; v <= to; v++) {
        x0 = StrictMath.min(x0, p[2 * v]);
        x1 = StrictMath.max(x1, p[2 * v]);
        y0 = StrictMath.min(y0, p[2 * v + 1]);
        y1 = StrictMath.max(y1, p[2 * v + 1]);
      }
      box[4 * bk] = x0;
      box[4 * bk + 1] = x1;
      box[4 * bk + 2] = y0;
      box[4 * bk + 3] = y1;
    }
    return box;
  }

  private static boolean overlap(double[] a, int i, double[] b, int j) {
    return a[4 * i] <= b[4 * j + 1]
        && b[4 * j] <= a[4 * i + 1]
        && a[4 * i + 2] <= b[4 * j + 3]
        && b[4 * j + 2] <= a[4 * i + 3];
  }

  /**
   * Whether segment i of a and segment j of b cross: the ends of each strictly on opposite sides of
   * the other.
   */
  static boolean properlyIntersect(double[] a, int i, double[] b, int j) {
    double ax = a[2 * i];
    double ay = a[2 * i + 1];
    double bx = a[2 * i + 2];
    double by = a[2 * i + 3];
    double cx = b[2 * j];
    double cy = b[2 * j + 1];
    double dx = b[2 * j + 2];
    double dy = b[2 * j + 3];
    double d1 = orient(cx, cy, dx, dy, ax, ay);
    double d2 = orient(cx, cy, dx, dy, bx, by);
    double d3 = orient(ax, ay, bx, by, cx, cy);
    double d4 = orient(ax, ay, bx, by, dx, dy);
    return (d1 > 0 && d2 < 0 || d1 < 0 && d2 > 0) && (d3 > 0 && d4 < 0 || d3 < 0 && d4 > 0);
  }

  private static double orient(double ax, double ay, double bx, double by, double cx, double cy) {
    return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
  }

  /**
   * Clearance of a path from itself: the least distance between two vertices that are at least
   * {@code minArc} apart along the path [units]. A path that touches or nearly touches itself (a
   * T-junction, a retraced line, a loop closing on itself) has a small clearance even where no
   * segments properly cross; a corner turned with a small radius does not, as long as {@code
   * minArc} is several radii. +Infinity when no two vertices are that far apart.
   *
   * @param p row-major n x 2. Not modified.
   */
  static double clearance(double[] p, int n, double minArc) {
    double[] s = new double[n];
    for (int i = 1; i < n; i++) {
      s[i] = s[i - 1] + StrictMath.hypot(p[2 * i] - p[2 * i - 2], p[2 * i + 1] - p[2 * i - 1]);
    }
    double best = Double.POSITIVE_INFINITY;
    int j0 = 0;
    for (int i = 0; i < n; i++) {
      while (j0 < n && s[j0] - s[i] < minArc) {
        j0++;
      }
      double xi = p[2 * i];
      double yi = p[2 * i + 1];
      for (int j = j0; j < n; j++) {
        double ex = p[2 * j] - xi;
        double ey = p[2 * j + 1] - yi;
        double d2 = ex * ex + ey * ey;
        if (d2 < best * best) {
          best = StrictMath.sqrt(d2);
        }
      }
    }
    return best;
  }
}
