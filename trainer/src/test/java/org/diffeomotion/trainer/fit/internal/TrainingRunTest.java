package org.diffeomotion.trainer.fit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.diffeomotion.trainer.fit.Demo;
import org.diffeomotion.trainer.fit.SyntheticSpiral;
import org.diffeomotion.trainer.fit.TrainingSet;
import org.junit.jupiter.api.Test;

/** The best iterate and the divergence guard of one start, driven by learning-rate schedules. */
class TrainingRunTest {

  private static TrainingRun run(long seed) {
    TrainingSet data = SyntheticSpiral.create(3, 0, 40, 1.0);
    List<double[]> s = new ArrayList<>();
    List<double[][]> z = new ArrayList<>();
    for (Demo d : data.train()) {
      s.add(d.s());
      z.add(d.z());
    }
    FlowLayout lay = new FlowLayout(2, 0, 3, 16, 1, 0.05, 2.0, seed);
    FlowEngine e = new FlowEngine(lay, s, z, List.of(), List.of());
    e.setParameterValues(FlowEngine.initialParameters(lay, seed, 0.8, new double[] {0.3}, 2.0));
    TrainingRun r = new TrainingRun(e, s, z, 0);
    r.resetBest();
    return r;
  }

  @Test
  void aRunPastItsBestEndsWithTheBestIterateRestored() {
    long seed = 21;
    TrainingRun r = run(seed);
    // 3e-3 for 60 iterations, then a learning rate that grows 15 % per iteration: the loss
    // falls, then wanders off (rollbacks halve the rate, the schedule keeps raising it).
    TrainingRun.LearningRate lr = i -> i < 60 ? 3e-3 : 3e-3 * Math.pow(1.15, i - 60);
    double last = Double.NaN;
    double min = Double.POSITIVE_INFINITY;
    long argmin = -1;
    for (long i = 0; i < 140; i++) {
      last = r.step(i, lr, i2 -> 0, i3 -> false);
      if (last < min) {
        min = last;
        argmin = i;
      }
    }
    double end = r.evaluateWhole(140);
    // The growing rate spikes again and again: rolled back each time, then declared diverged.
    assertTrue(
        r.diverged(), "seed " + seed + ": the growing learning rate should end in divergence");
    assertEquals(TrainingRun.MAX_ROLLBACKS + 1, r.rollbacks(), "seed " + seed);
    assertTrue(Double.isNaN(last), "seed " + seed + ": a diverged run does not step any more");
    assertTrue(argmin > 60, "seed " + seed + ": the rising rate first helped: best at " + argmin);
    assertEquals(Math.min(min, end), r.bestLoss(), 0.0, "seed " + seed);
    assertEquals(min <= end ? argmin : 140, r.bestIteration(), "seed " + seed);
    r.restoreBest();
    assertEquals(
        r.bestLoss(),
        r.engine().loss(),
        0.0,
        "seed " + seed + ": the engine holds the best iterate again");
  }

  @Test
  void aHugeLearningRateNeverLeavesAWorseIterateThanTheStart() {
    long seed = 22;
    TrainingRun r = run(seed);
    double initial = r.engine().loss();
    for (long i = 0; i < 100; i++) {
      r.step(i, it -> 1e4, it -> 0, it -> false);
    }
    double end = r.evaluateWhole(100);
    r.restoreBest();
    // The nets saturate (a flat, useless fit); the best iterate is never worse than the start
    // and never non-finite. diffeo train's fit check refuses such a fit (no better than the
    // identity).
    assertTrue(Double.isFinite(r.bestLoss()) && r.bestLoss() <= initial, "seed " + seed);
    assertEquals(r.bestLoss(), r.engine().loss(), 0.0, "seed " + seed);
  }
}
