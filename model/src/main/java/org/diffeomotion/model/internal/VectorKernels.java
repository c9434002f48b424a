package org.diffeomotion.model.internal;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Kernels on the incubating Vector API ({@code --add-modules jdk.incubator.vector}).
 *
 * <p>tanh dominates the model's cost (1040 per point for the reference model). Measured on this
 * project's machines (AVX-512, JDK 17; {@code scripts/bench-model.sh}): {@link Math#tanh} ~18-20 ns
 * an element, the JIT's short-vector-math {@code VectorOperators.TANH} ~1.5 ns, and the rational
 * scheme below, written in vector arithmetic, ~1.05 ns at a relative error of ~1e-15, so that is
 * what {@link #tanh} uses. {@code EXP}, {@code SIN}, {@code COS} use the JIT's vector math (about 1
 * ulp).
 *
 * <p>Only loaded reflectively by {@link Kernels}, so that JVMs without the module still run the
 * scalar kernels.
 */
final class VectorKernels extends Kernels {
  static final VectorKernels INSTANCE = new VectorKernels();
  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final VectorShuffle<Double> SWAP1 =
      VectorShuffle.fromOp(S, i -> (i ^ 1) & (L - 1));
  private static final VectorShuffle<Double> SWAP2 =
      VectorShuffle.fromOp(S, i -> (i ^ 2) & (L - 1));
  private static final VectorShuffle<Double> SWAP4 =
      VectorShuffle.fromOp(S, i -> (i ^ 4) & (L - 1));

  private VectorKernels() {}

  @Override
  public int lanes() {
    return L;
  }

  @Override
  public String name() {
    return "vector(" + S.vectorBitSize() + "-bit)";
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
    if (points == 1) {
      denseOnePoint(w, bias, out, in, x, xOff, y, yOff);
      return;
    }
    int vecEnd = points - points % L;
    for (int o = 0; o < out; o++) {
      int yRow = yOff + o * points;
      int wRow = o * in;
      double b = bias == null ? 0.0 : bias[o];
      // Accumulate a whole vector of points in a register across the inputs: one load of x
      // and one FMA per (input, vector), one store per vector.
      for (int p = 0; p < vecEnd; p += L) {
        DoubleVector acc = DoubleVector.broadcast(S, b);
        for (int i = 0; i < in; i++) {
          acc =
              DoubleVector.fromArray(S, x, xOff + i * points + p)
                  .fma(DoubleVector.broadcast(S, w[wRow + i]), acc);
        }
        acc.intoArray(y, yRow + p);
      }
      for (int p = vecEnd; p < points; p++) {
        double acc = b;
        for (int i = 0; i < in; i++) {
          acc = Math.fma(w[wRow + i], x[xOff + i * points + p], acc);
        }
        y[yRow + p] = acc;
      }
    }
  }

  /** Pade (7,6) coefficients of tanh(u) / u, divided through by 135135. */
  private static final double PA1 = 17325.0 / 135135;

  private static final double PA2 = 378.0 / 135135;
  private static final double PA3 = 1.0 / 135135;
  private static final double PB1 = 62370.0 / 135135;
  private static final double PB2 = 3150.0 / 135135;
  private static final double PB3 = 28.0 / 135135;

  /**
   * tanh of a vector: clamp to |x| <= 20 (tanh(20) rounds to 1), u = x / 8, t = the (7,6) Pade
   * approximant of tanh(u) (|u| <= 2.5), then three doublings tanh(2u) = 2t / (1 + t^2). The
   * doublings carry numerator and denominator separately, (n, d) -> (n d, (n^2 + d^2) / 2), so one
   * division remains; they also shrink the approximant's relative error (the doubling map's
   * relative condition number is (1 - t^2) / (1 + t^2) <= 1). Max relative error ~7e-16
   * (KernelsTest). NaN stays NaN.
   */
  @Override
  public void tanh(double[] a, int off, int len) {
    int end = off + len;
    int i = off;
    // The vector code lives only inside this loop, so no vector crosses a call: a vector returned
    // by a method the JIT does not inline is boxed on the heap. With a helper returning the tanh
    // of a DoubleVector, AllocationTest saw 6144 bytes per iteration in most runs once the float
    // kernels shared its callers (the float kernels had the same fix, VectorFloatKernels).
    for (int vecEnd = off + len - len % L; i < vecEnd; i += L) {
      DoubleVector u = DoubleVector.fromArray(S, a, i).max(-20.0).min(20.0).mul(1.0 / 8);
      DoubleVector u2 = u.mul(u);
      DoubleVector n =
          u2.fma(PA3, PA2).fma(u2, DoubleVector.broadcast(S, PA1)).mul(u2).add(1.0).mul(u);
      DoubleVector d = u2.fma(PB3, PB2).fma(u2, DoubleVector.broadcast(S, PB1)).mul(u2).add(1.0);
      for (int k = 0; k < 3; k++) {
        DoubleVector t = n.mul(d);
        d = d.fma(d, n.mul(n)).mul(0.5);
        n = t;
      }
      n.div(d).intoArray(a, i);
    }
    for (; i < end; i++) {
      a[i] = Math.tanh(a[i]);
    }
  }

  /**
   * Dense layer and tanh fused: the activations go to memory once, already squashed (the tanh of
   * {@link #tanh(double[], int, int)}, same operations, written out in the loop).
   */
  @Override
  public void denseTanh(
      double[] w,
      double[] bias,
      int out,
      int in,
      double[] x,
      int xOff,
      int points,
      double[] y,
      int yOff) {
    if (points < L) {
      dense(w, bias, out, in, x, xOff, points, y, yOff);
      tanh(y, yOff, out * points);
      return;
    }
    int vecEnd = points - points % L;
    for (int o = 0; o < out; o++) {
      int yRow = yOff + o * points;
      int wRow = o * in;
      double b = bias[o];
      for (int p = 0; p < vecEnd; p += L) {
        DoubleVector acc = DoubleVector.broadcast(S, b);
        for (int i = 0; i < in; i++) {
          acc =
              DoubleVector.fromArray(S, x, xOff + i * points + p)
                  .fma(DoubleVector.broadcast(S, w[wRow + i]), acc);
        }
        // tanh(acc) of tanh(double[]) written out here (no vector crosses a call), so that the
        // activations go to memory once, already squashed: a separate in-place pass over the
        // row cost ~20 % of a rollout.
        DoubleVector u = acc.max(-20.0).min(20.0).mul(1.0 / 8);
        DoubleVector u2 = u.mul(u);
        DoubleVector n =
            u2.fma(PA3, PA2).fma(u2, DoubleVector.broadcast(S, PA1)).mul(u2).add(1.0).mul(u);
        DoubleVector d = u2.fma(PB3, PB2).fma(u2, DoubleVector.broadcast(S, PB1)).mul(u2).add(1.0);
        for (int k = 0; k < 3; k++) {
          DoubleVector t = n.mul(d);
          d = d.fma(d, n.mul(n)).mul(0.5);
          n = t;
        }
        n.div(d).intoArray(y, yRow + p);
      }
      for (int p = vecEnd; p < points; p++) {
        double acc = b;
        for (int i = 0; i < in; i++) {
          acc = Math.fma(w[wRow + i], x[xOff + i * points + p], acc);
        }
        y[yRow + p] = Math.tanh(acc);
      }
    }
  }

  /**
   * One point (the reactive velocity query): vectorize over the outputs when there is one input,
   * else over the inputs of each output's dot product.
   */
  private static void denseOnePoint(
      double[] w, double[] bias, int out, int in, double[] x, int xOff, double[] y, int yOff) {
    if (in == 1) {
      double x0 = x[xOff];
      int o = 0;
      for (int oEnd = out - out % L; o < oEnd; o += L) {
        DoubleVector acc = bias == null ? DoubleVector.zero(S) : DoubleVector.fromArray(S, bias, o);
        DoubleVector.fromArray(S, w, o)
            .fma(DoubleVector.broadcast(S, x0), acc)
            .intoArray(y, yOff + o);
      }
      for (; o < out; o++) {
        y[yOff + o] = Math.fma(w[o], x0, bias == null ? 0.0 : bias[o]);
      }
      return;
    }
    int iEnd = in - in % L;
    for (int o = 0; o < out; o++) {
      int row = o * in;
      double acc = bias == null ? 0.0 : bias[o];
      if (iEnd > 0) {
        DoubleVector v = DoubleVector.zero(S);
        for (int i = 0; i < iEnd; i += L) {
          v = DoubleVector.fromArray(S, w, row + i).fma(DoubleVector.fromArray(S, x, xOff + i), v);
        }
        // A fixed balanced tree (lanes i and i ^ 1, i ^ 2, i ^ 4), not reduceLanes(ADD), whose
        // order is unspecified and differed between interpreted and compiled code by an ulp.
        if (L <= 8) {
          if (L > 1) {
            v = v.add(v.rearrange(SWAP1));
          }
          if (L > 2) {
            v = v.add(v.rearrange(SWAP2));
          }
          if (L > 4) {
            v = v.add(v.rearrange(SWAP4));
          }
          acc += v.lane(0);
        } else {
          double sum = 0; // wider vectors (SVE): lanes in order, still one fixed order
          for (int k = 0; k < L; k++) {
            sum += v.lane(k);
          }
          acc += sum;
        }
      }
      for (int i = iEnd; i < in; i++) {
        acc = Math.fma(w[row + i], x[xOff + i], acc);
      }
      y[yOff + o] = acc;
    }
  }

  @Override
  public void exp(double[] a, int off, int len) {
    int end = off + len;
    int i = off;
    for (int vecEnd = off + len - len % L; i < vecEnd; i += L) {
      DoubleVector.fromArray(S, a, i).lanewise(VectorOperators.EXP).intoArray(a, i);
    }
    for (; i < end; i++) {
      a[i] = Math.exp(a[i]);
    }
  }

  @Override
  public void sinCos(double[] a, double[] s, double[] c, int len) {
    int i = 0;
    for (int vecEnd = len - len % L; i < vecEnd; i += L) {
      DoubleVector v = DoubleVector.fromArray(S, a, i);
      v.lanewise(VectorOperators.SIN).intoArray(s, i);
      v.lanewise(VectorOperators.COS).intoArray(c, i);
    }
    for (; i < len; i++) {
      s[i] = Math.sin(a[i]);
      c[i] = Math.cos(a[i]);
    }
  }
}
