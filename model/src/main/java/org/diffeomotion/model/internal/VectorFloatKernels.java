package org.diffeomotion.model.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float kernels on the incubating Vector API (16 lanes with AVX-512), in the canonical order of
 * {@link FloatKernels}: bit for bit the results of {@link ScalarFloatKernels}. Batches are
 * vectorized over the points; a single point (the velocity query, the start's inverse pass) over
 * the outputs, with the transposed weights. Loaded reflectively by {@link FloatKernels}.
 */
final class VectorFloatKernels extends FloatKernels {
  static final VectorFloatKernels INSTANCE = new VectorFloatKernels();
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final int SIGN = 0x80000000;
  private static final VectorShuffle<Float> SWAP1 = VectorShuffle.fromOp(S, i -> (i ^ 1) & (L - 1));
  private static final VectorShuffle<Float> SWAP2 = VectorShuffle.fromOp(S, i -> (i ^ 2) & (L - 1));
  private static final VectorShuffle<Float> SWAP4 = VectorShuffle.fromOp(S, i -> (i ^ 4) & (L - 1));
  private static final VectorShuffle<Float> SWAP8 = VectorShuffle.fromOp(S, i -> (i ^ 8) & (L - 1));

  private VectorFloatKernels() {}

  @Override
  public int lanes() {
    return L;
  }

  @Override
  public String name() {
    return "float-vector(" + S.vectorBitSize() + "-bit)";
  }

  /**
   * In place: the float tanh of {@link FloatKernels#tanh(float)}, lane by lane, same bits. The
   * clamp is taken on |x| (one {@code min}) and the sign put back on the result: the rational
   * function is odd and every IEEE operation in it is exactly symmetric under a sign flip, so
   * {@code r(-c) = -r(c)} bit for bit. Java's {@code min}/{@code max} keep NaN and order -0 below
   * +0, which costs several instructions each on x86; one instead of two made the float tanh 1.3x
   * faster (0.21 to 0.17 ns an element, AVX-512). An integer min on the bit patterns (plus a blend
   * for NaN) was faster still in a micro-benchmark (0.147 against 0.173 ns) but made the fused net
   * of a rollout 1.5x slower (JDK 17's code for it there), so it is not used.
   *
   * <p>The vector code lives only inside this loop, so no vector ever crosses a call (a vector
   * returned by a method the JIT does not inline is boxed on the heap).
   */
  private static void tanhInPlace(float[] a, int off, int len) {
    int end = off + len;
    int i = off;
    for (int vecEnd = off + len - len % L; i < vecEnd; i += L) {
      FloatVector v = FloatVector.fromArray(S, a, i);
      IntVector sign = v.reinterpretAsInts().and(SIGN);
      FloatVector c = v.abs().min(TANH_CLAMP);
      FloatVector x2 = c.mul(c);
      FloatVector p = x2.fma(A13, A11);
      p = x2.fma(p, FloatVector.broadcast(S, A9));
      p = x2.fma(p, FloatVector.broadcast(S, A7));
      p = x2.fma(p, FloatVector.broadcast(S, A5));
      p = x2.fma(p, FloatVector.broadcast(S, A3));
      p = x2.fma(p, FloatVector.broadcast(S, A1));
      p = c.mul(p);
      FloatVector q = x2.fma(B6, B4);
      q = x2.fma(q, FloatVector.broadcast(S, B2));
      q = x2.fma(q, FloatVector.broadcast(S, B0));
      p.div(q).reinterpretAsInts().or(sign).reinterpretAsFloats().intoArray(a, i);
    }
    for (; i < end; i++) {
      a[i] = FloatKernels.tanh(a[i]);
    }
  }

  // The loops below are written out in full, with no helper returning a vector except tanh (small,
  // always inlined): a vector that crosses a call the JIT does not inline is boxed on the heap
  // (seen: 17 MB per rollout when the dot product was a helper method).

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
    if (points == 1) {
      if (in < CHAINS) {
        onePointShort(w, wT, bias, out, in, tanh, x, xOff, y, yOff);
      } else {
        onePointLong(w, wT, bias, out, in, tanh, x, xOff, y, yOff);
      }
    } else if (in < CHAINS) {
      batchShort(w, bias, out, in, tanh, x, xOff, points, y, yOff);
    } else {
      batchLong(w, bias, out, in, tanh, x, xOff, points, y, yOff);
    }
  }

  /**
   * Fused per vector of L points: the hidden activations of those L points (hidden x L floats, a
   * few KB) are written to the front of {@code h} and read back at once by the second layer, so
   * they never leave the first-level cache. Same operations in the same order as the two {@link
   * #layer} calls it replaces (first layer: one chain from the bias, in < 16; second: sixteen
   * chains, hidden >= 16), hence the same bits. The points past the last full vector go one at a
   * time through the scalar canonical order; other shapes and single points take the unfused path.
   */
  @Override
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
    int vecEnd = points - points % L;
    if (in >= CHAINS || hidden < CHAINS || vecEnd == 0) {
      super.hiddenLayerNet(w0, w0T, b0, hidden, in, w1, w1T, b1, out, x, points, h, y);
      return;
    }
    for (int p = 0; p < vecEnd; p += L) {
      // First layer and tanh for these L points: row j of the tile at h[j * L].
      for (int j = 0; j < hidden; j++) {
        FloatVector a = FloatVector.broadcast(S, b0[j]);
        int wRow = j * in;
        for (int i = 0; i < in; i++) {
          a =
              FloatVector.fromArray(S, x, i * points + p)
                  .fma(FloatVector.broadcast(S, w0[wRow + i]), a);
        }
        IntVector sign = a.reinterpretAsInts().and(SIGN);
        FloatVector c = a.abs().min(TANH_CLAMP);
        FloatVector x2 = c.mul(c);
        FloatVector q = x2.fma(A13, A11);
        q = x2.fma(q, FloatVector.broadcast(S, A9));
        q = x2.fma(q, FloatVector.broadcast(S, A7));
        q = x2.fma(q, FloatVector.broadcast(S, A5));
        q = x2.fma(q, FloatVector.broadcast(S, A3));
        q = x2.fma(q, FloatVector.broadcast(S, A1));
        q = c.mul(q);
        FloatVector r = x2.fma(B6, B4);
        r = x2.fma(r, FloatVector.broadcast(S, B2));
        r = x2.fma(r, FloatVector.broadcast(S, B0));
        q.div(r).reinterpretAsInts().or(sign).reinterpretAsFloats().intoArray(h, j * L);
      }
      // Second layer from the tile: sixteen chains over the hidden units mod 16, the bias last.
      int hid16 = hidden - hidden % CHAINS;
      for (int o = 0; o < out; o++) {
        int wRow = o * hidden;
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = FloatVector.zero(S);
        FloatVector a2 = FloatVector.zero(S);
        FloatVector a3 = FloatVector.zero(S);
        FloatVector a4 = FloatVector.zero(S);
        FloatVector a5 = FloatVector.zero(S);
        FloatVector a6 = FloatVector.zero(S);
        FloatVector a7 = FloatVector.zero(S);
        FloatVector a8 = FloatVector.zero(S);
        FloatVector a9 = FloatVector.zero(S);
        FloatVector a10 = FloatVector.zero(S);
        FloatVector a11 = FloatVector.zero(S);
        FloatVector a12 = FloatVector.zero(S);
        FloatVector a13 = FloatVector.zero(S);
        FloatVector a14 = FloatVector.zero(S);
        FloatVector a15 = FloatVector.zero(S);
        int j = 0;
        for (; j < hid16; j += CHAINS) {
          a0 = FloatVector.fromArray(S, h, j * L).fma(FloatVector.broadcast(S, w1[wRow + j]), a0);
          a1 =
              FloatVector.fromArray(S, h, (j + 1) * L)
                  .fma(FloatVector.broadcast(S, w1[wRow + j + 1]), a1);
          a2 =
              FloatVector.fromArray(S, h, (j + 2) * L)
                  .fma(FloatVector.broadcast(S, w1[wRow + j + 2]), a2);
          a3 =
              FloatVector.fromArray(S, h, (j + 3) * L)
                  .fma(FloatVector.broadcast(S, w1[wRow + j + 3]), a3);
          a4 =
              FloatVector.fromArray(S, h, (j + 4) * L)
                  .fma(FloatVector.broadcast(S, w1[wRow + j + 4]), a4);
          a5 =
              FloatVector.fromArray(S, h, (j + 5) * L)
                  .fma(FloatVector.broadcast(S, w1[wRow + j + 5]), a5);
          a6 =
              FloatVector.fromArray(S, h, (j + 6) * L)
                  .fma(FloatVector.broadcast(S, w1[wRow + j + 6]), a6);
          a7 =
              FloatVector.fromArray(S, h, (j + 7) * L)
                  .fma(FloatVector.broadcast(S, w1[wRow + j + 7]), a7);
          a8 =
              FloatVector.fromArray(S, h, (j + 8) * L)
                  .fma(FloatVector.broadcast(S, w1[wRow + j + 8]), a8);
          a9 =
              FloatVector.fromArray(S, h, (j + 9) * L)
                  .fma(FloatVector.broadcast(S, w1[wRow + j + 9]), a9);
          a10 =
              FloatVector.fromArray(S, h, (j + 10) * L)
                  .fma(FloatVector.broadcast(S, w1[wRow + j + 10]), a10);
          a11 =
              FloatVector.fromArray(S, h, (j + 11) * L)
                  .fma(FloatVector.broadcast(S, w1[wRow + j + 11]), a11);
          a12 =
              FloatVector.fromArray(S, h, (j + 12) * L)
                  .fma(FloatVector.broadcast(S, w1[wRow + j + 12]), a12);
          a13 =
              FloatVector.fromArray(S, h, (j + 13) * L)
                  .fma(FloatVector.broadcast(S, w1[wRow + j + 13]), a13);
          a14 =
              FloatVector.fromArray(S, h, (j + 14) * L)
                  .fma(FloatVector.broadcast(S, w1[wRow + j + 14]), a14);
          a15 =
              FloatVector.fromArray(S, h, (j + 15) * L)
                  .fma(FloatVector.broadcast(S, w1[wRow + j + 15]), a15);
        }
        for (; j < hidden; j++) {
          a0 = FloatVector.fromArray(S, h, j * L).fma(FloatVector.broadcast(S, w1[wRow + j]), a0);
        }
        FloatVector sum =
            (((a0.add(a1)).add(a2.add(a3))).add((a4.add(a5)).add(a6.add(a7))))
                .add(((a8.add(a9)).add(a10.add(a11))).add((a12.add(a13)).add(a14.add(a15))));
        sum.add(b1 == null ? 0f : b1[o]).intoArray(y, o * points + p);
      }
    }
    // The points past the last full vector (8 of a 1000-point rollout with 16 lanes), one at a
    // time in the canonical scalar order: hidden units at the front of h, then the outputs.
    for (int p = vecEnd; p < points; p++) {
      for (int j = 0; j < hidden; j++) {
        h[j] = FloatKernels.tanh(dot(w0, j * in, in, x, p, points, b0[j]));
      }
      for (int o = 0; o < out; o++) {
        y[o * points + p] = dot(w1, o * hidden, hidden, h, 0, 1, b1 == null ? 0f : b1[o]);
      }
    }
  }

  /** Batch, in < 16: one FMA chain per point from the bias. */
  private static void batchShort(
      float[] w,
      float[] bias,
      int out,
      int in,
      boolean tanh,
      float[] x,
      int xOff,
      int points,
      float[] y,
      int yOff) {
    int vecEnd = points - points % L;
    for (int o = 0; o < out; o++) {
      float b = bias == null ? 0f : bias[o];
      int wRow = o * in;
      int yRow = yOff + o * points;
      for (int p = 0; p < vecEnd; p += L) {
        FloatVector a0 = FloatVector.broadcast(S, b);
        for (int i = 0; i < in; i++) {
          a0 =
              FloatVector.fromArray(S, x, xOff + i * points + p)
                  .fma(FloatVector.broadcast(S, w[wRow + i]), a0);
        }
        a0.intoArray(y, yRow + p);
      }
      tail(w, wRow, in, false, x, xOff, points, vecEnd, b, y, yRow);
      if (tanh) {
        tanhInPlace(y, yRow, points);
      }
    }
  }

  /** Batch, in >= 16: sixteen FMA chains per point over the inputs mod 16, the bias last. */
  private static void batchLong(
      float[] w,
      float[] bias,
      int out,
      int in,
      boolean tanh,
      float[] x,
      int xOff,
      int points,
      float[] y,
      int yOff) {
    int vecEnd = points - points % L;
    int in16 = in - in % CHAINS;
    for (int o = 0; o < out; o++) {
      float b = bias == null ? 0f : bias[o];
      int wRow = o * in;
      int yRow = yOff + o * points;
      for (int p = 0; p < vecEnd; p += L) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = FloatVector.zero(S);
        FloatVector a2 = FloatVector.zero(S);
        FloatVector a3 = FloatVector.zero(S);
        FloatVector a4 = FloatVector.zero(S);
        FloatVector a5 = FloatVector.zero(S);
        FloatVector a6 = FloatVector.zero(S);
        FloatVector a7 = FloatVector.zero(S);
        FloatVector a8 = FloatVector.zero(S);
        FloatVector a9 = FloatVector.zero(S);
        FloatVector a10 = FloatVector.zero(S);
        FloatVector a11 = FloatVector.zero(S);
        FloatVector a12 = FloatVector.zero(S);
        FloatVector a13 = FloatVector.zero(S);
        FloatVector a14 = FloatVector.zero(S);
        FloatVector a15 = FloatVector.zero(S);
        int i = 0;
        for (; i < in16; i += CHAINS) {
          int xi = xOff + i * points + p;
          int wi = wRow + i;
          a0 = FloatVector.fromArray(S, x, xi).fma(FloatVector.broadcast(S, w[wi]), a0);
          a1 =
              FloatVector.fromArray(S, x, xi + 1 * points)
                  .fma(FloatVector.broadcast(S, w[wi + 1]), a1);
          a2 =
              FloatVector.fromArray(S, x, xi + 2 * points)
                  .fma(FloatVector.broadcast(S, w[wi + 2]), a2);
          a3 =
              FloatVector.fromArray(S, x, xi + 3 * points)
                  .fma(FloatVector.broadcast(S, w[wi + 3]), a3);
          a4 =
              FloatVector.fromArray(S, x, xi + 4 * points)
                  .fma(FloatVector.broadcast(S, w[wi + 4]), a4);
          a5 =
              FloatVector.fromArray(S, x, xi + 5 * points)
                  .fma(FloatVector.broadcast(S, w[wi + 5]), a5);
          a6 =
              FloatVector.fromArray(S, x, xi + 6 * points)
                  .fma(FloatVector.broadcast(S, w[wi + 6]), a6);
          a7 =
              FloatVector.fromArray(S, x, xi + 7 * points)
                  .fma(FloatVector.broadcast(S, w[wi + 7]), a7);
          a8 =
              FloatVector.fromArray(S, x, xi + 8 * points)
                  .fma(FloatVector.broadcast(S, w[wi + 8]), a8);
          a9 =
              FloatVector.fromArray(S, x, xi + 9 * points)
                  .fma(FloatVector.broadcast(S, w[wi + 9]), a9);
          a10 =
              FloatVector.fromArray(S, x, xi + 10 * points)
                  .fma(FloatVector.broadcast(S, w[wi + 10]), a10);
          a11 =
              FloatVector.fromArray(S, x, xi + 11 * points)
                  .fma(FloatVector.broadcast(S, w[wi + 11]), a11);
          a12 =
              FloatVector.fromArray(S, x, xi + 12 * points)
                  .fma(FloatVector.broadcast(S, w[wi + 12]), a12);
          a13 =
              FloatVector.fromArray(S, x, xi + 13 * points)
                  .fma(FloatVector.broadcast(S, w[wi + 13]), a13);
          a14 =
              FloatVector.fromArray(S, x, xi + 14 * points)
                  .fma(FloatVector.broadcast(S, w[wi + 14]), a14);
          a15 =
              FloatVector.fromArray(S, x, xi + 15 * points)
                  .fma(FloatVector.broadcast(S, w[wi + 15]), a15);
        }
        for (; i < in; i++) {
          a0 =
              FloatVector.fromArray(S, x, xOff + i * points + p)
                  .fma(FloatVector.broadcast(S, w[wRow + i]), a0);
        }
        FloatVector sum =
            (((a0.add(a1)).add(a2.add(a3))).add((a4.add(a5)).add(a6.add(a7))))
                .add(((a8.add(a9)).add(a10.add(a11))).add((a12.add(a13)).add(a14.add(a15))));
        sum.add(b).intoArray(y, yRow + p);
      }
      tail(w, wRow, in, false, x, xOff, points, vecEnd, b, y, yRow);
      if (tanh) {
        tanhInPlace(y, yRow, points);
      }
    }
  }

  /** The points from {@code from} on, one at a time (scalar, same operations). */
  private static void tail(
      float[] w,
      int wRow,
      int in,
      boolean tanh,
      float[] x,
      int xOff,
      int points,
      int from,
      float b,
      float[] y,
      int yRow) {
    for (int p = from; p < points; p++) {
      float a = dot(w, wRow, in, x, xOff + p, points, b);
      y[yRow + p] = tanh ? FloatKernels.tanh(a) : a;
    }
  }

  /** One point, in < 16: vectorized over groups of L outputs (transposed weights). */
  private static void onePointShort(
      float[] w,
      float[] wT,
      float[] bias,
      int out,
      int in,
      boolean tanh,
      float[] x,
      int xOff,
      float[] y,
      int yOff) {
    int oEnd = out - out % L;
    for (int o = 0; o < oEnd; o += L) {
      FloatVector a0 = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, o);
      for (int i = 0; i < in; i++) {
        a0 =
            FloatVector.broadcast(S, x[xOff + i])
                .fma(FloatVector.fromArray(S, wT, i * out + o), a0);
      }
      a0.intoArray(y, yOff + o);
    }
    onePointTail(w, bias, out, in, false, x, xOff, oEnd, y, yOff);
    if (tanh) {
      tanhInPlace(y, yOff, out);
    }
  }

  /**
   * One point, in >= 16: sixteen chains over the inputs mod 16, vectorized over the outputs, the
   * bias last.
   */
  private static void onePointLong(
      float[] w,
      float[] wT,
      float[] bias,
      int out,
      int in,
      boolean tanh,
      float[] x,
      int xOff,
      float[] y,
      int yOff) {
    int oEnd = out - out % L;
    int in16 = in - in % CHAINS;
    for (int o = 0; o < oEnd; o += L) {
      FloatVector a0 = FloatVector.zero(S);
      FloatVector a1 = FloatVector.zero(S);
      FloatVector a2 = FloatVector.zero(S);
      FloatVector a3 = FloatVector.zero(S);
      FloatVector a4 = FloatVector.zero(S);
      FloatVector a5 = FloatVector.zero(S);
      FloatVector a6 = FloatVector.zero(S);
      FloatVector a7 = FloatVector.zero(S);
      FloatVector a8 = FloatVector.zero(S);
      FloatVector a9 = FloatVector.zero(S);
      FloatVector a10 = FloatVector.zero(S);
      FloatVector a11 = FloatVector.zero(S);
      FloatVector a12 = FloatVector.zero(S);
      FloatVector a13 = FloatVector.zero(S);
      FloatVector a14 = FloatVector.zero(S);
      FloatVector a15 = FloatVector.zero(S);
      int i = 0;
      for (; i < in16; i += CHAINS) {
        int t = i * out + o;
        a0 = FloatVector.broadcast(S, x[xOff + i]).fma(FloatVector.fromArray(S, wT, t), a0);
        a1 =
            FloatVector.broadcast(S, x[xOff + i + 1])
                .fma(FloatVector.fromArray(S, wT, t + 1 * out), a1);
        a2 =
            FloatVector.broadcast(S, x[xOff + i + 2])
                .fma(FloatVector.fromArray(S, wT, t + 2 * out), a2);
        a3 =
            FloatVector.broadcast(S, x[xOff + i + 3])
                .fma(FloatVector.fromArray(S, wT, t + 3 * out), a3);
        a4 =
            FloatVector.broadcast(S, x[xOff + i + 4])
                .fma(FloatVector.fromArray(S, wT, t + 4 * out), a4);
        a5 =
            FloatVector.broadcast(S, x[xOff + i + 5])
                .fma(FloatVector.fromArray(S, wT, t + 5 * out), a5);
        a6 =
            FloatVector.broadcast(S, x[xOff + i + 6])
                .fma(FloatVector.fromArray(S, wT, t + 6 * out), a6);
        a7 =
            FloatVector.broadcast(S, x[xOff + i + 7])
                .fma(FloatVector.fromArray(S, wT, t + 7 * out), a7);
        a8 =
            FloatVector.broadcast(S, x[xOff + i + 8])
                .fma(FloatVector.fromArray(S, wT, t + 8 * out), a8);
        a9 =
            FloatVector.broadcast(S, x[xOff + i + 9])
                .fma(FloatVector.fromArray(S, wT, t + 9 * out), a9);
        a10 =
            FloatVector.broadcast(S, x[xOff + i + 10])
                .fma(FloatVector.fromArray(S, wT, t + 10 * out), a10);
        a11 =
            FloatVector.broadcast(S, x[xOff + i + 11])
                .fma(FloatVector.fromArray(S, wT, t + 11 * out), a11);
        a12 =
            FloatVector.broadcast(S, x[xOff + i + 12])
                .fma(FloatVector.fromArray(S, wT, t + 12 * out), a12);
        a13 =
            FloatVector.broadcast(S, x[xOff + i + 13])
                .fma(FloatVector.fromArray(S, wT, t + 13 * out), a13);
        a14 =
            FloatVector.broadcast(S, x[xOff + i + 14])
                .fma(FloatVector.fromArray(S, wT, t + 14 * out), a14);
        a15 =
            FloatVector.broadcast(S, x[xOff + i + 15])
                .fma(FloatVector.fromArray(S, wT, t + 15 * out), a15);
      }
      for (; i < in; i++) {
        a0 =
            FloatVector.broadcast(S, x[xOff + i])
                .fma(FloatVector.fromArray(S, wT, i * out + o), a0);
      }
      FloatVector sum =
          (((a0.add(a1)).add(a2.add(a3))).add((a4.add(a5)).add(a6.add(a7))))
              .add(((a8.add(a9)).add(a10.add(a11))).add((a12.add(a13)).add(a14.add(a15))));
      // Adding +0 when there is no bias keeps the scalar order's bits (-0 + 0 = +0).
      sum.add(bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, o))
          .intoArray(y, yOff + o);
    }
    onePointTail(w, bias, out, in, false, x, xOff, oEnd, y, yOff);
    if (tanh) {
      tanhInPlace(y, yOff, out);
    }
  }

  /** Outputs from {@code from} on of one point, one at a time. */
  private static void onePointTail(
      float[] w,
      float[] bias,
      int out,
      int in,
      boolean tanh,
      float[] x,
      int xOff,
      int from,
      float[] y,
      int yOff) {
    boolean lanesAreChains = L == CHAINS && in >= CHAINS && in % CHAINS == 0;
    for (int o = from; o < out; o++) {
      float b = bias == null ? 0f : bias[o];
      float a;
      if (lanesAreChains) {
        // Lane k is chain k of the canonical order; the balanced tree by swapping lanes i and
        // i ^ 1, i ^ 2, i ^ 4, i ^ 8 (a + b and b + a have the same bits), lane 0 holding the sum.
        int wRow = o * in;
        FloatVector c = FloatVector.zero(S);
        for (int i = 0; i < in; i += CHAINS) {
          c = FloatVector.fromArray(S, x, xOff + i).fma(FloatVector.fromArray(S, w, wRow + i), c);
        }
        c = c.add(c.rearrange(SWAP1));
        c = c.add(c.rearrange(SWAP2));
        c = c.add(c.rearrange(SWAP4));
        c = c.add(c.rearrange(SWAP8));
        a = c.lane(0) + b;
      } else {
        a = dot(w, o * in, in, x, xOff, 1, b);
      }
      y[yOff + o] = tanh ? FloatKernels.tanh(a) : a;
    }
  }

  @Override
  public void tanhDerivative(float[] h, int hOff, float[] dy, int n) {
    int i = 0;
    for (int vecEnd = n - n % L; i < vecEnd; i += L) {
      FloatVector hv = FloatVector.fromArray(S, h, hOff + i);
      FloatVector.fromArray(S, dy, i)
          .mul(hv.neg().fma(hv, FloatVector.broadcast(S, 1f)))
          .intoArray(dy, i);
    }
    for (; i < n; i++) {
      float v = h[hOff + i];
      dy[i] *= Math.fma(-v, v, 1f);
    }
  }

  @Override
  public void clampTanh(float[] a, int n, float invClamp, float[] th) {
    int i = 0;
    for (int vecEnd = n - n % L; i < vecEnd; i += L) {
      FloatVector.fromArray(S, a, i).mul(invClamp).intoArray(th, i);
    }
    for (; i < n; i++) {
      th[i] = a[i] * invClamp;
    }
    tanhInPlace(th, 0, n);
  }

  @Override
  public void tanh(float[] a, int off, int len) {
    tanhInPlace(a, off, len);
  }
}
