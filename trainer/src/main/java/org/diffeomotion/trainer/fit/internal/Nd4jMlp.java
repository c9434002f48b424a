package org.diffeomotion.trainer.fit.internal;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A tanh MLP whose weights and biases are views into the flat parameter vector, and whose gradients
 * are views into the flat gradient vector. Forward and backward over a batch of rows (one row per
 * point), a few large ops per layer: one gemm, one bias add, one tanh.
 */
final class Nd4jMlp {

  /** Activations of one forward pass over n rows, kept for the backward pass. */
  static final class Cache {
    final INDArray[] hidden;
    final INDArray out;

    /** First half of out (the log-scales a), second half (the shifts b). */
    final INDArray outLo;

    final INDArray outHi;

    Cache(Nd4jMlp net, int n) {
      hidden = new INDArray[net.layers - 1];
      for (int l = 0; l < hidden.length; l++) {
        hidden[l] = Nd4jArrays.matrix(n, net.width);
      }
      out = Nd4jArrays.matrix(n, net.out);
      outLo = Nd4jArrays.cols(out, 0, net.out / 2);
      outHi = Nd4jArrays.cols(out, net.out / 2, net.out);
    }
  }

  /** Backward scratch for n rows; shared by all blocks of the same net shape. */
  static final class Scratch {
    final INDArray gOut;
    final INDArray gOutLo;
    final INDArray gOutHi;
    final INDArray[] gHidden;
    final INDArray tmp;
    final INDArray gIn;

    Scratch(int in, int out, int width, int layers, int n) {
      gOut = Nd4jArrays.matrix(n, out);
      gOutLo = Nd4jArrays.cols(gOut, 0, out / 2);
      gOutHi = Nd4jArrays.cols(gOut, out / 2, out);
      gHidden = new INDArray[layers - 1];
      for (int l = 0; l < gHidden.length; l++) {
        gHidden[l] = Nd4jArrays.matrix(n, width);
      }
      tmp = Nd4jArrays.matrix(n, width);
      gIn = Nd4jArrays.matrix(n, in);
    }
  }

  final int in;
  final int out;
  final int width;
  final int layers;
  private final INDArray[] w;
  private final INDArray[] b;
  private final INDArray[] gw;
  private final INDArray[] gb;

  Nd4jMlp(FlowLayout.Dense[] spec, int width, INDArray params, INDArray grads) {
    this.layers = spec.length;
    this.in = spec[0].in();
    this.out = spec[layers - 1].out();
    this.width = width;
    w = new INDArray[layers];
    b = new INDArray[layers];
    gw = new INDArray[layers];
    gb = new INDArray[layers];
    for (int l = 0; l < layers; l++) {
      FlowLayout.Dense d = spec[l];
      w[l] = slice(params, d.weightOffset(), d.out(), d.in());
      b[l] = slice(params, d.biasOffset(), 1, d.out());
      gw[l] = slice(grads, d.weightOffset(), d.out(), d.in());
      gb[l] = slice(grads, d.biasOffset(), 1, d.out());
    }
  }

  private static INDArray slice(INDArray flat, int offset, int rows, int cols) {
    return flat.get(NDArrayIndex.interval(offset, offset + rows * cols)).reshape('c', rows, cols);
  }

  /**
   * out = net(x) row by row. x [n x in] not modified; c modified; onesCol an [n x 1] column of 1.
   *
   * <p>Hidden activations use tanh(z) = 1 - 2 / (exp(2z) + 1): libnd4j's exp is about 3x faster
   * than its tanh on large double arrays (TRAINING.md), and the identity is exact up to rounding
   * (absolute error ~1e-16; +-inf saturate to +-1, no NaN).
   */
  void forward(INDArray x, Cache c, INDArray onesCol) {
    INDArray h = x;
    for (int l = 0; l < layers; l++) {
      boolean last = l == layers - 1;
      INDArray z = last ? c.out : c.hidden[l];
      double alpha = last ? 1.0 : 2.0;
      Nd4j.gemm(h, w[l], z, false, true, alpha, 0.0);
      Nd4j.gemm(onesCol, b[l], z, false, false, alpha, 1.0);
      if (!last) {
        Transforms.exp(z, false);
        z.addi(1.0);
        z.rdivi(2.0);
        z.rsubi(1.0);
      }
      h = z;
    }
  }

  /**
   * Reverse mode: given dL/dout in s.gOut, adds dL/dW, dL/db to the gradient views and writes dL/dx
   * to s.gIn. x and c as in the forward pass (not modified); ones is a [1 x n] row of 1.
   */
  void backward(INDArray x, Cache c, Scratch s, INDArray ones) {
    INDArray g = s.gOut;
    for (int l = layers - 1; l >= 0; l--) {
      INDArray hin = l == 0 ? x : c.hidden[l - 1];
      Nd4j.gemm(g, hin, gw[l], true, false, 1.0, 1.0);
      Nd4j.gemm(ones, g, gb[l], false, false, 1.0, 1.0);
      INDArray gin = l == 0 ? s.gIn : s.gHidden[l - 1];
      Nd4j.gemm(g, w[l], gin, false, false, 1.0, 0.0);
      if (l > 0) {
        // tanh' = 1 - tanh^2, from the cached activation.
        hin.mul(hin, s.tmp);
        s.tmp.rsubi(1.0);
        gin.muli(s.tmp);
      }
      g = gin;
    }
  }

  static INDArray ones(int n) {
    return Nd4j.ones(DataType.DOUBLE, 1, n);
  }
}
