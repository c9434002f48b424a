package org.diffeomotion.model.internal;

/**
 * A multilayer perceptron: dense layers, tanh between them, a linear last layer. Immutable;
 * evaluation works on caller-provided scratch ({@link FlowWorkspace}) so it allocates nothing.
 * Inputs and outputs are rows of {@code points} values (structure of arrays).
 */
public final class TanhMlp {
  private final int[] ins;
  private final int[] outs;
  private final double[][] weights;
  private final double[][] biases;
  private final int maxWidth;

  /**
   * @param weights per layer, row-major out x in. Not copied: the caller hands over ownership.
   * @param biases per layer, out values. Not copied.
   */
  public TanhMlp(int[] ins, int[] outs, double[][] weights, double[][] biases) {
    this.ins = ins;
    this.outs = outs;
    this.weights = weights;
    this.biases = biases;
    int w = 0;
    for (int o : outs) {
      w = Math.max(w, o);
    }
    this.maxWidth = Math.max(w, ins[0]);
  }

  public int in() {
    return ins[0];
  }

  public int out() {
    return outs[outs.length - 1];
  }

  public int layerCount() {
    return ins.length;
  }

  public int layerIn(int l) {
    return ins[l];
  }

  public int layerOut(int l) {
    return outs[l];
  }

  /** Largest layer width, the scratch rows one evaluation needs. */
  public int maxWidth() {
    return maxWidth;
  }

  /** Multiply-adds per point of one forward evaluation. */
  public long multiplyAdds() {
    long n = 0;
    for (int l = 0; l < ins.length; l++) {
      n += (long) ins[l] * outs[l];
    }
    return n;
  }

  /** tanh evaluations per point of one forward evaluation. */
  public long tanhCount() {
    long n = 0;
    for (int l = 0; l + 1 < ins.length; l++) {
      n += outs[l];
    }
    return n;
  }

  /**
   * {@code y = net(x)} for {@code points} points.
   *
   * @param x input, {@link #in()} rows from {@code xOff}. Not modified.
   * @param y output, {@link #out()} rows from {@code yOff}. Modified.
   * @param bufA scratch of at least maxWidth * points. Modified.
   * @param bufB scratch of at least maxWidth * points. Modified.
   */
  public void forward(
      Kernels k,
      double[] x,
      int xOff,
      int points,
      double[] y,
      int yOff,
      double[] bufA,
      double[] bufB) {
    double[] cur = x;
    int curOff = xOff;
    int last = ins.length - 1;
    for (int l = 0; l <= last; l++) {
      double[] dst = l == last ? y : (l % 2 == 0 ? bufA : bufB);
      int dstOff = l == last ? yOff : 0;
      if (l != last) {
        k.denseTanh(weights[l], biases[l], outs[l], ins[l], cur, curOff, points, dst, dstOff);
      } else {
        k.dense(weights[l], biases[l], outs[l], ins[l], cur, curOff, points, dst, dstOff);
      }
      cur = dst;
      curOff = dstOff;
    }
  }

  /**
   * Forward-mode derivative: {@code y = net(x)}, {@code dy = J_net(x) dx}.
   *
   * @param dx tangent, same layout as x. Not modified.
   * @param dy output tangent, same layout as y. Modified.
   * @param bufA bufB tA tB scratch of at least maxWidth * points each. Modified.
   */
  public void jvp(
      Kernels k,
      double[] x,
      int xOff,
      double[] dx,
      int dxOff,
      int points,
      double[] y,
      int yOff,
      double[] dy,
      int dyOff,
      double[] bufA,
      double[] bufB,
      double[] tA,
      double[] tB) {
    double[] cur = x;
    double[] dcur = dx;
    int curOff = xOff;
    int dcurOff = dxOff;
    int last = ins.length - 1;
    for (int l = 0; l <= last; l++) {
      boolean isLast = l == last;
      double[] dst = isLast ? y : (l % 2 == 0 ? bufA : bufB);
      double[] ddst = isLast ? dy : (l % 2 == 0 ? tA : tB);
      int dstOff = isLast ? yOff : 0;
      int ddstOff = isLast ? dyOff : 0;
      if (isLast) {
        k.dense(weights[l], biases[l], outs[l], ins[l], cur, curOff, points, dst, dstOff);
      } else {
        k.denseTanh(weights[l], biases[l], outs[l], ins[l], cur, curOff, points, dst, dstOff);
      }
      k.dense(weights[l], null, outs[l], ins[l], dcur, dcurOff, points, ddst, ddstOff);
      if (!isLast) {
        int n = outs[l] * points;
        for (int i = 0; i < n; i++) {
          double h = dst[i];
          ddst[i] *= 1.0 - h * h;
        }
      }
      cur = dst;
      dcur = ddst;
      curOff = dstOff;
      dcurOff = ddstOff;
    }
  }
}
