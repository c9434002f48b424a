package org.diffeomotion.model.internal;

/** Plain-Java reference kernels: simple loops and {@link Math}; the baseline for tests. */
final class ScalarKernels extends Kernels {
  static final ScalarKernels INSTANCE = new ScalarKernels();

  private ScalarKernels() {}

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public void dense(
      double[] w,
      double[] bias,
      int out,
      int in,
      double[] x,
      int xOff,
      int points,
      double[] y,
      int yOff) {
    for (int o = 0; o < out; o++) {
      int yRow = yOff + o * points;
      double b = bias == null ? 0.0 : bias[o];
      for (int p = 0; p < points; p++) {
        y[yRow + p] = b;
      }
      int wRow = o * in;
      for (int i = 0; i < in; i++) {
        double wi = w[wRow + i];
        int xRow = xOff + i * points;
        for (int p = 0; p < points; p++) {
          y[yRow + p] += wi * x[xRow + p];
        }
      }
    }
  }

  @Override
  public void tanh(double[] a, int off, int len) {
    for (int i = off, end = off + len; i < end; i++) {
      a[i] = Math.tanh(a[i]);
    }
  }

  @Override
  public void exp(double[] a, int off, int len) {
    for (int i = off, end = off + len; i < end; i++) {
      a[i] = Math.exp(a[i]);
    }
  }

  @Override
  public void sinCos(double[] a, double[] s, double[] c, int len) {
    for (int i = 0; i < len; i++) {
      s[i] = Math.sin(a[i]);
      c[i] = Math.cos(a[i]);
    }
  }
}
