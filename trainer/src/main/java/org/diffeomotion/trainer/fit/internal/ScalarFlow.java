package org.diffeomotion.trainer.fit.internal;

/**
 * The coupling flow F, its inverse, and both reverse modes, one row at a time in plain Java on the
 * flat parameter array. Used where a batch has only a few rows (c = F(0) and the demo starts),
 * where each ND4J op would cost 10-20 us of overhead for a few flops; also the scalar reference the
 * batched ND4J pass is tested against. Same layout and formulas as {@link FlowEngine}
 * (TRAINING.md).
 *
 * <p>A {@link Pass} keeps the activations of one forward or inverse pass over n rows for the
 * matching backward pass. Not thread-safe.
 */
final class ScalarFlow {

  /** Activations of one pass over n rows. */
  static final class Pass {
    final int n;

    /** state[k][row]: input of block k (forward direction); state[K] is F's output. */
    final double[][][] state;

    final double[][][] grad;
    final double[][][] w;
    final double[][][][] hidA;
    final double[][][][] hidB;
    final double[][][] thA;
    final double[][][] thB;
    final double[][][] eA;
    final double[][][] eB;

    Pass(FlowLayout lay, int n) {
      this.n = n;
      int kk = lay.blocks;
      int h = lay.hiddenLayers;
      state = new double[kk + 1][n][lay.dim];
      grad = new double[kk + 1][n][lay.dim];
      w = new double[kk][n][lay.dim];
      hidA = new double[kk][n][h][lay.width];
      hidB = new double[kk][n][h][lay.width];
      thA = new double[kk][n][lay.m];
      thB = new double[kk][n][lay.r];
      eA = new double[kk][n][lay.m];
      eB = new double[kk][n][lay.r];
    }
  }

  private final FlowLayout lay;
  private final RowKernels kernels;
  private final double[] outA;
  private final double[] outB;
  private final double[] gOutA;
  private final double[] gOutB;
  private final double[] gw;
  private final double[] gInA;
  private final double[] gInB;
  private final double[] gHid;
  private final double[] gHid2;
  private final double[] u2;
  private final double[] v1;

  /** With {@link RowKernels#best()}. */
  ScalarFlow(FlowLayout lay) {
    this(lay, RowKernels.best());
  }

  ScalarFlow(FlowLayout lay, RowKernels kernels) {
    this.lay = lay;
    this.kernels = kernels;
    outA = new double[2 * lay.m];
    outB = new double[2 * lay.r];
    gOutA = new double[2 * lay.m];
    gOutB = new double[2 * lay.r];
    gw = new double[lay.dim];
    gInA = new double[lay.r];
    gInB = new double[lay.m];
    gHid = new double[lay.width];
    gHid2 = new double[lay.width];
    u2 = new double[lay.r];
    v1 = new double[lay.m];
  }

  /** p.state[K] = F(p.state[0]) for every row. th not modified. */
  void forward(double[] th, Pass p) {
    int m = lay.m;
    int r = lay.r;
    double c = lay.clamp;
    double inv = 1.0 / c;
    for (int k = 0; k < lay.blocks; k++) {
      for (int row = 0; row < p.n; row++) {
        double[] u = p.state[k][row];
        double[] w = p.w[k][row];
        System.arraycopy(u, m, u2, 0, r);
        mlp(th, lay.netA[k], u2, p.hidA[k][row], outA);
        for (int i = 0; i < m; i++) {
          double t = tanh(outA[i] * inv);
          p.thA[k][row][i] = t;
          double e = Math.exp(c * t);
          p.eA[k][row][i] = e;
          w[i] = u[i] * e + outA[m + i];
        }
        System.arraycopy(w, 0, v1, 0, m);
        mlp(th, lay.netB[k], v1, p.hidB[k][row], outB);
        for (int i = 0; i < r; i++) {
          double t = tanh(outB[i] * inv);
          p.thB[k][row][i] = t;
          double e = Math.exp(c * t);
          p.eB[k][row][i] = e;
          w[m + i] = u[m + i] * e + outB[r + i];
        }
        double[] out = p.state[k + 1][row];
        for (int i = 0; i < lay.dim; i++) {
          out[i] = w[lay.permutations[k][i]];
        }
      }
    }
  }

  /** p.state[0] = F^-1(p.state[K]) for every row. th not modified. */
  void inverse(double[] th, Pass p) {
    int m = lay.m;
    int r = lay.r;
    double c = lay.clamp;
    double inv = 1.0 / c;
    for (int k = lay.blocks - 1; k >= 0; k--) {
      for (int row = 0; row < p.n; row++) {
        double[] y = p.state[k + 1][row];
        double[] w = p.w[k][row];
        double[] u = p.state[k][row];
        for (int i = 0; i < lay.dim; i++) {
          w[lay.permutations[k][i]] = y[i];
        }
        System.arraycopy(w, 0, v1, 0, m);
        mlp(th, lay.netB[k], v1, p.hidB[k][row], outB);
        for (int i = 0; i < r; i++) {
          double t = tanh(outB[i] * inv);
          p.thB[k][row][i] = t;
          double e = Math.exp(c * t);
          p.eB[k][row][i] = e;
          u[m + i] = (w[m + i] - outB[r + i]) / e;
        }
        System.arraycopy(u, m, u2, 0, r);
        mlp(th, lay.netA[k], u2, p.hidA[k][row], outA);
        for (int i = 0; i < m; i++) {
          double t = tanh(outA[i] * inv);
          p.thA[k][row][i] = t;
          double e = Math.exp(c * t);
          p.eA[k][row][i] = e;
          u[i] = (w[i] - outA[m + i]) / e;
        }
      }
    }
  }

  /** Reverse mode of {@link #forward}: reads p.grad[K], writes p.grad[0], adds to g. */
  void forwardBackward(double[] th, Pass p, double[] g) {
    int m = lay.m;
    int r = lay.r;
    for (int k = lay.blocks - 1; k >= 0; k--) {
      for (int row = 0; row < p.n; row++) {
        double[] gy = p.grad[k + 1][row];
        double[] gu = p.grad[k][row];
        double[] u = p.state[k][row];
        double[] w = p.w[k][row];
        for (int i = 0; i < lay.dim; i++) {
          gw[lay.permutations[k][i]] = gy[i];
        }
        for (int i = 0; i < r; i++) {
          double t = p.thB[k][row][i];
          gu[m + i] = gw[m + i] * p.eB[k][row][i];
          gOutB[i] = gu[m + i] * u[m + i] * (1 - t * t);
          gOutB[r + i] = gw[m + i];
        }
        System.arraycopy(w, 0, v1, 0, m);
        mlpBackward(th, lay.netB[k], v1, p.hidB[k][row], gOutB, g, gInB);
        for (int i = 0; i < m; i++) {
          double gv1 = gw[i] + gInB[i];
          double t = p.thA[k][row][i];
          gu[i] = gv1 * p.eA[k][row][i];
          gOutA[i] = gu[i] * u[i] * (1 - t * t);
          gOutA[m + i] = gv1;
        }
        System.arraycopy(u, m, u2, 0, r);
        mlpBackward(th, lay.netA[k], u2, p.hidA[k][row], gOutA, g, gInA);
        for (int i = 0; i < r; i++) {
          gu[m + i] += gInA[i];
        }
      }
    }
  }

  /** Reverse mode of {@link #inverse}: reads p.grad[0], writes p.grad[K], adds to g. */
  void inverseBackward(double[] th, Pass p, double[] g) {
    int m = lay.m;
    int r = lay.r;
    for (int k = 0; k < lay.blocks; k++) {
      for (int row = 0; row < p.n; row++) {
        double[] gu = p.grad[k][row];
        double[] gy = p.grad[k + 1][row];
        double[] u = p.state[k][row];
        double[] w = p.w[k][row];
        for (int i = 0; i < m; i++) {
          double t = p.thA[k][row][i];
          gw[i] = gu[i] / p.eA[k][row][i];
          gOutA[m + i] = -gw[i];
          gOutA[i] = -gu[i] * u[i] * (1 - t * t);
        }
        System.arraycopy(u, m, u2, 0, r);
        mlpBackward(th, lay.netA[k], u2, p.hidA[k][row], gOutA, g, gInA);
        for (int i = 0; i < r; i++) {
          double gu2 = gu[m + i] + gInA[i];
          double t = p.thB[k][row][i];
          gw[m + i] = gu2 / p.eB[k][row][i];
          gOutB[r + i] = -gw[m + i];
          gOutB[i] = -gu2 * u[m + i] * (1 - t * t);
        }
        System.arraycopy(w, 0, v1, 0, m);
        mlpBackward(th, lay.netB[k], v1, p.hidB[k][row], gOutB, g, gInB);
        for (int i = 0; i < m; i++) {
          gw[i] += gInB[i];
        }
        for (int i = 0; i < lay.dim; i++) {
          gy[i] = gw[lay.permutations[k][i]];
        }
      }
    }
  }

  /**
   * tanh(x) as 1 - 2 / (exp(2x) + 1): the identity the batched pass uses (Nd4jMlp.forward), exact
   * up to ~1e-16 absolute, saturating to +-1 without NaN, and several times cheaper than Math.tanh
   * (which matters once the shooting windows give this pass a hundred rows).
   */
  static double tanh(double x) {
    return 1.0 - 2.0 / (Math.exp(2.0 * x) + 1.0);
  }

  private void mlp(double[] th, FlowLayout.Dense[] net, double[] x, double[][] hid, double[] out) {
    double[] h = x;
    for (int l = 0; l < net.length; l++) {
      boolean last = l == net.length - 1;
      double[] z = last ? out : hid[l];
      kernels.dense(th, net[l], h, z, !last);
      h = z;
    }
  }

  /** Adds dL/dW, dL/db of net to g; writes dL/dx to gIn. gOut not modified. */
  private void mlpBackward(
      double[] th,
      FlowLayout.Dense[] net,
      double[] x,
      double[][] hid,
      double[] gOut,
      double[] g,
      double[] gIn) {
    double[] go = gOut;
    for (int l = net.length - 1; l >= 0; l--) {
      double[] hin = l == 0 ? x : hid[l - 1];
      double[] gi = l == 0 ? gIn : (go == gHid ? gHid2 : gHid);
      kernels.denseBackward(th, net[l], hin, go, g, gi, l > 0);
      go = gi;
    }
  }
}
