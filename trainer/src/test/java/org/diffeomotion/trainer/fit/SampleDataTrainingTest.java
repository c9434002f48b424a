package org.diffeomotion.trainer.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.diffeomotion.model.ModelArtifacts;
import org.diffeomotion.model.MotionModel;
import org.diffeomotion.trainer.data.CsvDemoReader;
import org.diffeomotion.trainer.data.DemoDataException;
import org.diffeomotion.trainer.data.PreparedData;
import org.diffeomotion.trainer.data.PreprocessOptions;
import org.diffeomotion.trainer.data.Preprocessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on the committed sample data: CSV -> preprocessing -> adapter -> training -> export.
 */
class SampleDataTrainingTest {

  private static Path sample(String name) {
    for (Path p :
        new Path[] {Path.of("..", "data", "sample", name), Path.of("data", "sample", name)}) {
      if (Files.exists(p)) {
        return p;
      }
    }
    throw new IllegalStateException(
        "data/sample/" + name + " not found from " + Path.of("").toAbsolutePath());
  }

  @Test
  void trainsOnThePlanarSampleAndExports(@TempDir Path dir) throws IOException, DemoDataException {
    long seed = 1;
    PreparedData prepared =
        Preprocessor.prepare(
            new CsvDemoReader(sample("demos_2d.csv")).read(),
            PreprocessOptions.defaults().withValidation(0.25, 7));
    TrainingSet data = TrainingSet.from(prepared, 0);
    assertEquals(prepared.trainIndices().length, data.train().size(), "seed " + seed);
    assertEquals(prepared.validationIndices().length, data.validation().size(), "seed " + seed);
    assertTrue(data.dataSha256().startsWith("sha256:"), "seed " + seed);
    Trainer t =
        new Trainer(
            data,
            TrainOptions.defaults().withBlocks(4).withWidth(32).withIterations(200).withSeed(seed));
    double before = t.trainingLoss();
    TrainResult r = t.fit(ProgressListener.none());
    // Measured (7 Dec 2026, with the far-field speed cap): loss 2.07e-3 -> 4.31e-4, 4.8x in 200
    // iterations of this small net. The held-out demos (this split) start outside the training
    // demos' fan, so their error measures extrapolation and is not asserted.
    assertTrue(
        r.trainLoss() < before / 4, "seed " + seed + ": loss " + before + " -> " + r.trainLoss());
    assertTrue(Double.isFinite(r.validationMse()), "seed " + seed);
    Path file = dir.resolve("sample.dmm");
    t.export(file, "sample_2d", "SampleDataTrainingTest");
    MotionModel m = ModelArtifacts.read(file);
    assertEquals(prepared.dimensionNames(), m.dimensionNames(), "seed " + seed);
    assertEquals(prepared.timeScale(), m.timeScale(), "seed " + seed);
  }

  @Test
  void trainsOnTheJointSpaceSampleAndExports() throws IOException, DemoDataException {
    long seed = 2;
    PreparedData prepared =
        Preprocessor.prepare(
            new CsvDemoReader(sample("demos_joints.csv")).read(),
            PreprocessOptions.defaults().withValidation(0.25, 7));
    TrainingSet data = TrainingSet.from(prepared, 0);
    assertEquals(4, data.stateDim(), "seed " + seed);
    Trainer t =
        new Trainer(
            data,
            TrainOptions.defaults().withBlocks(4).withWidth(32).withIterations(150).withSeed(seed));
    double before = t.trainingLoss();
    TrainResult r = t.fit(ProgressListener.none());
    // Measured: loss 1.1e-1 -> 1.6e-3 after 150 iterations; random permutations, 2 oscillatory
    // modes.
    assertTrue(
        r.trainLoss() < before / 5, "seed " + seed + ": loss " + before + " -> " + r.trainLoss());
    MotionModel m = t.export("sample_joints", "");
    assertEquals(prepared.dimensionNames(), m.dimensionNames(), "seed " + seed);
  }
}
