package org.diffeomotion.model.internal;

/**
 * Single-precision kernels for the coupling networks (the MLPs, where the model spends nearly all
 * its time): dense layers fused with a float tanh, and tangent propagation for the JVP.
 *
 * <p><b>One canonical order of operations per point.</b> Every implementation computes each output
 * of each point with the same sequence of IEEE float operations, whatever the batch size and
 * whatever lane or tail position the point falls in: a dot product of length {@code in < 16} is one
 * fused multiply-add chain from the bias; a longer one runs sixteen chains from zero over the
 * inputs {@code i ≡ 0, .., 15 (mod 16)} (the {@code in % 16} last inputs go on chain 0), sums them
 * as the balanced tree {@code ((c0 + c1) + (c2 + c3)) + ...} and adds the bias last ({@link #dot});
 * sixteen chains keep a single point's 64-term dot four multiply-adds deep instead of sixteen (the
 * velocity query is latency-bound); tanh is {@link #tanh(float)}. The vectorized kernels therefore
 * agree with the scalar ones bit for bit, and one point evaluated alone gives the same bits as in a
 * batch of 1000: the float model is one deterministic function, so that {@code F(0)} cancels
 * exactly against the anchor {@code c} (the goal stays exact) and the inverse pass undoes the
 * forward pass to double rounding.
 *
 * <p>Arrays are structure of arrays as in {@link Kernels}: row {@code r} of a block of {@code P}
 * points starts at {@code off + r * P}. Weights come twice: row-major out x in ({@code w}) and
 * transposed in x out ({@code wT}, used to vectorize a single point over the outputs).
 */
public abstract class FloatKernels {

  /** Clamp of the float tanh: beyond it the result stays at 1 - 2.4e-7 (4 float ulps below 1). */
  static final float TANH_CLAMP = 7.90531110763549805f;

  // Rational approximation of tanh in float, x * P(x^2) / Q(x^2), P of degree 6 and Q of degree
  // 3 in x^2 (the minimax approximation used by Eigen and XLA for float tanh). Max error vs the
  // exact tanh a few float ulps (FloatKernelsTest bounds it).
  static final float A1 = 4.89352455891786e-03f;
  static final float A3 = 6.37261928875436e-04f;
  static final float A5 = 1.48572235717979e-05f;
  static final float A7 = 5.12229709037114e-08f;
  static final float A9 = -8.60467152213735e-11f;
  static final float A11 = 2.00018790482477e-13f;
  static final float A13 = -2.76076847742355e-16f;
  static final float B0 = 4.89352518554385e-03f;
  static final float B2 = 2.26843463243900e-03f;
  static final float B4 = 1.18534705686654e-04f;
  static final float B6 = 1.19825839466702e-06f;

  /** Kernel name as shown in benchmarks, e.g. {@code "float-scalar"}. */
  public abstract String name();

  /** Points per vector (1 for scalar kernels); see {@link Kernels#lanes()}. */
  public int lanes() {
    return 1;
  }

  /**
   * One dense layer over P points, optionally followed by tanh: {@code y[o*P + p] = act(bias[o] +
   * sum_i w[o*in + i] * x[xOff + i*P + p])} in the canonical order.
   *
   * @param bias out biases, or {@code null} for none (tangents). Not modified.
   * @param y output rows from {@code yOff}; must not alias x. Modified.
   */
  public abstract void layer(
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
      int yOff);

  /**
   * A network with one hidden layer over P points: {@code y = W1 tanh(W0 x + b0) + b1}, the same
   * bits as {@code layer(w0, .., hidden, in, true, x, 0, P, h, 0)} followed by {@code layer(w1, ..,
   * out, hidden, false, h, 0, P, y, 0)} (which is what this default does). The vector kernels fuse
   * the two layers per vector of points, so the hidden activations stay in the first-level cache
   * instead of making two round trips through memory per layer (what the rollout spends its time
   * on; see the model README).
   *
   * @param x input rows from 0, {@code in * P} values. Not modified.
   * @param h scratch of at least {@code hidden * P} values; its contents afterwards are
   *     unspecified. Modified.
   * @param y output rows from 0, {@code out * P} values; must not alias x or h. Modified.
   */
  public void hiddenLayerNet(
      float[] w0,
      float[] w0T,
      float[] b0,
      int hidden,
      int in,
      float[] w1,
      float[] w1T,
      float[] b1,
      int out,
      float[] x,
      int points,
      float[] h,
      float[] y) {
    layer(w0, w0T, b0, hidden, in, true, x, 0, points, h, 0);
    layer(w1, w1T, b1, out, hidden, false, h, 0, points, y, 0);
  }

  /**
   * {@code dy[i] *= 1 - h[hOff + i]^2} (as {@code fma(-h, h, 1)}) for i in [0, n): tanh's
   * derivative.
   */
  public abstract void tanhDerivative(float[] h, int hOff, float[] dy, int n);

  /**
   * The coupling clamp's tanh: {@code th[i] = tanh(a[i] * invClamp)} for i in [0, n), widened to a
   * float array.
   */
  public abstract void clampTanh(float[] a, int n, float invClamp, float[] th);

  /** In place {@code a[i] = tanh(a[i])} for i in [off, off + len). */
  public abstract void tanh(float[] a, int off, int len);

  /**
   * The float tanh every implementation computes (clamp to +-7.905, then the rational function).
   * NaN stays NaN.
   */
  public static float tanh(float x) {
    float c = Math.min(Math.max(x, -TANH_CLAMP), TANH_CLAMP);
    float x2 = c * c;
    float p = Math.fma(x2, A13, A11);
    p = Math.fma(x2, p, A9);
    p = Math.fma(x2, p, A7);
    p = Math.fma(x2, p, A5);
    p = Math.fma(x2, p, A3);
    p = Math.fma(x2, p, A1);
    p = c * p;
    float q = Math.fma(x2, B6, B4);
    q = Math.fma(x2, q, B2);
    q = Math.fma(x2, q, B0);
    return p / q;
  }

  /** Dot products of at least this many terms run that many chains (the canonical order). */
  static final int CHAINS = 16;

  /**
   * The canonical dot product of one point: {@code b + sum_i w[wOff + i] * x[xOff + i * stride]}
   * (class Javadoc: one chain from b below {@link #CHAINS} terms, else sixteen chains, a balanced
   * tree, then b).
   */
  static float dot(float[] w, int wOff, int in, float[] x, int xOff, int stride, float b) {
    if (in < CHAINS) {
      float a = b;
      for (int i = 0; i < in; i++) {
        a = Math.fma(x[xOff + i * stride], w[wOff + i], a);
      }
      return a;
    }
    // Written out (sixteen accumulators, one pass over the inputs): a loop per chain ran the
    // velocity query 2x slower.
    int in16 = in - in % CHAINS;
    float c0 = 0f;
    float c1 = 0f;
    float c2 = 0f;
    float c3 = 0f;
    float c4 = 0f;
    float c5 = 0f;
    float c6 = 0f;
    float c7 = 0f;
    float c8 = 0f;
    float c9 = 0f;
    float c10 = 0f;
    float c11 = 0f;
    float c12 = 0f;
    float c13 = 0f;
    float c14 = 0f;
    float c15 = 0f;
    int i = 0;
    for (; i < in16; i += CHAINS) {
      int xi = xOff + i * stride;
      int wi = wOff + i;
      c0 = Math.fma(x[xi], w[wi], c0);
      c1 = Math.fma(x[xi + 1 * stride], w[wi + 1], c1);
      c2 = Math.fma(x[xi + 2 * stride], w[wi + 2], c2);
      c3 = Math.fma(x[xi + 3 * stride], w[wi + 3], c3);
      c4 = Math.fma(x[xi + 4 * stride], w[wi + 4], c4);
      c5 = Math.fma(x[xi + 5 * stride], w[wi + 5], c5);
      c6 = Math.fma(x[xi + 6 * stride], w[wi + 6], c6);
      c7 = Math.fma(x[xi + 7 * stride], w[wi + 7], c7);
      c8 = Math.fma(x[xi + 8 * stride], w[wi + 8], c8);
      c9 = Math.fma(x[xi + 9 * stride], w[wi + 9], c9);
      c10 = Math.fma(x[xi + 10 * stride], w[wi + 10], c10);
      c11 = Math.fma(x[xi + 11 * stride], w[wi + 11], c11);
      c12 = Math.fma(x[xi + 12 * stride], w[wi + 12], c12);
      c13 = Math.fma(x[xi + 13 * stride], w[wi + 13], c13);
      c14 = Math.fma(x[xi + 14 * stride], w[wi + 14], c14);
      c15 = Math.fma(x[xi + 15 * stride], w[wi + 15], c15);
    }
    for (; i < in; i++) {
      c0 = Math.fma(x[xOff + i * stride], w[wOff + i], c0);
    }
    return ((((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7)))
            + (((c8 + c9) + (c10 + c11)) + ((c12 + c13) + (c14 + c15))))
        + b;
  }

  /** The plain-loop reference. */
  public static FloatKernels scalar() {
    return ScalarFloatKernels.INSTANCE;
  }

  /** Whether the Vector API float kernels can run in this JVM. */
  public static boolean vectorAvailable() {
    return Holder.VECTOR != null;
  }

  /**
   * The float kernels matching double kernels {@code k}: the scalar reference for {@link
   * Kernels#scalar()} or where the Vector API is missing (JVM without {@code --add-modules
   * jdk.incubator.vector}), else the Vector API ones.
   */
  public static FloatKernels matching(Kernels k) {
    if (k == Kernels.scalar() || Holder.VECTOR == null) {
      return ScalarFloatKernels.INSTANCE;
    }
    return Holder.VECTOR;
  }

  private static final class Holder {
    static final FloatKernels VECTOR = load();

    private static FloatKernels load() {
      if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
        return null;
      }
      try {
        return (FloatKernels)
            Class.forName("org.diffeomotion.model.internal.VectorFloatKernels")
                .getDeclaredField("INSTANCE")
                .get(null);
      } catch (ReflectiveOperationException | LinkageError e) {
        return null;
      }
    }
  }
}
