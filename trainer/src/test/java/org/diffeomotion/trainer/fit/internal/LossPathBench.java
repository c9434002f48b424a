package org.diffeomotion.trainer.fit.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Benchmark harness (a main, not a test; run by scripts/bench-train.sh after TrainBench): one loss
 * and gradient evaluation of the engine, batched ND4J pass against the plain-Java row path
 * (RowLoss), side by side in one run, by the number of fitted points, 6 blocks x 64, d = 2, one
 * thread; the row path with the best (vector) kernels and with the scalar reference kernels
 * (RowKernels). Prints p50/p99/max per path and the ratios of the medians; the crossover sets
 * FlowEngine.rowPathMaxPoints. Arguments: [repetitions per size] [sizes...].
 */
public final class LossPathBench {

  private LossPathBench() {}

  public static void main(String[] args) {
    int reps = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int[] sizes =
        args.length > 1
            ? Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray()
            : new int[] {100, 250, 500, 1000, 2000};
    org.diffeomotion.trainer.fit.Trainer.setComputeThreads(1);
    FlowLayout lay = new FlowLayout(2, 0, 6, 64, 1, 0.05, 2.0, 1L);
    SplittableRandom rng = new SplittableRandom(7);
    double[] th = FlowEngine.initialParameters(lay, 1L, 1.2, new double[] {0.3}, 8.0);
    for (int i = 0; i < th.length; i++) {
      th[i] += 0.01 * (rng.nextDouble() - 0.5);
    }
    System.out.printf(
        Locale.ROOT,
        "loss and gradient, 5 demos, d=2, 6 blocks x 64, %d evaluations per size and path,"
            + " interleaved; the default path uses rows up to %d points (%s kernels)%n",
        reps,
        FlowEngine.rowPathMaxPoints(RowKernels.best()),
        RowKernels.bestName());
    for (int n : sizes) {
      List<double[]> s = new ArrayList<>();
      List<double[][]> z = new ArrayList<>();
      int per = n / 5;
      for (int j = 0; j < 5; j++) {
        double[] sj = new double[per];
        double[][] zj = new double[per][2];
        for (int i = 0; i < per; i++) {
          sj[i] = 5.0 * i / (per - 1);
          zj[i][0] = Math.cos(sj[i] + j) * Math.exp(-sj[i]);
          zj[i][1] = Math.sin(sj[i]) * Math.exp(-sj[i]);
        }
        s.add(sj);
        z.add(zj);
      }
      FlowEngine batched = new FlowEngine(lay, s, z, List.of(), List.of());
      FlowEngine rows = new FlowEngine(lay, s, z, List.of(), List.of());
      FlowEngine scalarRows = new FlowEngine(lay, s, z, List.of(), List.of(), RowKernels.scalar());
      batched.usePath(FlowEngine.Path.BATCHED);
      rows.usePath(FlowEngine.Path.ROWS);
      scalarRows.usePath(FlowEngine.Path.ROWS);
      batched.setParameterValues(th);
      rows.setParameterValues(th);
      scalarRows.setParameterValues(th);
      for (int i = 0; i < 20; i++) {
        batched.lossAndGradient();
        rows.lossAndGradient();
        scalarRows.lossAndGradient();
      }
      long[] tb = new long[reps];
      long[] tr = new long[reps];
      long[] ts = new long[reps];
      for (int i = 0; i < reps; i++) {
        long t0 = System.nanoTime();
        batched.lossAndGradient();
        long t1 = System.nanoTime();
        rows.lossAndGradient();
        long t2 = System.nanoTime();
        scalarRows.lossAndGradient();
        ts[i] = System.nanoTime() - t2;
        tr[i] = t2 - t1;
        tb[i] = t1 - t0;
      }
      Arrays.sort(tb);
      Arrays.sort(tr);
      Arrays.sort(ts);
      System.out.printf(
          Locale.ROOT,
          "%5d points: batched p50 %.2f / p99 %.2f / max %.2f ms; rows (%s kernels) p50 %.2f /"
              + " p99 %.2f / max %.2f ms; rows (scalar kernels) p50 %.2f / p99 %.2f / max %.2f"
              + " ms; batched / rows p50 %.2f; scalar / %s kernels p50 %.2f%n",
          5 * per,
          tb[reps / 2] / 1e6,
          tb[(int) Math.ceil(reps * 0.99) - 1] / 1e6,
          tb[reps - 1] / 1e6,
          RowKernels.bestName(),
          tr[reps / 2] / 1e6,
          tr[(int) Math.ceil(reps * 0.99) - 1] / 1e6,
          tr[reps - 1] / 1e6,
          ts[reps / 2] / 1e6,
          ts[(int) Math.ceil(reps * 0.99) - 1] / 1e6,
          ts[reps - 1] / 1e6,
          (double) tb[reps / 2] / tr[reps / 2],
          RowKernels.bestName(),
          (double) ts[reps / 2] / tr[reps / 2]);
    }
  }
}
