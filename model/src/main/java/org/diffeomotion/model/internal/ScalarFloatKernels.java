package org.diffeomotion.model.internal;

/** Plain-loop float kernels in the canonical order ({@link FloatKernels}): the reference. */
final class ScalarFloatKernels extends FloatKernels {
  static final ScalarFloatKernels INSTANCE = new ScalarFloatKernels();

  private ScalarFloatKernels() {}

  @Override
  public String name() {
    return "float-scalar";
  }

  @Override
  public void layer(
      float[] w,
      float[] wT,
      float[] bias,
      int out,
      int in,
      boolean tanh,
      float[] x,
      int xOff,
      int points,
      float[] y,
      int yOff) {
    for (int o = 0; o < out; o++) {
      float b = bias == null ? 0f : bias[o];
      int yRow = yOff + o * points;
      for (int p = 0; p < points; p++) {
        float a = dot(w, o * in, in, x, xOff + p, points, b);
        y[yRow + p] = tanh ? tanh(a) : a;
      }
    }
  }

  @Override
  public void tanhDerivative(float[] h, int hOff, float[] dy, int n) {
    for (int i = 0; i < n; i++) {
      float v = h[hOff + i];
      dy[i] *= Math.fma(-v, v, 1f);
    }
  }

  @Override
  public void clampTanh(float[] a, int n, float invClamp, float[] th) {
    for (int i = 0; i < n; i++) {
      th[i] = tanh(a[i] * invClamp);
    }
  }

  @Override
  public void tanh(float[] a, int off, int len) {
    for (int i = off, end = off + len; i < end; i++) {
      a[i] = tanh(a[i]);
    }
  }
}
