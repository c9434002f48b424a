package org.diffeomotion.trainer.fit.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FlowLayoutTest {

  /**
   * Every block's permutation is a permutation, and for D = 2 the untrained flow (the product of
   * the permutations: each coupling starts as the identity) is the identity, so that the base turns
   * the way BaseInit measured the demos turn in the (x, y) plane. Before 8 Dec 2026 an odd number
   * of blocks left it a swap, and the base turned against the demos.
   */
  @Test
  void permutationsArePermutationsAndPlanarFlowsStartAsTheIdentity() {
    long sweep = System.nanoTime();
    SplittableRandom rng = new SplittableRandom(sweep);
    for (int trial = 0; trial < 200; trial++) {
      int d = 1 + rng.nextInt(8);
      int a = rng.nextInt(3);
      if (d + a < 2) {
        a = 1;
      }
      int blocks = rng.nextInt(11);
      long seed = rng.nextLong();
      FlowLayout lay = new FlowLayout(d, a, blocks, 8, 1, 0.05, 2.0, seed, rng.nextBoolean());
      int dim = d + a;
      int[] c = new int[dim];
      for (int i = 0; i < dim; i++) {
        c[i] = i;
      }
      String where = "sweep seed " + sweep + ": D " + dim + ", " + blocks + " blocks, seed " + seed;
      for (int[] p : lay.permutations) {
        int[] sorted = p.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < dim; i++) {
          assertTrue(sorted[i] == i, where + ": not a permutation " + Arrays.toString(p));
        }
        // block output i takes element p[i] of its input: the flow so far maps y[i] = x[c[p[i]]]
        int[] next = new int[dim];
        for (int i = 0; i < dim; i++) {
          next[i] = c[p[i]];
        }
        c = next;
      }
      if (dim == 2) {
        assertArrayEquals(new int[] {0, 1}, c, where);
        for (int k = 0; k < blocks - (blocks % 2); k++) {
          // the swaps as before (the default 6 blocks: all of them), the odd one out kept in order
          assertArrayEquals(new int[] {1, 0}, lay.permutations[k], where);
        }
      }
    }
  }
}
