package org.diffeomotion.model.bench;

import java.util.Locale;
import org.diffeomotion.model.MotionModel;
import org.diffeomotion.model.ParallelRollouts;
import org.diffeomotion.model.Precision;
import org.diffeomotion.model.Rollout;
import org.diffeomotion.model.Status;
import org.diffeomotion.model.testing.ModelFactory;
import org.diffeomotion.model.testing.ModelSpec;

/**
 * Batches of rollouts on one thread (Rollout.tryRolloutBatch) against ParallelRollouts on every
 * core, at sizes around the crossover, in one run (scripts/bench-parallel.sh). Prints p50/p99/max
 * of each and the one-thread / parallel ratio of the p50s; the split is forced (1 point per thread)
 * so that the crossover shows where the ratio passes 1.
 */
public final class ParallelBench {
  public static void main(String[] args) {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2.0;
    int threads = Runtime.getRuntime().availableProcessors();
    MotionModel model =
        ModelFactory.random(new ModelSpec().stateDim(2).augmentDim(0).blocks(8).hidden(64), 42);
    System.out.printf(
        Locale.ROOT,
        "reference model (d=2, 8 blocks x 64), double; %d threads for ParallelRollouts; %.1f s per"
            + " measurement%n",
        threads,
        seconds);
    int[][] sizes = {
      {2, 10}, {2, 25}, {2, 50}, {2, 100}, {2, 250}, {2, 1000}, {4, 1000}, {32, 1000}, {100, 100}
    };
    int maxN = 1000;
    Rollout one = new Rollout(model, maxN);
    try (ParallelRollouts par = new ParallelRollouts(model, maxN, Precision.DOUBLE, threads, 1)) {
      System.out.printf(
          Locale.ROOT,
          "%-18s %-48s %-48s %s%n",
          "starts x points",
          "one thread",
          threads + " threads (forced split)",
          "ratio p50");
      // Warm both paths up on every size first, so that no row pays for the JIT.
      for (int round = 0; round < 2; round++) {
        for (int[] sz : sizes) {
          run(one, par, sz[0], sz[1], round == 0 ? seconds / 4 : seconds, round == 1);
        }
      }
    }
  }

  private static void run(
      Rollout one, ParallelRollouts par, int k, int n, double seconds, boolean print) {
    double[] starts = new double[2 * k];
    for (int i = 0; i < starts.length; i++) {
      starts[i] = Math.sin(1.7 * i);
    }
    double[] times = new double[n];
    for (int j = 0; j < n; j++) {
      times[j] = 10.0 * j / (n - 1);
    }
    double[] out = new double[k * n * 2];
    ModelBench.Stats a =
        ModelBench.measure(
            seconds,
            () -> one.tryRolloutBatch(starts, k, times, n, out, null) == Status.OK ? 0 : 1);
    ModelBench.Stats b =
        ModelBench.measure(
            seconds,
            () -> par.tryRolloutBatch(starts, k, times, n, out, null) == Status.OK ? 0 : 1);
    if (print) {
      System.out.printf(
          Locale.ROOT, "%-18s %-48s %-48s %.2f%n", k + " x " + n, a, b, a.p50 / b.p50);
    }
  }

  private ParallelBench() {}
}
