package org.diffeomotion.trainer.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The trainer with its default options imitates: on a few handwriting-benchmark shapes the held-out
 * rollouts (from the starts of demos 2 and 4, never trained on) follow their demos better than the
 * no-learning reference by a margin, and the fit passes the fit check that {@code diffeo train}
 * applies. This is the accuracy benchmark's own code path ({@link AccuracyBenchmark#run} with
 * {@link ShapeFitter#trainerDefaults()}); the margins leave room for the seed-to-seed spread
 * measured over three seeds (trainer/BENCHMARK.md). About 25 s per shape on two cores.
 */
class DefaultFitQualityTest {

  @ParameterizedTest
  @CsvSource({"S, 0.75", "U, 0.75", "P, 0.75"})
  void heldOutDtwIsWellBelowTheNoLearningReference(String shape, double maxRatio) {
    long seed = Long.getLong("test.seed", 1L);
    AccuracyBenchmark.Report r =
        AccuracyBenchmark.run(
            List.of(AccuracyBenchmark.Case.of(HandwritingBenchmark.shape(shape))),
            List.of(seed),
            ShapeFitter.trainerDefaults(),
            null);
    assertEquals(1, r.rows().size(), "seed " + seed);
    AccuracyBenchmark.Row row = r.rows().get(0);
    assertNull(row.failure(), "seed " + seed + ": " + row.failure());
    assertTrue(
        row.ratio() < maxRatio,
        "seed "
            + seed
            + ": "
            + shape
            + ": held-out DTW "
            + row.modelDtw()
            + " mm vs the reference's "
            + row.referenceDtw()
            + " mm (ratio "
            + row.ratio()
            + ", required < "
            + maxRatio
            + ")");
    assertTrue(!row.refused(), "seed " + seed + ": " + shape + ": the fit check refused the model");
    assertTrue(
        row.finalGoalDistance() < 0.1 * 50,
        "seed " + seed + ": " + shape + ": ends " + row.finalGoalDistance() + " mm from the goal");
  }
}
