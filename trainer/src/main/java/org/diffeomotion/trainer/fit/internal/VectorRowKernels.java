package org.diffeomotion.trainer.fit.internal;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.diffeomotion.model.Activations;

/**
 * {@link RowKernels} on the incubating Vector API. The coupling nets of a planar model take one
 * input (u2 or v1) into 64 hidden units and give 2 outputs, so the loops run over the hidden units:
 * a layer with one input is a scaled vector plus the bias, a layer into few outputs is one dot
 * product per output, and the reverse mode is the same two shapes transposed. Wider inputs (poses,
 * several hidden layers) take the dot-product form too; inputs narrower than a vector but above one
 * use the scalar kernels' loops. The tanh is the model module's ({@link Activations#tanh}).
 *
 * <p>Loaded only reflectively by {@link RowKernels}; no vector crosses a method boundary (a vector
 * the JIT does not inline is boxed on the heap).
 */
final class VectorRowKernels extends RowKernels {
  static final VectorRowKernels INSTANCE = new VectorRowKernels();
  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  private VectorRowKernels() {}

  @Override
  String name() {
    return "vector";
  }

  @Override
  void dense(double[] th, FlowLayout.Dense d, double[] h, double[] z, boolean squash) {
    int in = d.in();
    int out = d.out();
    int wo = d.weightOffset();
    int bo = d.biasOffset();
    if (in == 1) {
      // z = W[:,0] * h0 + b: the weights of a one-input layer lie contiguous over the outputs.
      double x = h[0];
      int o = 0;
      for (int end = out - out % L; o < end; o += L) {
        DoubleVector.fromArray(S, th, wo + o)
            .fma(DoubleVector.broadcast(S, x), DoubleVector.fromArray(S, th, bo + o))
            .intoArray(z, o);
      }
      for (; o < out; o++) {
        z[o] = Math.fma(th[wo + o], x, th[bo + o]);
      }
    } else if (in >= L) {
      int end = in - in % L;
      for (int o = 0; o < out; o++) {
        int row = wo + o * in;
        DoubleVector acc = DoubleVector.zero(S);
        for (int i = 0; i < end; i += L) {
          acc = DoubleVector.fromArray(S, th, row + i).fma(DoubleVector.fromArray(S, h, i), acc);
        }
        double s = th[bo + o] + acc.reduceLanes(VectorOperators.ADD);
        for (int i = end; i < in; i++) {
          s = Math.fma(th[row + i], h[i], s);
        }
        z[o] = s;
      }
    } else {
      // Fewer inputs than lanes and more than one (3-D and pose nets): the reference loops.
      RowKernels.scalar().dense(th, d, h, z, false);
    }
    if (squash) {
      Activations.tanh(z, 0, out);
    }
  }

  @Override
  void denseBackward(
      double[] th,
      FlowLayout.Dense d,
      double[] h,
      double[] go,
      double[] g,
      double[] gi,
      boolean squashInput) {
    int in = d.in();
    int out = d.out();
    int wo = d.weightOffset();
    int bo = d.biasOffset();
    int oEnd = out - out % L;
    int o = 0;
    for (; o < oEnd; o += L) {
      DoubleVector.fromArray(S, g, bo + o)
          .add(DoubleVector.fromArray(S, go, o))
          .intoArray(g, bo + o);
    }
    for (; o < out; o++) {
      g[bo + o] += go[o];
    }
    if (in == 1) {
      // dW[:,0] += go * h0 and gi0 = go . W[:,0], both contiguous over the outputs.
      DoubleVector x = DoubleVector.broadcast(S, h[0]);
      DoubleVector acc = DoubleVector.zero(S);
      for (o = 0; o < oEnd; o += L) {
        DoubleVector gz = DoubleVector.fromArray(S, go, o);
        gz.fma(x, DoubleVector.fromArray(S, g, wo + o)).intoArray(g, wo + o);
        acc = gz.fma(DoubleVector.fromArray(S, th, wo + o), acc);
      }
      double s = acc.reduceLanes(VectorOperators.ADD);
      for (; o < out; o++) {
        g[wo + o] = Math.fma(go[o], h[0], g[wo + o]);
        s = Math.fma(go[o], th[wo + o], s);
      }
      gi[0] = s;
    } else {
      java.util.Arrays.fill(gi, 0, in, 0.0);
      int iEnd = in - in % L;
      for (o = 0; o < out; o++) {
        double gzs = go[o];
        int row = wo + o * in;
        DoubleVector gz = DoubleVector.broadcast(S, gzs);
        int i = 0;
        for (; i < iEnd; i += L) {
          gz.fma(DoubleVector.fromArray(S, h, i), DoubleVector.fromArray(S, g, row + i))
              .intoArray(g, row + i);
          gz.fma(DoubleVector.fromArray(S, th, row + i), DoubleVector.fromArray(S, gi, i))
              .intoArray(gi, i);
        }
        for (; i < in; i++) {
          g[row + i] = Math.fma(gzs, h[i], g[row + i]);
          gi[i] = Math.fma(gzs, th[row + i], gi[i]);
        }
      }
    }
    if (squashInput) {
      int iEnd = in - in % L;
      int i = 0;
      for (; i < iEnd; i += L) {
        DoubleVector hv = DoubleVector.fromArray(S, h, i);
        DoubleVector.fromArray(S, gi, i)
            .mul(hv.fma(hv.neg(), DoubleVector.broadcast(S, 1.0)))
            .intoArray(gi, i);
      }
      for (; i < in; i++) {
        gi[i] *= 1 - h[i] * h[i];
      }
    }
  }
}
