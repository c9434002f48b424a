package org.diffeomotion.trainer.fit;

import java.util.Arrays;
import java.util.Locale;

/**
 * Benchmark harness (a main, not a test): per-iteration wall time of full-batch training on the
 * synthetic spiral, reported as p50/p99/max, for the reference size (7 demos x 200 points,
 * d = 2, 6 blocks x 64) and for width 256; then the time and iterations to reach a held-out
 * MSE target. Arguments: [warmup iterations] [measured iterations] [target held-out MSE]
 * [max iterations for the target run]. Prints to stdout (it is a command-line tool).
 */
public final class TrainBench {

    private TrainBench() { }

    public static void main(String[] args) throws Exception {
        int warm = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int iters = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        double target = args.length > 2 ? Double.parseDouble(args[2]) : 1e-3;
        int maxIters = args.length > 3 ? Integer.parseInt(args[3]) : 3000;
        System.out.println("backend: " + Trainer.backend() + ", cores: " + Runtime.getRuntime().availableProcessors()
                + ", OMP_NUM_THREADS=" + System.getenv("OMP_NUM_THREADS"));
        TrainingSet data = SyntheticSpiral.create(7, 3, 200, 1.2);
        int cores = Runtime.getRuntime().availableProcessors();
        for (int threads : cores > 1 ? new int[] {1, cores} : new int[] {1}) {
        Trainer.setComputeThreads(threads);
        for (int width : new int[] {64, 256}) {
            TrainOptions opt = TrainOptions.defaults().withBlocks(6).withWidth(width);
            Trainer t = new Trainer(data, opt);
            for (int i = 0; i < warm; i++) {
                t.step();
            }
            long[] ns = new long[iters];
            for (int i = 0; i < iters; i++) {
                long t0 = System.nanoTime();
                t.step();
                ns[i] = System.nanoTime() - t0;
            }
            Arrays.sort(ns);
            System.out.printf(Locale.ROOT, "%d thread(s), 7 demos x 200 points, d=2, 6 blocks x %d (1 hidden layer, %d params): "
                            + "per iteration p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d iterations after %d warm-up)%n",
                    threads, width, t.parameterCount(), ns[iters / 2] / 1e6, ns[(int) Math.min(iters - 1, Math.ceil(iters * 0.99) - 1)] / 1e6,
                    ns[iters - 1] / 1e6, iters, warm);
            System.out.println("  resident set size after this run: " + rss());
        }
        }
        Trainer.setComputeThreads(1);
        TrainOptions opt = TrainOptions.defaults().withBlocks(6).withWidth(64);
        Trainer t = new Trainer(data, opt);
        long t0 = System.nanoTime();
        int it = 0;
        double val = t.validationMse();
        while (val > target && it < maxIters) {
            for (int i = 0; i < 50; i++) {
                t.step();
            }
            it += 50;
            val = t.validationMse();
        }
        System.out.printf(Locale.ROOT, "1 thread, 6 blocks x 64: time to held-out MSE <= %.1e (normalised units^2, checked every 50 iterations): "
                        + "%s after %d iterations, %.1f s (train loss %.3e, held-out %.3e)%n",
                target, val <= target ? "reached" : "NOT reached", it, (System.nanoTime() - t0) / 1e9, t.trainingLoss(), val);
        System.out.println("  resident set size at the end: " + rss());
    }

    /** VmRSS from /proc (Linux), to watch ND4J's native memory; "n/a" elsewhere. */
    private static String rss() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return line.substring(6).trim();
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return "n/a";
        }
        return "n/a";
    }
}
