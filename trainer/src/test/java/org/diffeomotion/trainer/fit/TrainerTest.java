package org.diffeomotion.trainer.fit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.diffeomotion.proto.model.v1.Mode;
import org.diffeomotion.proto.model.v1.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {

    private static final TrainOptions SMALL = TrainOptions.defaults().withBlocks(4).withWidth(32)
            .withIterations(60).withValidationEvery(20).withProgressEvery(20);

    @Test
    void untrainedModelRollsOutTheLinearBaseThroughTheIdentity() {
        long seed = 5;
        System.err.println("TrainerTest.identity seed=" + seed);
        TrainingSet data = SyntheticSpiral.create(3, 0, 50, 1.0);
        Trainer t = new Trainer(data, SMALL.withSeed(seed));
        Model m = t.toModel("init", "");
        Mode mode = m.getBase().getModes(0);
        double alpha = -(mode.getP() * mode.getP() + m.getBase().getEpsilon());
        double omega = mode.getOmega();
        double[][][] pred = t.predictTraining();
        double worst = 0;
        for (int j = 0; j < data.train().size(); j++) {
            Demo d = data.train().get(j);
            double[] z0 = d.z()[0];
            for (int i = 0; i < d.points(); i++) {
                double s = d.s()[i];
                double e = Math.exp(alpha * s);
                double c = Math.cos(omega * s);
                double sn = Math.sin(omega * s);
                double x = e * (c * z0[0] - sn * z0[1]);
                double y = e * (sn * z0[0] + c * z0[1]);
                worst = Math.max(worst, Math.max(Math.abs(pred[j][i][0] - x), Math.abs(pred[j][i][1] - y)));
            }
        }
        assertTrue(worst < 1e-14, "identity-at-init rollout differs from the base by " + worst);
    }

    @Test
    void trainingOnASyntheticSpiralReachesASmallHeldOutError() throws IOException {
        long seed = 7;
        System.err.println("TrainerTest.synthetic seed=" + seed);
        TrainingSet data = SyntheticSpiral.create(7, 3, 100, 1.2);
        TrainOptions opt = TrainOptions.defaults().withBlocks(6).withWidth(32).withIterations(300)
                .withValidationEvery(100).withProgressEvery(100).withSeed(seed);
        Trainer t = new Trainer(data, opt);
        double initialLoss = t.trainingLoss();
        double initialVal = t.validationMse();
        List<Progress> reports = new ArrayList<>();
        TrainResult r = t.fit(reports::add);
        System.err.printf("  loss %.3e -> %.3e, held-out %.3e -> %.3e, %.1f s%n",
                initialLoss, r.trainLoss(), initialVal, r.validationMse(), r.seconds());
        // Measured with this seed: loss 4.7e-2 -> 1.8e-4, held-out 5.8e-2 -> 9.0e-4.
        assertEquals(300, r.iterations());
        assertTrue(r.trainLoss() < initialLoss / 50, "loss " + initialLoss + " -> " + r.trainLoss());
        assertTrue(r.validationMse() < 2e-3, "held-out MSE " + r.validationMse());
        assertEquals(3, reports.size());
        assertTrue(reports.stream().allMatch(p -> Double.isFinite(p.validationMse()) && p.msPerIteration() > 0));
    }

    @Test
    void sameSeedGivesBitwiseTheSameLossCurve() throws IOException {
        long seed = 3;
        System.err.println("TrainerTest.reproducible seed=" + seed);
        TrainingSet data = SyntheticSpiral.create(3, 1, 40, 1.0);
        double[] a = new Trainer(data, SMALL.withSeed(seed)).fit(ProgressListener.none()).lossCurve();
        double[] b = new Trainer(data, SMALL.withSeed(seed)).fit(ProgressListener.none()).lossCurve();
        double[] c = new Trainer(data, SMALL.withSeed(seed + 1)).fit(ProgressListener.none()).lossCurve();
        assertArrayEquals(a, b, 0.0);
        assertTrue(a[5] != c[5], "a different seed should give a different curve");
    }

    @Test
    void resumeFromACheckpointContinuesBitwiseIdentically(@TempDir Path dir) throws IOException {
        long seed = 9;
        System.err.println("TrainerTest.resume seed=" + seed);
        TrainingSet data = SyntheticSpiral.create(3, 1, 40, 1.0);
        Path ckpt = dir.resolve("run.ckpt");
        TrainOptions opt = SMALL.withSeed(seed);
        Trainer full = new Trainer(data, opt);
        double[] fullCurve = full.fit(ProgressListener.none()).lossCurve();

        Trainer first = new Trainer(data, opt.withIterations(25).withCheckpoints(25, ckpt));
        double[] head = first.fit(ProgressListener.none()).lossCurve();
        assertTrue(Files.exists(ckpt));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary files left behind");
        }
        Trainer resumed = Trainer.resume(ckpt, data, opt);
        assertEquals(25, resumed.iteration());
        double[] tail = resumed.fit(ProgressListener.none()).lossCurve();
        assertEquals(fullCurve.length, head.length + tail.length);
        for (int i = 0; i < fullCurve.length; i++) {
            double v = i < head.length ? head[i] : tail[i - head.length];
            assertEquals(Double.doubleToRawLongBits(fullCurve[i]), Double.doubleToRawLongBits(v), "iteration " + i);
        }
        assertArrayEquals(full.parameters(), resumed.parameters(), 0.0);

        assertThrows(IllegalArgumentException.class, () -> Trainer.resume(ckpt, data, opt.withSeed(seed + 1)));
        byte[] bytes = Files.readAllBytes(ckpt);
        bytes[bytes.length / 2] ^= 1;
        Files.write(ckpt, bytes);
        assertThrows(IOException.class, () -> Trainer.resume(ckpt, data, opt));
    }
}
