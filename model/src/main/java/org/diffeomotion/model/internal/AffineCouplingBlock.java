package org.diffeomotion.model.internal;

/**
 * One affine coupling block (DESIGN.md section 2), with {@code m = floor(D/2)}:
 *
 * <pre>
 *   [a2, b2] = net_a(u2);  v1 = u1 * exp(clamp(a2)) + b2
 *   [a1, b1] = net_b(v1);  v2 = u2 * exp(clamp(a1)) + b1
 *   clamp(a) = c tanh(a / c);  out[i] = (v1 || v2)[perm[i]]
 * </pre>
 *
 * Immutable. States are {@code D} rows of {@code points} values (structure of arrays).
 */
public final class AffineCouplingBlock {
  private final int dim;
  private final int m;
  private final int n2;
  private final double clamp;

  /** 1 / clamp in float, for the clamp's tanh of float networks. */
  private final float invClampF;

  private final int[] perm;
  private final TanhMlp netA;
  private final TanhMlp netB;

  /** Arguments are validated by the model reader; ownership of the arrays passes here. */
  public AffineCouplingBlock(int dim, double clamp, int[] perm, TanhMlp netA, TanhMlp netB) {
    this.dim = dim;
    this.m = dim / 2;
    this.n2 = dim - m;
    this.clamp = clamp;
    this.invClampF = (float) (1.0 / clamp);
    this.perm = perm;
    this.netA = netA;
    this.netB = netB;
  }

  public int dim() {
    return dim;
  }

  public double clamp() {
    return clamp;
  }

  /** Output i takes element perm[i] of (v1 || v2). Shared, do not modify. */
  public int[] permutation() {
    return perm;
  }

  public TanhMlp netA() {
    return netA;
  }

  public TanhMlp netB() {
    return netB;
  }

  /** out = B(u). u and out must not alias each other or the workspace. */
  public void forward(Kernels k, double[] u, double[] out, int points, FlowWorkspace ws) {
    int p = points;
    double[] ab = ws.ab;
    double[] w = ws.w;
    double[] s = ws.scale;
    net(k, netA, u, m * p, p, ab, m, ws);
    clampExp(k, ab, m * p, ws);
    for (int i = 0, n = m * p; i < n; i++) {
      w[i] = u[i] * s[i] + ab[n + i];
    }
    net(k, netB, w, 0, p, ab, n2, ws);
    clampExp(k, ab, n2 * p, ws);
    for (int i = 0, n = n2 * p, o = m * p; i < n; i++) {
      w[o + i] = u[o + i] * s[i] + ab[n + i];
    }
    permute(w, out, p);
  }

  /** u = B^-1(out). u and out must not alias each other or the workspace. */
  public void inverse(Kernels k, double[] out, double[] u, int points, FlowWorkspace ws) {
    int p = points;
    double[] ab = ws.ab;
    double[] w = ws.w;
    double[] s = ws.scale;
    for (int r = 0; r < dim; r++) {
      System.arraycopy(out, r * p, w, perm[r] * p, p);
    }
    net(k, netB, w, 0, p, ab, n2, ws);
    clampExp(k, ab, n2 * p, ws);
    // Dividing by the same scale the forward pass multiplied by keeps B^-1(B(u)) = u to
    // rounding, whatever the accuracy of exp itself.
    for (int i = 0, n = n2 * p, o = m * p; i < n; i++) {
      u[o + i] = (w[o + i] - ab[n + i]) / s[i];
    }
    net(k, netA, u, m * p, p, ab, m, ws);
    clampExp(k, ab, m * p, ws);
    for (int i = 0, n = m * p; i < n; i++) {
      u[i] = (w[i] - ab[n + i]) / s[i];
    }
  }

  /**
   * {@link #inverse} of one point (same bits), keeping u, the scales, the clamp's tanh and the
   * networks' hidden activations in ws under block index {@code b} for {@link #tangentKept}.
   */
  void inverseKeep(Kernels k, double[] out, double[] u, FlowWorkspace ws, int b) {
    double[] ab = ws.ab;
    double[] w = ws.w;
    double[] s = ws.scale;
    double[] th = ws.th;
    double[] ks = ws.keepS[b];
    double[] kt = ws.keepTh[b];
    for (int r = 0; r < dim; r++) {
      w[perm[r]] = out[r];
    }
    netKeep(k, netB, w, 0, ab, n2, ws, 2 * b + 1);
    clampExp(k, ab, n2, ws);
    for (int i = 0; i < n2; i++) {
      u[m + i] = (w[m + i] - ab[n2 + i]) / s[i];
      ks[m + i] = s[i];
      kt[m + i] = th[i];
    }
    netKeep(k, netA, u, m, ab, m, ws, 2 * b);
    clampExp(k, ab, m, ws);
    for (int i = 0; i < m; i++) {
      u[i] = (w[i] - ab[m + i]) / s[i];
      ks[i] = s[i];
      kt[i] = th[i];
    }
    System.arraycopy(u, 0, ws.keepU[b], 0, dim);
  }

  /**
   * dout = J_B(u) du for one point at the u that {@link #inverseKeep} kept under block index b: the
   * tangent lines of {@link #jvp} with the kept scales and activations. du and dout must not alias
   * each other or the workspace's dw.
   */
  void tangentKept(Kernels k, double[] du, double[] dout, FlowWorkspace ws, int b) {
    double[] dab = ws.dab;
    double[] dw = ws.dw;
    double[] u = ws.keepU[b];
    double[] s = ws.keepS[b];
    double[] th = ws.keepTh[b];
    netTangent(k, netA, du, m, dab, ws, 2 * b);
    for (int i = 0; i < m; i++) {
      double ds = (1.0 - th[i] * th[i]) * dab[i];
      dw[i] = (du[i] + u[i] * ds) * s[i] + dab[m + i];
    }
    netTangent(k, netB, dw, 0, dab, ws, 2 * b + 1);
    for (int i = 0; i < n2; i++) {
      double ds = (1.0 - th[m + i] * th[m + i]) * dab[i];
      dw[m + i] = (du[m + i] + u[m + i] * ds) * s[m + i] + dab[n2 + i];
    }
    for (int r = 0; r < dim; r++) {
      dout[r] = dw[perm[r]];
    }
  }

  /** ab = net(x rows from xOff) for one point, keeping its activations in slot {@code slot}. */
  private void netKeep(
      Kernels k,
      TanhMlp net,
      double[] x,
      int xOff,
      double[] ab,
      int clampRows,
      FlowWorkspace ws,
      int slot) {
    if (ws.fk != null) {
      net.forwardFloatKeep(ws.fk, x, xOff, ab, 0, clampRows, invClampF, ws.th, ws, ws.keepHF[slot]);
    } else {
      net.forwardKeep(k, x, xOff, ab, 0, ws.keepH[slot]);
    }
  }

  /** dab = J_net dx (dx from xOff) for one point at the activations kept in slot. */
  private void netTangent(
      Kernels k, TanhMlp net, double[] dx, int xOff, double[] dab, FlowWorkspace ws, int slot) {
    if (ws.fk != null) {
      net.tangentKeptFloat(ws.fk, ws.keepHF[slot], dx, xOff, dab, 0, ws);
    } else {
      net.tangentKept(k, ws.keepH[slot], dx, xOff, dab, 0, ws.tA, ws.tB);
    }
  }

  /** Forward mode: out = B(u), dout = J_B(u) du. No argument may alias another or the workspace. */
  public void jvp(
      Kernels k,
      double[] u,
      double[] du,
      double[] out,
      double[] dout,
      int points,
      FlowWorkspace ws) {
    int p = points;
    double[] ab = ws.ab;
    double[] dab = ws.dab;
    double[] w = ws.w;
    double[] dw = ws.dw;
    double[] s = ws.scale;
    double[] th = ws.th;
    netJvp(k, netA, u, m * p, du, p, ab, dab, m, ws);
    clampExp(k, ab, m * p, ws);
    for (int i = 0, n = m * p; i < n; i++) {
      // d/da [c tanh(a/c)] = 1 - tanh(a/c)^2
      double ds = (1.0 - th[i] * th[i]) * dab[i];
      w[i] = u[i] * s[i] + ab[n + i];
      dw[i] = (du[i] + u[i] * ds) * s[i] + dab[n + i];
    }
    netJvp(k, netB, w, 0, dw, p, ab, dab, n2, ws);
    clampExp(k, ab, n2 * p, ws);
    for (int i = 0, n = n2 * p, o = m * p; i < n; i++) {
      double ds = (1.0 - th[i] * th[i]) * dab[i];
      w[o + i] = u[o + i] * s[i] + ab[n + i];
      dw[o + i] = (du[o + i] + u[o + i] * ds) * s[i] + dab[n + i];
    }
    permute(w, out, p);
    permute(dw, dout, p);
  }

  /** ab = net(x rows from xOff), in the workspace's precision. */
  private void net(
      Kernels k,
      TanhMlp net,
      double[] x,
      int xOff,
      int p,
      double[] ab,
      int clampRows,
      FlowWorkspace ws) {
    if (ws.fk != null) {
      net.forwardFloat(ws.fk, x, xOff, p, ab, 0, clampRows, invClampF, ws.th, ws);
    } else {
      net.forward(k, x, xOff, p, ab, 0, ws.hA, ws.hB);
    }
  }

  /** ab = net(x), dab = J_net(x) dx (x and dx rows from xOff), in the workspace's precision. */
  private void netJvp(
      Kernels k,
      TanhMlp net,
      double[] x,
      int xOff,
      double[] dx,
      int p,
      double[] ab,
      double[] dab,
      int clampRows,
      FlowWorkspace ws) {
    if (ws.fk != null) {
      net.jvpFloat(ws.fk, x, xOff, dx, xOff, p, ab, 0, dab, 0, clampRows, invClampF, ws.th, ws);
    } else {
      net.jvp(k, x, xOff, dx, xOff, p, ab, 0, dab, 0, ws.hA, ws.hB, ws.tA, ws.tB);
    }
  }

  /**
   * ws.th = tanh(a / c), ws.scale = exp(c * ws.th) for the first n values of a. With float networks
   * ws.th was already computed, in float, by the network evaluation.
   */
  private void clampExp(Kernels k, double[] a, int n, FlowWorkspace ws) {
    double[] th = ws.th;
    double[] s = ws.scale;
    if (ws.fk == null) {
      double inv = 1.0 / clamp;
      for (int i = 0; i < n; i++) {
        th[i] = a[i] * inv;
      }
      k.tanh(th, 0, n);
    }
    for (int i = 0; i < n; i++) {
      s[i] = clamp * th[i];
    }
    k.exp(s, 0, n);
  }

  private void permute(double[] w, double[] out, int p) {
    for (int r = 0; r < dim; r++) {
      System.arraycopy(w, perm[r] * p, out, r * p, p);
    }
  }
}
