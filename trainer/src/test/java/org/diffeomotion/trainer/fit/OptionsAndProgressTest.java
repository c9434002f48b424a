package org.diffeomotion.trainer.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptionsAndProgressTest {

  @Test
  void invalidOptionsNameTheField() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TrainOptions.defaults().withEpsilon(0));
    assertTrue(e.getMessage().contains("epsilon"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TrainOptions.defaults().withCheckpoints(10, null));
    assertTrue(e.getMessage().contains("checkpointPath"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> new Demo(new double[] {0, 0}, new double[2][2]));
    assertTrue(e.getMessage().contains("increasing"), e.getMessage());
    for (double bad : new double[] {0.5, -1, 1001, Double.NaN}) {
      e =
          assertThrows(
              IllegalArgumentException.class,
              () -> TrainOptions.defaults().toBuilder().farSpeed(bad).build(),
              "farSpeed " + bad);
      assertTrue(e.getMessage().contains("farSpeed"), e.getMessage());
    }
  }

  @Test
  void farSpeedIsTwoByDefaultAndShowsWhenOn() {
    assertEquals(2.0, TrainOptions.defaults().farSpeed());
    assertTrue(
        TrainOptions.defaults().toString().contains("farSpeed=2.0"),
        TrainOptions.defaults().toString());
    TrainOptions off = TrainOptions.defaults().toBuilder().farSpeed(0).build();
    assertEquals(0.0, off.farSpeed());
    assertTrue(!off.toString().contains("farSpeed"), off.toString());
    assertTrue(!off.equals(TrainOptions.defaults()), "another run");
  }

  @Test
  void theFunnelSuitsStartsThatLieCloseTogether() {
    assertTrue(TrainOptions.funnelSuitsStarts(0.013), "handwriting L");
    assertTrue(TrainOptions.funnelSuitsStarts(TrainOptions.FUNNEL_MAX_START_SPACING));
    assertTrue(TrainOptions.funnelSuitsStarts(Double.NaN), "one demo: nothing to say");
    assertTrue(!TrainOptions.funnelSuitsStarts(0.35), "the sample bag");
    assertTrue(!TrainOptions.funnelSuitsStarts(Double.POSITIVE_INFINITY));
  }

  @Test
  void blendChoiceIsOnByDefaultAndItsAbsenceShows() {
    assertTrue(TrainOptions.defaults().blendChoice());
    assertTrue(!TrainOptions.defaults().toString().contains("choice="));
    TrainOptions o = TrainOptions.defaults().toBuilder().blendChoice(false).build();
    assertTrue(!o.blendChoice());
    assertTrue(o.toString().contains(" choice=loss"), o.toString());
    assertTrue(!o.equals(TrainOptions.defaults()));
    assertTrue(o.toBuilder().build().equals(o));
  }

  @Test
  void progressReportsCountIterationsAndTheRemainingTime() throws IOException {
    long seed = 4;
    TrainingSet data = SyntheticSpiral.create(2, 1, 20, 1.0);
    TrainOptions opt =
        TrainOptions.defaults()
            .withBlocks(2)
            .withWidth(8)
            .withIterations(30)
            .withProgressEvery(10)
            .withValidationEvery(15)
            .withSeed(seed);
    List<Progress> seen = new ArrayList<>();
    new Trainer(data, opt).fit(seen::add);
    List<Long> its = seen.stream().map(Progress::iteration).toList();
    assertEquals(List.of(10L, 15L, 20L, 30L), its, "seed " + seed);
    for (Progress p : seen) {
      assertEquals(30, p.iterations(), "seed " + seed);
      assertTrue(p.msPerIteration() > 0 && Double.isFinite(p.loss()), "seed " + seed);
      assertEquals(
          p.iteration() % 15 == 0,
          Double.isFinite(p.validationMse()),
          "seed " + seed + ": validation at " + p.iteration());
    }
    assertEquals(0.0, seen.get(seen.size() - 1).etaSeconds(), "seed " + seed);
  }
}
