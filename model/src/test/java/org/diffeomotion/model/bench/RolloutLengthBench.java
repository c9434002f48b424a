package org.diffeomotion.model.bench;

import java.util.Locale;
import org.diffeomotion.model.MotionModel;
import org.diffeomotion.model.Rollout;
import org.diffeomotion.model.Status;
import org.diffeomotion.model.testing.ModelFactory;
import org.diffeomotion.model.testing.ModelSpec;

/**
 * Cost of one closed-form rollout of the reference model by its number of points, lengths on and
 * off the vector length (scripts/bench-parallel.sh runs it after ParallelBench): p50/p99/max per
 * rollout and the p50 per point. Rollout pads its chunks to the kernels' lane count, so lengths off
 * a multiple of it should cost about as much per point as the multiples.
 */
public final class RolloutLengthBench {
  public static void main(String[] args) {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 1.0;
    MotionModel model =
        ModelFactory.random(new ModelSpec().stateDim(2).augmentDim(0).blocks(8).hidden(64), 42);
    int[] lengths = {1, 2, 8, 10, 16, 20, 63, 64, 100, 128, 1000};
    Rollout r = new Rollout(model, 1000);
    double[] y0 = {1.2, -0.8};
    double[] out = new double[2000];
    System.out.printf(Locale.ROOT, "one rollout by length (reference model, double, one thread)%n");
    for (int round = 0; round < 2; round++) {
      for (int n : lengths) {
        double[] t = new double[n];
        for (int j = 0; j < n; j++) {
          t[j] = n == 1 ? 0 : 10.0 * j / (n - 1);
        }
        ModelBench.Stats st =
            ModelBench.measure(
                round == 0 ? seconds / 4 : seconds,
                () -> r.tryRollout(y0, t, n, out, null) == Status.OK ? 0 : 1);
        if (round == 1) {
          System.out.printf(
              Locale.ROOT, "%5d points  %s  %7.3f us per point%n", n, st, st.p50 / n * 1e6);
        }
      }
    }
  }

  private RolloutLengthBench() {}
}
