package org.diffeomotion.model.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.diffeomotion.model.Seeds;
import org.junit.jupiter.api.Test;

/** The float kernels: tanh accuracy, vector = scalar reference bit for bit, batch invariance. */
class FloatKernelsTest {
  private final FloatKernels vec = FloatKernels.matching(Kernels.named("vector"));
  private final FloatKernels ref = FloatKernels.scalar();

  @Test
  void floatTanhIsAccurateToSixFloatUlps() {
    int n = 400_001;
    float[] a = new float[n + 6];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (-20 + 40.0 * i / (n - 1));
    }
    float[] edges = {0f, -0f, 1e-30f, 7.9f, 1e30f, -1e30f};
    System.arraycopy(edges, 0, a, n, edges.length);
    float[] v = a.clone();
    vec.tanh(v, 0, v.length);
    double worst = 0;
    for (int i = 0; i < a.length; i++) {
      double want = Math.tanh(a[i]);
      // error in units of float's spacing near the value (absolute below 2^-24)
      double err = Math.abs(v[i] - want) / Math.max(Math.ulp((float) want), Math.ulp(1e-30f));
      worst = Math.max(worst, err);
    }
    assertTrue(worst <= 6, "float tanh error " + worst + " ulp");
    assertEquals(1f, v[n + 4], 3e-7f);
    assertEquals(-1f, v[n + 5], 3e-7f);
    float[] nan = new float[32];
    java.util.Arrays.fill(nan, Float.NaN);
    nan[6] = Float.intBitsToFloat(0xffc00001); // negative NaN with a payload
    nan[7] = Float.intBitsToFloat(0x7f800001); // signalling-pattern NaN
    vec.tanh(nan, 0, 32);
    assertTrue(Float.isNaN(nan[5]), "NaN stays NaN");
    assertTrue(Float.isNaN(nan[6]) && Float.isNaN(nan[7]), "every NaN stays NaN");
  }

  /**
   * The vector tanh clamps |x| and puts the sign back (one min instead of min and max): the same
   * bits as the scalar reference's clamp of x, for signed zeros, subnormals, the clamp's edge and
   * its neighbours, infinities and a seeded sweep of random bit patterns.
   */
  @Test
  void vectorTanhEqualsTheScalarTanhBitForBit() {
    long seed = Seeds.base("floatTanhBits");
    Random rnd = new Random(seed);
    float c = FloatKernels.TANH_CLAMP;
    float[] edges = {
      0f,
      -0f,
      Float.MIN_VALUE,
      -Float.MIN_VALUE,
      Float.MIN_NORMAL,
      -Float.MIN_NORMAL,
      c,
      -c,
      Math.nextUp(c),
      Math.nextDown(c),
      -Math.nextUp(c),
      -Math.nextDown(c),
      Float.MAX_VALUE,
      -Float.MAX_VALUE,
      Float.POSITIVE_INFINITY,
      Float.NEGATIVE_INFINITY,
      1e-20f,
      -3.5f
    };
    int n = 200_000;
    float[] a = new float[n + edges.length];
    for (int i = 0; i < n; i++) {
      float v;
      do {
        v = i % 2 == 0 ? Float.intBitsToFloat(rnd.nextInt()) : (float) (12 * rnd.nextGaussian());
      } while (Float.isNaN(v));
      a[i] = v;
    }
    System.arraycopy(edges, 0, a, n, edges.length);
    float[] v = a.clone();
    vec.tanh(v, 0, v.length);
    for (int i = 0; i < a.length; i++) {
      float want = FloatKernels.tanh(a[i]);
      assertEquals(
          Float.floatToRawIntBits(want),
          Float.floatToRawIntBits(v[i]),
          "seed " + seed + ": tanh(" + a[i] + ") vector " + v[i] + ", scalar " + want);
    }
  }

  @Test
  void vectorLayersEqualTheScalarReferenceBitForBitAtEveryBatchSize() {
    long seed = Seeds.base("floatLayers");
    Random rnd = new Random(seed);
    int[][] shapes = {
      {1, 64}, {64, 2}, {3, 5}, {17, 9}, {8, 8}, {64, 64}, {2, 33}, {40, 17}, {16, 16}, {15, 20}
    };
    int[] batch = {1, 2, 15, 16, 17, 64, 70};
    for (int[] sh : shapes) {
      int in = sh[0];
      int out = sh[1];
      float[] w = new float[in * out];
      float[] wT = new float[in * out];
      float[] b = new float[out];
      for (int o = 0; o < out; o++) {
        b[o] = (float) rnd.nextGaussian();
        for (int i = 0; i < in; i++) {
          w[o * in + i] = (float) rnd.nextGaussian();
          wT[i * out + o] = w[o * in + i];
        }
      }
      for (int p : batch) {
        float[] x = new float[in * p + 3];
        for (int i = 0; i < x.length; i++) {
          x[i] = (float) (2 * rnd.nextGaussian());
        }
        for (int mode = 0; mode < 3; mode++) {
          boolean tanh = mode == 0;
          float[] bias = mode == 2 ? null : b;
          float[] yv = new float[out * p];
          float[] yr = new float[out * p];
          vec.layer(w, wT, bias, out, in, tanh, x, 3, p, yv, 0);
          ref.layer(w, wT, bias, out, in, tanh, x, 3, p, yr, 0);
          for (int i = 0; i < yv.length; i++) {
            assertEquals(yr[i], yv[i], 0f, "shape " + in + "x" + out + " points " + p + " at " + i);
          }
          // Point q alone gives the bits it gets in the batch.
          int q = p / 2;
          float[] one = new float[in];
          for (int i = 0; i < in; i++) {
            one[i] = x[3 + i * p + q];
          }
          float[] y1 = new float[out];
          vec.layer(w, wT, bias, out, in, tanh, one, 0, 1, y1, 0);
          for (int o = 0; o < out; o++) {
            assertEquals(yv[o * p + q], y1[o], 0f, "one point vs batch, output " + o);
          }
        }
      }
    }
  }

  @Test
  void fusedHiddenLayerNetEqualsTheTwoLayersBitForBit() {
    long seed = Seeds.base("floatHiddenLayerNet");
    Random rnd = new Random(seed);
    // {in, hidden, out}: the reference nets (1 -> 64 -> 2), pose and 3-D couplings, a hidden width
    // that is no multiple of 4, the unfused fall-backs (in >= 16, hidden < 16).
    int[][] shapes = {
      {1, 64, 2}, {3, 64, 6}, {2, 24, 4}, {1, 63, 2}, {9, 16, 3}, {1, 5, 2}, {1, 12, 2}, {16, 32, 2}
    };
    int l = vec.lanes();
    int[] batch = {1, l - 1, l, 3 * l, 3 * l + 5, 64 * l};
    for (int[] sh : shapes) {
      int in = sh[0];
      int hidden = sh[1];
      int out = sh[2];
      float[][] w = new float[2][];
      float[][] wT = new float[2][];
      float[][] b = new float[2][];
      int[] ins = {in, hidden};
      int[] outs = {hidden, out};
      for (int k = 0; k < 2; k++) {
        w[k] = new float[ins[k] * outs[k]];
        wT[k] = new float[ins[k] * outs[k]];
        b[k] = new float[outs[k]];
        for (int o = 0; o < outs[k]; o++) {
          b[k][o] = (float) rnd.nextGaussian();
          for (int i = 0; i < ins[k]; i++) {
            w[k][o * ins[k] + i] = (float) (rnd.nextGaussian() * 3 / Math.sqrt(ins[k]));
            wT[k][i * outs[k] + o] = w[k][o * ins[k] + i];
          }
        }
      }
      for (int p : batch) {
        float[] x = new float[in * p];
        for (int i = 0; i < x.length; i++) {
          x[i] = (float) (2 * rnd.nextGaussian());
        }
        float[] h = new float[hidden * p];
        float[] hr = new float[hidden * p];
        float[] yv = new float[out * p];
        float[] yr = new float[out * p];
        vec.hiddenLayerNet(w[0], wT[0], b[0], hidden, in, w[1], wT[1], b[1], out, x, p, h, yv);
        ref.layer(w[0], wT[0], b[0], hidden, in, true, x, 0, p, hr, 0);
        ref.layer(w[1], wT[1], b[1], out, hidden, false, hr, 0, p, yr, 0);
        for (int i = 0; i < yv.length; i++) {
          assertEquals(
              yr[i],
              yv[i],
              0f,
              "seed "
                  + seed
                  + ", net "
                  + in
                  + "-"
                  + hidden
                  + "-"
                  + out
                  + ", points "
                  + p
                  + " at "
                  + i);
        }
      }
    }
  }

  @Test
  void tanhDerivativeAndClampTanhMatchTheReference() {
    Random rnd = new Random(Seeds.base("floatDerivative"));
    int n = 77;
    float[] h = new float[n];
    float[] d1 = new float[n];
    for (int i = 0; i < n; i++) {
      h[i] = (float) Math.tanh(rnd.nextGaussian());
      d1[i] = (float) rnd.nextGaussian();
    }
    float[] d2 = d1.clone();
    vec.tanhDerivative(h, 0, d1, n);
    ref.tanhDerivative(h, 0, d2, n);
    float[] t1 = new float[n];
    float[] t2 = new float[n];
    vec.clampTanh(d2, n, 0.5f, t1);
    ref.clampTanh(d2, n, 0.5f, t2);
    for (int i = 0; i < n; i++) {
      assertEquals(d2[i], d1[i], 0f);
      assertEquals(t2[i], t1[i], 0f);
    }
  }
}
