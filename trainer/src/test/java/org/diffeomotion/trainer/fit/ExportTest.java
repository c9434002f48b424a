package org.diffeomotion.trainer.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.diffeomotion.model.ModelArtifacts;
import org.diffeomotion.model.MotionModel;
import org.diffeomotion.model.Rollout;
import org.diffeomotion.proto.model.v1.CouplingBlock;
import org.diffeomotion.proto.model.v1.Mode;
import org.diffeomotion.proto.model.v1.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportTest {

  @Test
  void theDefaultBaseIsOneOscillatoryModeAndAFunnelIsTwoRealModes(@TempDir Path dir)
      throws IOException {
    TrainOptions o =
        TrainOptions.defaults().withBlocks(1).withWidth(8).withIterations(3).withSeed(5);
    Trainer plane = new Trainer(SyntheticSpiral.create(3, 1, 40, 1.2), o);
    plane.fit(ProgressListener.none());
    assertEquals(0.0, plane.funnel());
    Model m = plane.export("plane", "unit test").toProto();
    assertEquals(1, m.getBase().getModesCount());
    assertEquals(Mode.Kind.OSCILLATORY, m.getBase().getModes(0).getKind());
    Trainer funnel =
        new Trainer(
            SyntheticSpiral.create(3, 1, 40, 1.2),
            o.toBuilder().funnel(TrainOptions.MEASURED_FUNNEL).build());
    assertEquals(TrainOptions.MEASURED_FUNNEL, funnel.funnel());
    Model f = funnel.export("funnel", "unit test").toProto();
    assertEquals(2, f.getBase().getModesCount());
    assertEquals(Mode.Kind.REAL, f.getBase().getModes(0).getKind());
    assertEquals(Mode.Kind.REAL, f.getBase().getModes(1).getKind());
    double slow = f.getBase().getModes(0).getP();
    double fast = f.getBase().getModes(1).getP();
    assertTrue(fast * fast > 2 * slow * slow, "p " + slow + ", " + fast);
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> o.toBuilder().funnel(0.5).build());
    assertTrue(e.getMessage().contains("TrainOptions.funnel"), e.getMessage());
  }

  @Test
  void exportedFileReproducesTheTrainersPredictions(@TempDir Path dir) throws IOException {
    long seed = 21;
    TrainingSet data = SyntheticSpiral.create(4, 2, 60, 1.2);
    Trainer t =
        new Trainer(
            data,
            TrainOptions.defaults()
                .withBlocks(3)
                .withWidth(16)
                .withIterations(80)
                .withSeed(seed)
                .withTiming(Timing.DEMO)
                .toBuilder()
                .fitPoints(1000)
                .build());
    t.fit(ProgressListener.none());
    Path file = dir.resolve("spiral.dmm");
    t.export(file, "spiral", "unit test");
    MotionModel back = ModelArtifacts.read(file);
    Model m = back.toProto();

    assertEquals("spiral", m.getName(), "seed " + seed);
    assertEquals(2, m.getStateDim(), "seed " + seed);
    assertEquals(List.of("x", "y"), m.getDimensionNamesList(), "seed " + seed);
    assertEquals(List.of("m", "m"), m.getDimensionUnitsList(), "seed " + seed);
    assertEquals("world", m.getFrameId(), "seed " + seed);
    assertEquals(0, m.getAugmentDim(), "seed " + seed);
    assertEquals(1.0, m.getTimeScale(), "seed " + seed);
    assertEquals(0.05, m.getBase().getEpsilon(), "seed " + seed);
    assertEquals(1, m.getBase().getModesCount(), "seed " + seed);
    assertEquals(Mode.Kind.OSCILLATORY, m.getBase().getModes(0).getKind(), "seed " + seed);
    assertEquals(3, m.getBlocksCount(), "seed " + seed);
    for (int k = 0; k < 3; k++) {
      CouplingBlock b = m.getBlocks(k);
      // swaps, the last one undone so that the untrained flow is the identity (an odd count)
      assertEquals(k < 2 ? List.of(1, 0) : List.of(0, 1), b.getPermutationList(), "seed " + seed);
      assertEquals(2.0, b.getClamp(), "seed " + seed);
      assertEquals(2, b.getNetA().getLayersCount(), "seed " + seed);
      assertEquals(1, b.getNetA().getLayers(0).getIn(), "seed " + seed);
      assertEquals(16, b.getNetA().getLayers(0).getOut(), "seed " + seed);
      assertEquals(2, b.getNetA().getLayers(1).getOut(), "seed " + seed);
      assertEquals(16 * 2, b.getNetA().getLayers(1).getWeightsCount(), "seed " + seed);
      assertEquals(2, b.getNetB().getLayers(1).getOut(), "seed " + seed);
    }
    assertEquals(80, m.getProvenance().getIterations(), "seed " + seed);
    assertEquals(4, m.getProvenance().getTrainDemos(), "seed " + seed);
    assertEquals(2, m.getProvenance().getValidationDemos(), "seed " + seed);
    assertTrue(
        m.getProvenance().getBackend().startsWith("nd4j-native 1.0.0-M2.1"),
        m.getProvenance().getBackend());
    assertTrue(m.getProvenance().getDataSha256().startsWith("sha256:"), "seed " + seed);
    assertTrue(m.getProvenance().getMetricsMap().containsKey("train_mse"), "seed " + seed);
    assertTrue(m.getProvenance().getMetricsMap().containsKey("validation_mse"), "seed " + seed);
    assertTrue(m.getProvenance().getCreated().getSeconds() > 0, "seed " + seed);
    assertFalse(m.getProvenance().getGenerator().contains("${"), "seed " + seed);

    // The file read back rolls out what the trainer predicts.
    double[][][] pred = t.predictTraining();
    Demo d0 = data.train().get(1);
    double[] out = new Rollout(back, d0.points()).rollout(d0.z()[0], d0.s());
    double worst = 0;
    for (int i = 0; i < d0.points(); i++) {
      for (int c = 0; c < 2; c++) {
        worst = Math.max(worst, Math.abs(out[i * 2 + c] - pred[1][i][c]));
      }
    }
    assertTrue(worst < 1e-9, "seed " + seed + ": model module rollout differs by " + worst);
  }

  @Test
  void exportWorksWithAugmentationAndThreeDimensions() throws IOException {
    long seed = 22;
    java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
    List<Demo> demos = new java.util.ArrayList<>();
    for (int j = 0; j < 3; j++) {
      int n = 30;
      double[] s = new double[n];
      double[][] z = new double[n][3];
      double[] z0 = {rng.nextDouble(-1, 1), rng.nextDouble(-1, 1), rng.nextDouble(-1, 1)};
      for (int i = 0; i < n; i++) {
        s[i] = i / 20.0;
        for (int c = 0; c < 3; c++) {
          z[i][c] = z0[c] * Math.exp(-2 * s[i]) * (1 + 0.3 * Math.sin(3 * s[i] * (c + 1)));
        }
      }
      demos.add(new Demo(s, z));
    }
    TrainingSet data =
        new TrainingSet(
            3,
            1,
            demos,
            List.of(),
            new double[] {0.5, -0.2, 1.0},
            new double[] {0.3, 0.2, 0.1},
            2.5,
            List.of("x", "y", "z"),
            List.of("m", "m", "m"),
            "base_link",
            "sha256:abc");
    Trainer t =
        new Trainer(
            data,
            TrainOptions.defaults()
                .withBlocks(3)
                .withWidth(8)
                .withHiddenLayers(2)
                .withIterations(30)
                .withSeed(seed));
    t.fit(ProgressListener.none());
    MotionModel m = t.export("aug", "");
    assertEquals(1, m.augmentDim(), "seed " + seed);
    assertEquals(2, m.toProto().getBase().getModesCount(), "seed " + seed);
    assertEquals("sha256:abc", m.toProto().getProvenance().getDataSha256(), "seed " + seed);
  }
}
