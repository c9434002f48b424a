package org.diffeomotion.model.internal;

/**
 * Scratch memory for evaluating a {@link CouplingFlow} on up to {@code capacity} points at once.
 * One per thread: sized once, reused for every call, so evaluation allocates nothing.
 */
public final class FlowWorkspace {
  final int capacity;
  final double[] hA;
  final double[] hB;
  final double[] tA;
  final double[] tB;

  /** Network outputs [a, b] and their tangents: 2 * max(m, D - m) rows. */
  final double[] ab;

  final double[] dab;

  /** tanh(a / c) and the resulting scales exp(c tanh(a / c)): max(m, D - m) rows. */
  final double[] th;

  final double[] scale;

  /** (v1 || v2) before the permutation, and its tangent: D rows. */
  final double[] w;

  final double[] dw;

  /** Ping-pong state buffers between blocks: D rows each. */
  final double[] sA;

  final double[] sB;
  final double[] dA;
  final double[] dB;

  /** Float kernels for the coupling networks, or null: the networks run in double. */
  final FloatKernels fk;

  /** Float scratch (only with float kernels): network input/output rows and hidden layers. */
  final float[] fIn;

  final float[] fdIn;
  final float[] fOut;
  final float[] fdOut;
  final float[] fA;
  final float[] fB;
  final float[] fTA;
  final float[] fTB;
  final float[] fTh;

  // What CouplingFlow.inverseKeep keeps of one point for tangentAtInverse, per block b: its input
  // u (D values), scales and clamp tanh of both halves (first m, then D - m), and the hidden
  // activations of net_a (slot 2b) and net_b (slot 2b + 1) in the workspace's precision.
  final double[][] keepU;
  final double[][] keepS;
  final double[][] keepTh;
  final double[][] keepH;
  final float[][] keepHF;

  /** A workspace whose coupling networks run in double. */
  public FlowWorkspace(CouplingFlow flow, int capacity) {
    this(flow, capacity, null);
  }

  /**
   * @param floatKernels the float kernels the coupling networks run on, or null for double. The
   *     precision belongs to the workspace: every evaluation with it uses the same precision.
   */
  public FlowWorkspace(CouplingFlow flow, int capacity, FloatKernels floatKernels) {
    if (capacity < 1) {
      throw new IllegalArgumentException("workspace capacity must be >= 1 point, got " + capacity);
    }
    this.capacity = capacity;
    int dim = flow.dim();
    int half = Math.max(dim / 2, dim - dim / 2);
    int width = Math.max(1, flow.maxWidth());
    hA = new double[width * capacity];
    hB = new double[width * capacity];
    tA = new double[width * capacity];
    tB = new double[width * capacity];
    ab = new double[2 * half * capacity];
    dab = new double[2 * half * capacity];
    th = new double[half * capacity];
    scale = new double[half * capacity];
    w = new double[dim * capacity];
    dw = new double[dim * capacity];
    sA = new double[dim * capacity];
    sB = new double[dim * capacity];
    dA = new double[dim * capacity];
    dB = new double[dim * capacity];
    fk = floatKernels;
    int fw = floatKernels == null ? 0 : width * capacity;
    int fh = floatKernels == null ? 0 : half * capacity;
    fIn = new float[fh];
    fdIn = new float[fh];
    fOut = new float[2 * fh];
    fdOut = new float[2 * fh];
    fA = new float[fw];
    fB = new float[fw];
    fTA = new float[fw];
    fTB = new float[fw];
    fTh = new float[fh];
    int blocks = flow.blockCount();
    keepU = new double[blocks][dim];
    keepS = new double[blocks][dim];
    keepTh = new double[blocks][dim];
    keepH = new double[floatKernels == null ? 2 * blocks : 0][];
    keepHF = new float[floatKernels == null ? 0 : 2 * blocks][];
    for (int b = 0; b < blocks; b++) {
      for (int j = 0; j < 2; j++) {
        TanhMlp net = j == 0 ? flow.block(b).netA() : flow.block(b).netB();
        if (floatKernels == null) {
          keepH[2 * b + j] = new double[net.hiddenTotal()];
        } else {
          keepHF[2 * b + j] = new float[net.hiddenTotal()];
        }
      }
    }
  }

  /** The float kernels of the coupling networks, or null (double). */
  public FloatKernels floatKernels() {
    return fk;
  }

  /** Largest number of points one call may evaluate. */
  public int capacity() {
    return capacity;
  }
}
