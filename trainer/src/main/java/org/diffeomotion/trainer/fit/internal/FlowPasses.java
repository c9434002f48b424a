package org.diffeomotion.trainer.fit.internal;

import static org.diffeomotion.trainer.fit.internal.Nd4jArrays.cols;
import static org.diffeomotion.trainer.fit.internal.Nd4jArrays.fOrder;
import static org.diffeomotion.trainer.fit.internal.Nd4jArrays.matrix;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The coupling flow F over a batch of N rows in ND4J ops, and its reverse mode (TRAINING.md): the
 * same formulas as {@link ScalarFlow} and as the model module's coupling block. The nets' weights
 * are views into the engine's flat parameter vector, their gradients views into the flat gradient.
 * Not thread-safe.
 */
final class FlowPasses {

  /** Per-block activations of one pass over n rows. */
  private static final class BlockCache {
    final INDArray w;
    final INDArray w1;
    final INDArray w2;
    final Nd4jMlp.Cache a;
    final Nd4jMlp.Cache b;

    /** tanh(a/c) of net_a's and net_b's log-scales. */
    final INDArray thA;

    final INDArray thB;

    /** exp(clamp(a)): the scales the block applied. */
    final INDArray eA;

    final INDArray eB;

    BlockCache(FlowLayout lay, Nd4jMlp netA, Nd4jMlp netB, int n) {
      w = matrix(n, lay.dim);
      w1 = cols(w, 0, lay.m);
      w2 = cols(w, lay.m, lay.dim);
      a = new Nd4jMlp.Cache(netA, n);
      b = new Nd4jMlp.Cache(netB, n);
      thA = matrix(n, lay.m);
      thB = matrix(n, lay.r);
      eA = matrix(n, lay.m);
      eB = matrix(n, lay.r);
    }
  }

  /** One batch of n rows pushed forward through all K blocks, and back (reverse mode). */
  static final class Batch {
    final int n;

    /** states[k] is the input of block k (forward direction); states[K] is F's output. */
    final INDArray[] states;

    final INDArray[] lo;
    final INDArray[] hi;
    final INDArray[] gStates;
    final INDArray[] gLo;
    final INDArray[] gHi;
    private final BlockCache[] blocks;
    final INDArray gw;
    final INDArray gw1;
    final INDArray gw2;
    final Nd4jMlp.Scratch sA;
    final Nd4jMlp.Scratch sB;
    final INDArray dtA;
    final INDArray dtB;
    final INDArray ones;
    final INDArray onesCol;

    private Batch(FlowLayout lay, Nd4jMlp[] netA, Nd4jMlp[] netB, int n) {
      this.n = n;
      int kk = lay.blocks;
      states = new INDArray[kk + 1];
      lo = new INDArray[kk + 1];
      hi = new INDArray[kk + 1];
      gStates = new INDArray[kk + 1];
      gLo = new INDArray[kk + 1];
      gHi = new INDArray[kk + 1];
      for (int k = 0; k <= kk; k++) {
        states[k] = matrix(n, lay.dim);
        lo[k] = cols(states[k], 0, lay.m);
        hi[k] = cols(states[k], lay.m, lay.dim);
        gStates[k] = matrix(n, lay.dim);
        gLo[k] = cols(gStates[k], 0, lay.m);
        gHi[k] = cols(gStates[k], lay.m, lay.dim);
      }
      blocks = new BlockCache[kk];
      for (int k = 0; k < kk; k++) {
        blocks[k] = new BlockCache(lay, netA[k], netB[k], n);
      }
      gw = matrix(n, lay.dim);
      gw1 = cols(gw, 0, lay.m);
      gw2 = cols(gw, lay.m, lay.dim);
      sA = new Nd4jMlp.Scratch(lay.r, 2 * lay.m, lay.width, lay.hiddenLayers + 1, n);
      sB = new Nd4jMlp.Scratch(lay.m, 2 * lay.r, lay.width, lay.hiddenLayers + 1, n);
      dtA = matrix(n, lay.m);
      dtB = matrix(n, lay.r);
      ones = Nd4jMlp.ones(n);
      onesCol = ones.reshape('f', n, 1);
    }
  }

  private final FlowLayout layout;
  private final Nd4jMlp[] netA;
  private final Nd4jMlp[] netB;
  private final INDArray[] perm;

  /** params, grads: the engine's flat parameter and gradient vectors (the nets keep views). */
  FlowPasses(FlowLayout layout, INDArray params, INDArray grads) {
    this.layout = layout;
    int dim = layout.dim;
    netA = new Nd4jMlp[layout.blocks];
    netB = new Nd4jMlp[layout.blocks];
    perm = new INDArray[layout.blocks];
    for (int k = 0; k < layout.blocks; k++) {
      netA[k] = new Nd4jMlp(layout.netA[k], layout.width, params, grads);
      netB[k] = new Nd4jMlp(layout.netB[k], layout.width, params, grads);
      double[][] p = new double[dim][dim];
      for (int i = 0; i < dim; i++) {
        p[layout.permutations[k][i]][i] = 1.0;
      }
      perm[k] = fOrder(p);
    }
  }

  /** The buffers of a pass over n rows (allocated here, once). */
  Batch batch(int n) {
    return new Batch(layout, netA, netB, n);
  }

  /** bt.states[K] = F(bt.states[0]), keeping the activations for {@link #forwardBackward}. */
  void forward(Batch bt) {
    for (int k = 0; k < layout.blocks; k++) {
      blockForward(k, bt);
    }
  }

  /**
   * Reverse mode of {@link #forward}: reads bt.gStates[K], writes bt.gStates[0], adds parameter
   * gradients.
   */
  void forwardBackward(Batch bt) {
    for (int k = layout.blocks - 1; k >= 0; k--) {
      blockForwardBackward(k, bt);
    }
  }

  private void blockForward(int k, Batch bt) {
    BlockCache c = bt.blocks[k];
    double cl = layout.clamp;
    INDArray u1 = bt.lo[k];
    INDArray u2 = bt.hi[k];
    netA[k].forward(u2, c.a, bt.onesCol);
    c.a.outLo.mul(1.0 / cl, c.thA);
    Transforms.tanh(c.thA, false);
    c.thA.mul(cl, c.eA);
    Transforms.exp(c.eA, false);
    u1.mul(c.eA, c.w1);
    c.w1.addi(c.a.outHi);
    netB[k].forward(c.w1, c.b, bt.onesCol);
    c.b.outLo.mul(1.0 / cl, c.thB);
    Transforms.tanh(c.thB, false);
    c.thB.mul(cl, c.eB);
    Transforms.exp(c.eB, false);
    u2.mul(c.eB, c.w2);
    c.w2.addi(c.b.outHi);
    Nd4j.gemm(c.w, perm[k], bt.states[k + 1], false, false, 1.0, 0.0);
  }

  /**
   * Reverse mode of blockForward: reads bt.gStates[k+1], writes bt.gStates[k], adds parameter
   * gradients.
   */
  private void blockForwardBackward(int k, Batch bt) {
    BlockCache c = bt.blocks[k];
    INDArray u1 = bt.lo[k];
    INDArray u2 = bt.hi[k];
    INDArray gu1 = bt.gLo[k];
    INDArray gu2 = bt.gHi[k];
    Nd4j.gemm(bt.gStates[k + 1], perm[k], bt.gw, false, true, 1.0, 0.0);
    // v2 = u2 * e1 + b1
    bt.gw2.mul(c.eB, gu2);
    bt.sB.gOutHi.assign(bt.gw2);
    dtanh(c.thB, bt.dtB);
    gu2.mul(u2, bt.sB.gOutLo);
    bt.sB.gOutLo.muli(bt.dtB);
    netB[k].backward(c.w1, c.b, bt.sB, bt.ones);
    bt.gw1.addi(bt.sB.gIn);
    // v1 = u1 * e2 + b2
    bt.gw1.mul(c.eA, gu1);
    bt.sA.gOutHi.assign(bt.gw1);
    dtanh(c.thA, bt.dtA);
    gu1.mul(u1, bt.sA.gOutLo);
    bt.sA.gOutLo.muli(bt.dtA);
    netA[k].backward(u2, c.a, bt.sA, bt.ones);
    gu2.addi(bt.sA.gIn);
  }

  /** out = d clamp(a) / da = 1 - tanh(a/c)^2, from th = tanh(a/c). */
  private static void dtanh(INDArray th, INDArray out) {
    th.mul(th, out);
    out.rsubi(1.0);
  }
}
