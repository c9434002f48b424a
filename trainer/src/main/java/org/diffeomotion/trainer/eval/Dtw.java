package org.diffeomotion.trainer.eval;

/**
 * Dynamic time warping between two curves, the plain O(n m) dynamic programme with the Euclidean
 * distance between points as the cost (Sakoe and Chiba, no window).
 *
 * <p>The total is the least sum of costs over all warping paths from (0, 0) to (n-1, m-1) with
 * steps (1,0), (0,1), (1,1). It grows with the number of points, so this class reports it
 * normalised by the length (number of matched pairs) of the optimal path: the mean distance between
 * matched points, in the curves' units. Identical curves give 0; a straight line and the same line
 * shifted sideways by h give exactly h. Where several optimal paths tie, the shortest (diagonal
 * first) is taken.
 */
public final class Dtw {

  private Dtw() {}

  /**
   * The result of one alignment.
   *
   * @param total least total cost [curve units].
   * @param pathLength number of matched pairs on the optimal path, max(n, m)..n + m - 1.
   */
  public record Result(double total, int pathLength) {
    /** total / pathLength: the mean distance between matched points [curve units]. */
    public double normalised() {
      return total / pathLength;
    }
  }

  /**
   * @param a row-major n x d. Not modified.
   * @param n points of a, >= 1.
   * @param b row-major m x d. Not modified.
   * @param m points of b, >= 1.
   * @param d dimension, >= 1.
   */
  public static Result align(double[] a, int n, double[] b, int m, int d) {
    if (n < 1 || m < 1 || d < 1 || a.length < n * d || b.length < m * d) {
      throw new IllegalArgumentException(
          "dtw: need n, m, d >= 1 and arrays of n*d, m*d values; got n = "
              + n
              + ", m = "
              + m
              + ", d = "
              + d
              + ", a.length = "
              + a.length
              + ", b.length = "
              + b.length);
    }
    // Two rows of the cost and path-length tables: O(m) memory.
    double[] prevCost = new double[m];
    double[] cost = new double[m];
    int[] prevLen = new int[m];
    int[] len = new int[m];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        double c = distance(a, i, b, j, d);
        if (i == 0 && j == 0) {
          cost[j] = c;
          len[j] = 1;
          continue;
        }
        double best = Double.POSITIVE_INFINITY;
        int bestLen = 0;
        if (i > 0 && j > 0) {
          best = prevCost[j - 1];
          bestLen = prevLen[j - 1];
        }
        if (i > 0 && (prevCost[j] < best || prevCost[j] == best && prevLen[j] < bestLen)) {
          best = prevCost[j];
          bestLen = prevLen[j];
        }
        if (j > 0 && (cost[j - 1] < best || cost[j - 1] == best && len[j - 1] < bestLen)) {
          best = cost[j - 1];
          bestLen = len[j - 1];
        }
        cost[j] = best + c;
        len[j] = bestLen + 1;
      }
      double[] t = prevCost;
      prevCost = cost;
      cost = t;
      int[] tl = prevLen;
      prevLen = len;
      len = tl;
    }
    return new Result(prevCost[m - 1], prevLen[m - 1]);
  }

  /**
   * The optimal warping path of {@link #align} (same costs, same tie rule), as matched index pairs
   * from (0, 0) to (n-1, m-1). O(n m) memory: for evaluation, not for long curves.
   *
   * @param stride values per point of a and b (the first d of each are compared), >= d
   * @return {@code [pathLength][2]}: {i, j} per matched pair, in order
   */
  public static int[][] path(double[] a, int n, double[] b, int m, int d, int stride) {
    double[][] cost = new double[n][m];
    int[][] len = new int[n][m];
    byte[][] from = new byte[n][m]; // 0 diagonal, 1 from (i-1, j), 2 from (i, j-1)
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        double s = 0;
        for (int k = 0; k < d; k++) {
          double e = a[i * stride + k] - b[j * stride + k];
          s += e * e;
        }
        double c = Math.sqrt(s);
        if (i == 0 && j == 0) {
          cost[0][0] = c;
          len[0][0] = 1;
          continue;
        }
        double best = Double.POSITIVE_INFINITY;
        int bestLen = 0;
        byte f = 0;
        if (i > 0 && j > 0) {
          best = cost[i - 1][j - 1];
          bestLen = len[i - 1][j - 1];
        }
        if (i > 0 && (cost[i - 1][j] < best || cost[i - 1][j] == best && len[i - 1][j] < bestLen)) {
          best = cost[i - 1][j];
          bestLen = len[i - 1][j];
          f = 1;
        }
        if (j > 0 && (cost[i][j - 1] < best || cost[i][j - 1] == best && len[i][j - 1] < bestLen)) {
          best = cost[i][j - 1];
          bestLen = len[i][j - 1];
          f = 2;
        }
        cost[i][j] = best + c;
        len[i][j] = bestLen + 1;
        from[i][j] = f;
      }
    }
    int[][] out = new int[len[n - 1][m - 1]][];
    int i = n - 1;
    int j = m - 1;
    for (int p = out.length - 1; p >= 0; p--) {
      out[p] = new int[] {i, j};
      if (p == 0) {
        break;
      }
      switch (from[i][j]) {
        case 1 -> i--;
        case 2 -> j--;
        default -> {
          i--;
          j--;
        }
      }
    }
    return out;
  }

  private static double distance(double[] a, int i, double[] b, int j, int d) {
    double s = 0;
    for (int k = 0; k < d; k++) {
      double e = a[i * d + k] - b[j * d + k];
      s += e * e;
    }
    return Math.sqrt(s);
  }
}
