package org.diffeomotion.model.internal;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Kernels on the incubating Vector API ({@code --add-modules jdk.incubator.vector}). On x86 the
 * JIT maps {@code TANH}/{@code EXP}/{@code SIN}/{@code COS} to Intel's short-vector math
 * library (about 1 ulp), which is what makes a 1000-point rollout fit in a millisecond: the
 * scalar {@link Math#tanh} costs ~18 ns an element on JDK 17, these ~1.5 ns.
 *
 * <p>Only loaded reflectively by {@link Kernels}, so that JVMs without the module still run
 * the scalar kernels.
 */
final class VectorKernels extends Kernels {
  static final VectorKernels INSTANCE = new VectorKernels();
  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  private VectorKernels() {}

  @Override
  public String name() {
    return "vector(" + S.vectorBitSize() + "-bit)";
  }

  @Override
  public void dense(double[] w, double[] bias, int out, int in,
                    double[] x, int xOff, int points, double[] y, int yOff) {
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
          acc = DoubleVector.fromArray(S, x, xOff + i * points + p)
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

  @Override
  public void tanh(double[] a, int off, int len) {
    int end = off + len;
    int i = off;
    for (int vecEnd = off + len - len % L; i < vecEnd; i += L) {
      DoubleVector.fromArray(S, a, i).lanewise(VectorOperators.TANH).intoArray(a, i);
    }
    for (; i < end; i++) {
      a[i] = Math.tanh(a[i]);
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
