package org.diffeomotion.trainer.fit.internal;

import java.util.SplittableRandom;
import org.diffeomotion.trainer.fit.TrainOptions;

/**
 * Where every trainable number of the model lives in one flat parameter vector, and the fixed
 * (non-trained) structure: dimensions, permutations, clamps, epsilon.
 *
 * <p>Layout, in order: for each block k = 0..K-1, net_a then net_b, for each dense layer its
 * weights (out x in, row-major, as in the artifact) then its bias; then the decay parameters p of
 * all modes; then the frequencies omega of the oscillatory modes. Modes: D/2 oscillatory modes
 * covering dimensions (0,1), (2,3), ..., then one real mode if D is odd; or, for a <em>funnel</em>
 * (a = 0 only), d real modes, mode j covering dimension j.
 */
public final class FlowLayout {

  /** One dense layer's place in the flat vector. */
  public record Dense(int in, int out, int weightOffset, int biasOffset) {}

  public final int stateDim;
  public final int augmentDim;

  /** D = d + a. */
  public final int dim;

  /** m = floor(D/2): size of u1. */
  public final int m;

  /** r = D - m: size of u2. */
  public final int r;

  public final int blocks;
  public final int width;
  public final int hiddenLayers;
  public final double epsilon;
  public final double clamp;

  /** permutations[k][i]: block k's output i takes element permutations[k][i] of (v1 || v2). */
  public final int[][] permutations;

  /** netA[k][l], netB[k][l]: the dense layers. */
  public final Dense[][] netA;

  public final Dense[][] netB;
  public final int modes;
  public final int oscillatoryModes;
  public final int pOffset;
  public final int omegaOffset;

  /** Number of trainable parameters. */
  public final int size;

  /**
   * The trainer's layout: each block's permutation drawn from permutationSeed (see {@link
   * #permutation}); for D = 2 their product is the identity (an odd number of blocks ends with the
   * identity instead of a swap), so the untrained planar flow is the identity.
   */
  public FlowLayout(
      int stateDim,
      int augmentDim,
      int blocks,
      int width,
      int hiddenLayers,
      double epsilon,
      double clamp,
      long permutationSeed) {
    this(stateDim, augmentDim, blocks, width, hiddenLayers, epsilon, clamp, permutationSeed, false);
  }

  /**
   * The trainer's layout, with real modes only when {@code funnel} and a state without augmentation
   * (a = 0; TrainOptions.funnelApplies); otherwise the modes are the oscillatory pairs whatever
   * {@code funnel}.
   */
  public FlowLayout(
      int stateDim,
      int augmentDim,
      int blocks,
      int width,
      int hiddenLayers,
      double epsilon,
      double clamp,
      long permutationSeed,
      boolean funnel) {
    this(
        stateDim,
        augmentDim,
        blocks,
        width,
        hiddenLayers,
        epsilon,
        clamp,
        seededPermutations(checkedDim(stateDim, augmentDim), blocks, permutationSeed),
        funnel);
  }

  /**
   * A layout with given permutations (e.g. those of an existing model).
   *
   * @param permutations blocks rows, each a permutation of 0..D-1. Not copied.
   */
  public FlowLayout(
      int stateDim,
      int augmentDim,
      int blocks,
      int width,
      int hiddenLayers,
      double epsilon,
      double clamp,
      int[][] permutations) {
    this(stateDim, augmentDim, blocks, width, hiddenLayers, epsilon, clamp, permutations, false);
  }

  /**
   * A layout with given permutations, with d real modes when {@code funnel} and a = 0.
   *
   * @param permutations blocks rows, each a permutation of 0..D-1. Not copied.
   */
  public FlowLayout(
      int stateDim,
      int augmentDim,
      int blocks,
      int width,
      int hiddenLayers,
      double epsilon,
      double clamp,
      int[][] permutations,
      boolean funnel) {
    this.stateDim = stateDim;
    this.augmentDim = augmentDim;
    this.dim = checkedDim(stateDim, augmentDim);
    this.m = dim / 2;
    this.r = dim - m;
    this.blocks = blocks;
    this.width = width;
    this.hiddenLayers = hiddenLayers;
    this.epsilon = epsilon;
    this.clamp = clamp;
    if (permutations.length != blocks) {
      throw new IllegalArgumentException(
          blocks + " blocks, " + permutations.length + " permutations");
    }
    for (int[] p : permutations) {
      if (p.length != dim) {
        throw new IllegalArgumentException(
            "a permutation of " + p.length + " elements for D = " + dim);
      }
    }
    this.permutations = permutations;
    int off = 0;
    netA = new Dense[blocks][];
    netB = new Dense[blocks][];
    for (int k = 0; k < blocks; k++) {
      netA[k] = new Dense[hiddenLayers + 1];
      netB[k] = new Dense[hiddenLayers + 1];
      off = lay(netA[k], r, 2 * m, off);
      off = lay(netB[k], m, 2 * r, off);
    }
    this.oscillatoryModes =
        funnel && TrainOptions.funnelApplies(stateDim, augmentDim) ? 0 : dim / 2;
    this.modes = oscillatoryModes + dim - 2 * oscillatoryModes;
    this.pOffset = off;
    off += modes;
    this.omegaOffset = off;
    off += oscillatoryModes;
    this.size = off;
  }

  private int lay(Dense[] layers, int in, int out, int off) {
    int prev = in;
    for (int l = 0; l < layers.length; l++) {
      int o = l == layers.length - 1 ? out : width;
      layers[l] = new Dense(prev, o, off, off + o * prev);
      off += o * prev + o;
      prev = o;
    }
    return off;
  }

  private static int checkedDim(int stateDim, int augmentDim) {
    int dim = stateDim + augmentDim;
    if (dim < 2) {
      throw new IllegalArgumentException("state_dim + augment_dim must be >= 2, got " + dim);
    }
    return dim;
  }

  private static int[][] seededPermutations(int dim, int blocks, long seed) {
    int[][] out = new int[blocks][];
    SplittableRandom rng = new SplittableRandom(seed);
    for (int k = 0; k < blocks; k++) {
      out[k] = permutation(dim, rng);
    }
    if (dim == 2 && blocks % 2 == 1) {
      // The untrained flow is the product of the permutations (every coupling starts as the
      // identity), and BaseInit measures the demos' turning in the data's (x, y) plane: an odd
      // number of swaps would leave F a swap at init, and the base would turn against the demos.
      // The last block keeps the order instead. (For D > 2 the product is a random permutation;
      // making it the identity was measured and not adopted: trainer/BENCHMARK.md, The base's
      // planes.)
      out[blocks - 1] = new int[] {0, 1};
    }
    return out;
  }

  /**
   * D = 2: the swap, so that each block's u1 is the previous block's v2 and both dimensions are
   * mixed. D > 2: a seeded random permutation that is not the identity.
   */
  private static int[] permutation(int dim, SplittableRandom rng) {
    int[] p = new int[dim];
    for (int i = 0; i < dim; i++) {
      p[i] = dim - 1 - i;
    }
    if (dim == 2) {
      return p;
    }
    boolean identity = true;
    while (identity) {
      for (int i = dim - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        int t = p[i];
        p[i] = p[j];
        p[j] = t;
      }
      identity = true;
      for (int i = 0; i < dim; i++) {
        identity &= p[i] == i;
      }
    }
    return p;
  }

  /** First dimension covered by mode j (the oscillatory pairs first, then the real modes). */
  public int modeStart(int j) {
    return j < oscillatoryModes ? 2 * j : 2 * oscillatoryModes + (j - oscillatoryModes);
  }

  /** Whether the base is a funnel: real modes only (a = 0). */
  public boolean isFunnel() {
    return oscillatoryModes == 0;
  }

  public boolean isOscillatory(int j) {
    return j < oscillatoryModes;
  }
}
