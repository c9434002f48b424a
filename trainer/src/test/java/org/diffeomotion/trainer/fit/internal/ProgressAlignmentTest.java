package org.diffeomotion.trainer.fit.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.diffeomotion.model.MotionModel;
import org.diffeomotion.model.Rollout;
import org.diffeomotion.proto.model.v1.Model;
import org.junit.jupiter.api.Test;

/** Re-timing demos to the model's progress: the monotone assignment and the rollout it uses. */
class ProgressAlignmentTest {

  @Test
  void assignmentIsTheMonotoneNearestWithFixedEnds() {
    // Grid points on the x axis at x = k (times k / 10); samples near x = 0, 2.2, 2.4, 1.9, 7.9.
    int m = 11;
    double[] r = new double[2 * m];
    double[] times = new double[m];
    for (int k = 0; k < m; k++) {
      r[2 * k] = k;
      times[k] = k / 10.0;
    }
    double[][] z = {{0.3, 0}, {2.2, 0.1}, {2.4, 0}, {1.9, 0}, {7.9, 0}, {6.0, 0}};
    double[] s = ProgressAlignment.assign(z, r, 2, times);
    // The fourth sample (x = 1.9) may not go back before the third's point 2; the last is pinned
    // to the end (point 10) although point 6 is nearer. Equal points get times 1e-9 of the duration
    // apart.
    double gap = 1e-9;
    assertArrayEquals(
        new double[] {0, 0.2, 0.2 + gap, 0.2 + 2 * gap, 0.8, 1.0}, s, 1e-15, "assigned times");
  }

  @Test
  void samplesOnTheModelsOwnRolloutGetTheirOwnTimes() throws Exception {
    long seed = 5;
    FlowLayout lay = new FlowLayout(2, 0, 3, 8, 1, 0.05, 2.0, seed);
    // Random (non-identity) coupling nets: perturb the identity start.
    double[] th = FlowEngine.initialParameters(lay, seed, 2.0, new double[] {3.0}, 2.0);
    SplittableRandom rng = new SplittableRandom(seed);
    for (int i = 0; i < th.length; i++) {
      th[i] += 0.05 * (rng.nextDouble() - 0.5);
    }
    double duration = 2.0;
    int grid = ProgressAlignment.GRID;
    int[] at = {0, 7, 30, 31, 120, 400, grid - 1};
    double[] gridTimes = new double[grid];
    for (int k = 0; k < grid; k++) {
      gridTimes[k] = duration * k / (grid - 1);
    }
    Model.Builder mb =
        Model.newBuilder()
            .setName("t")
            .setStateDim(2)
            .setFrameId("n")
            .setTimeScale(1)
            .setAugmentDim(0)
            .setBase(FlowExport.base(lay, th))
            .addAllBlocks(FlowExport.blocks(lay, th));
    for (int i = 0; i < 2; i++) {
      mb.addDimensionNames("z" + i).addDimensionUnits("1").addGoal(0).addScale(1);
    }
    double[] path =
        new Rollout(MotionModel.fromProto(mb.build()), grid)
            .rollout(new double[] {0.8, -0.5}, gridTimes);
    double[][] z = new double[at.length][];
    double[] expect = new double[at.length];
    for (int i = 0; i < at.length; i++) {
      z[i] = new double[] {path[2 * at[i]], path[2 * at[i] + 1]};
      expect[i] = gridTimes[at[i]];
    }
    double[] own = new double[at.length];
    own[at.length - 1] = duration; // only the duration of the given times is used
    ProgressAlignment a = new ProgressAlignment(lay, List.of(own), List.<double[][]>of(z));
    List<double[]> s = a.align(th);
    assertEquals(1, s.size());
    assertArrayEquals(expect, s.get(0), 1e-12, "seed " + seed);
    for (int i = 1; i < at.length; i++) {
      assertTrue(s.get(0)[i] > s.get(0)[i - 1], "increasing at " + i);
    }
  }
}
