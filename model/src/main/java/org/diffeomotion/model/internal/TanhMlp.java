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

  /** The weights rounded to float (row-major and transposed) and the biases, for float kernels. */
  private final float[][] weightsF;

  private final float[][] weightsTF;
  private final float[][] biasesF;
  private final boolean floatFinite;

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
    int layers = ins.length;
    weightsF = new float[layers][];
    weightsTF = new float[layers][];
    biasesF = new float[layers][];
    boolean finite = true;
    for (int l = 0; l < layers; l++) {
      int in = ins[l];
      int out = outs[l];
      float[] wf = new float[in * out];
      float[] wt = new float[in * out];
      for (int o = 0; o < out; o++) {
        for (int i = 0; i < in; i++) {
          float v = (float) weights[l][o * in + i];
          wf[o * in + i] = v;
          wt[i * out + o] = v;
          finite &= Float.isFinite(v);
        }
      }
      float[] bf = new float[out];
      for (int o = 0; o < out; o++) {
        bf[o] = (float) biases[l][o];
        finite &= Float.isFinite(bf[o]);
      }
      weightsF[l] = wf;
      weightsTF[l] = wt;
      biasesF[l] = bf;
    }
    this.floatFinite = finite;
  }

  /** Whether every weight and bias is finite once rounded to float (|v| below ~3.4e38). */
  public boolean floatRepresentable() {
    return floatFinite;
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

  /** Sum of the hidden layers' widths: what {@link #forwardKeep} keeps of one point. */
  public int hiddenTotal() {
    int n = 0;
    for (int l = 0; l + 1 < ins.length; l++) {
      n += outs[l];
    }
    return n;
  }

  /**
   * {@code y = net(x)} for one point, as {@link #forward} (same kernels, same bits), keeping the
   * hidden activations for {@link #tangentKept}: hidden layer l at {@code keep[sum of the earlier
   * hidden widths]}.
   *
   * @param keep at least {@link #hiddenTotal()} values. Modified.
   */
  public void forwardKeep(Kernels k, double[] x, int xOff, double[] y, int yOff, double[] keep) {
    double[] cur = x;
    int curOff = xOff;
    int last = ins.length - 1;
    int off = 0;
    for (int l = 0; l < last; l++) {
      k.denseTanh(weights[l], biases[l], outs[l], ins[l], cur, curOff, 1, keep, off);
      cur = keep;
      curOff = off;
      off += outs[l];
    }
    k.dense(weights[last], biases[last], outs[last], ins[last], cur, curOff, 1, y, yOff);
  }

  /**
   * {@code dy = J_net(x) dx} for one point at the x of the last {@link #forwardKeep} into {@code
   * keep}: the tangent half of {@link #jvp}, same operations, without evaluating the net again.
   *
   * @param tA tB scratch of at least {@link #maxWidth()} values each. Modified.
   */
  public void tangentKept(
      Kernels k,
      double[] keep,
      double[] dx,
      int dxOff,
      double[] dy,
      int dyOff,
      double[] tA,
      double[] tB) {
    double[] dcur = dx;
    int dcurOff = dxOff;
    int last = ins.length - 1;
    int off = 0;
    for (int l = 0; l <= last; l++) {
      boolean isLast = l == last;
      double[] ddst = isLast ? dy : (l % 2 == 0 ? tA : tB);
      int ddstOff = isLast ? dyOff : 0;
      k.dense(weights[l], null, outs[l], ins[l], dcur, dcurOff, 1, ddst, ddstOff);
      if (!isLast) {
        for (int i = 0; i < outs[l]; i++) {
          double h = keep[off + i];
          ddst[i] *= 1.0 - h * h;
        }
        off += outs[l];
      }
      dcur = ddst;
      dcurOff = ddstOff;
    }
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

  /**
   * {@code y = net(x)} with the network evaluated in float ({@link FloatKernels}): the input is
   * rounded to float, the output widened back to double.
   *
   * @param x input, {@link #in()} rows of {@code points} from {@code xOff}. Not modified.
   * @param y output, {@link #out()} rows from {@code yOff}. Modified.
   * @param clampRows the first clampRows output rows are the coupling's log-scales a: their clamp
   *     {@code th = tanh(a * invClamp)} is computed in float too (same canonical tanh)
   * @param th clampRows rows of tanh(a * invClamp). Modified.
   * @param ws float scratch of the workspace. Modified.
   */
  public void forwardFloat(
      FloatKernels fk,
      double[] x,
      int xOff,
      int points,
      double[] y,
      int yOff,
      int clampRows,
      float invClamp,
      double[] th,
      FlowWorkspace ws) {
    float[] in = ws.fIn;
    for (int i = 0, n = ins[0] * points; i < n; i++) {
      in[i] = (float) x[xOff + i];
    }
    int last = ins.length - 1;
    if (last == 1) {
      fk.hiddenLayerNet(
          weightsF[0],
          weightsTF[0],
          biasesF[0],
          outs[0],
          ins[0],
          weightsF[1],
          weightsTF[1],
          biasesF[1],
          outs[1],
          in,
          points,
          ws.fA,
          ws.fOut);
    } else {
      float[] cur = in;
      for (int l = 0; l <= last; l++) {
        float[] dst = l == last ? ws.fOut : (l % 2 == 0 ? ws.fA : ws.fB);
        fk.layer(
            weightsF[l],
            weightsTF[l],
            biasesF[l],
            outs[l],
            ins[l],
            l != last,
            cur,
            0,
            points,
            dst,
            0);
        cur = dst;
      }
    }
    float[] o = ws.fOut;
    for (int i = 0, n = outs[last] * points; i < n; i++) {
      y[yOff + i] = o[i];
    }
    clampTanh(fk, clampRows * points, invClamp, th, ws);
  }

  /**
   * {@link #forwardFloat} for one point (same bits), keeping the hidden activations (float) for
   * {@link #tangentKeptFloat}, laid out as in {@link #forwardKeep}.
   *
   * @param keep at least {@link #hiddenTotal()} values. Modified.
   */
  public void forwardFloatKeep(
      FloatKernels fk,
      double[] x,
      int xOff,
      double[] y,
      int yOff,
      int clampRows,
      float invClamp,
      double[] th,
      FlowWorkspace ws,
      float[] keep) {
    float[] in = ws.fIn;
    for (int i = 0; i < ins[0]; i++) {
      in[i] = (float) x[xOff + i];
    }
    float[] cur = in;
    int curOff = 0;
    int last = ins.length - 1;
    int off = 0;
    for (int l = 0; l < last; l++) {
      fk.layer(
          weightsF[l], weightsTF[l], biasesF[l], outs[l], ins[l], true, cur, curOff, 1, keep, off);
      cur = keep;
      curOff = off;
      off += outs[l];
    }
    float[] o = ws.fOut;
    fk.layer(
        weightsF[last],
        weightsTF[last],
        biasesF[last],
        outs[last],
        ins[last],
        false,
        cur,
        curOff,
        1,
        o,
        0);
    for (int i = 0; i < outs[last]; i++) {
      y[yOff + i] = o[i];
    }
    clampTanh(fk, clampRows, invClamp, th, ws);
  }

  /**
   * {@code dy = J_net(x) dx} in float for one point at the x of the last {@link #forwardFloatKeep}
   * into {@code keep}: the tangent half of {@link #jvpFloat}, same operations.
   */
  public void tangentKeptFloat(
      FloatKernels fk,
      float[] keep,
      double[] dx,
      int dxOff,
      double[] dy,
      int dyOff,
      FlowWorkspace ws) {
    float[] din = ws.fdIn;
    for (int i = 0; i < ins[0]; i++) {
      din[i] = (float) dx[dxOff + i];
    }
    float[] dcur = din;
    int last = ins.length - 1;
    int off = 0;
    for (int l = 0; l <= last; l++) {
      boolean isLast = l == last;
      float[] ddst = isLast ? ws.fdOut : (l % 2 == 0 ? ws.fTA : ws.fTB);
      fk.layer(weightsF[l], weightsTF[l], null, outs[l], ins[l], false, dcur, 0, 1, ddst, 0);
      if (!isLast) {
        fk.tanhDerivative(keep, off, ddst, outs[l]);
        off += outs[l];
      }
      dcur = ddst;
    }
    float[] dof = ws.fdOut;
    for (int i = 0; i < outs[last]; i++) {
      dy[dyOff + i] = dof[i];
    }
  }

  /** th = tanh(fOut * invClamp) over the first n values, computed in float and widened. */
  private static void clampTanh(
      FloatKernels fk, int n, float invClamp, double[] th, FlowWorkspace ws) {
    float[] t = ws.fTh;
    fk.clampTanh(ws.fOut, n, invClamp, t);
    for (int i = 0; i < n; i++) {
      th[i] = t[i];
    }
  }

  /**
   * Forward mode in float: {@code y = net(x)}, {@code dy = J_net(x) dx}, as {@link #jvp} (same
   * values of y as {@link #forwardFloat}, bit for bit).
   */
  public void jvpFloat(
      FloatKernels fk,
      double[] x,
      int xOff,
      double[] dx,
      int dxOff,
      int points,
      double[] y,
      int yOff,
      double[] dy,
      int dyOff,
      int clampRows,
      float invClamp,
      double[] th,
      FlowWorkspace ws) {
    float[] in = ws.fIn;
    float[] din = ws.fdIn;
    for (int i = 0, n = ins[0] * points; i < n; i++) {
      in[i] = (float) x[xOff + i];
      din[i] = (float) dx[dxOff + i];
    }
    float[] cur = in;
    float[] dcur = din;
    int last = ins.length - 1;
    for (int l = 0; l <= last; l++) {
      boolean isLast = l == last;
      float[] dst = isLast ? ws.fOut : (l % 2 == 0 ? ws.fA : ws.fB);
      float[] ddst = isLast ? ws.fdOut : (l % 2 == 0 ? ws.fTA : ws.fTB);
      fk.layer(
          weightsF[l], weightsTF[l], biasesF[l], outs[l], ins[l], !isLast, cur, 0, points, dst, 0);
      fk.layer(weightsF[l], weightsTF[l], null, outs[l], ins[l], false, dcur, 0, points, ddst, 0);
      if (!isLast) {
        fk.tanhDerivative(dst, 0, ddst, outs[l] * points);
      }
      cur = dst;
      dcur = ddst;
    }
    float[] o = ws.fOut;
    float[] dof = ws.fdOut;
    for (int i = 0, n = outs[last] * points; i < n; i++) {
      y[yOff + i] = o[i];
      dy[dyOff + i] = dof[i];
    }
    clampTanh(fk, clampRows * points, invClamp, th, ws);
  }
}
