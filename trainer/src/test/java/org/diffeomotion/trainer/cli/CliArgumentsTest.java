package org.diffeomotion.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad arguments: exit code 2, the problem and the usage on stderr, no stack trace, nothing run. */
class CliArgumentsTest {

  private static void assertUsageError(Cli r, String problem, String usageOf) {
    assertEquals(2, r.code, r.toString());
    assertTrue(r.err.contains(problem), "expected '" + problem + "' in\n" + r);
    assertTrue(
        r.err.contains("Usage: diffeo" + usageOf),
        "expected the usage of diffeo" + usageOf + " in\n" + r);
    assertFalse(r.err.contains("\tat "), "stack trace in\n" + r);
  }

  @Test
  void noCommand() {
    assertUsageError(Cli.run(), "missing command", "");
  }

  @Test
  void unknownCommand() {
    Cli r = Cli.run("fly");
    assertEquals(2, r.code, r.toString());
    assertTrue(r.err.contains("fly"), r.toString());
  }

  @Test
  void trainWithoutOut() {
    assertUsageError(Cli.run("train", "a.bag"), "--out", " train");
  }

  @Test
  void trainWithoutInputs() {
    assertUsageError(Cli.run("train", "-o", "m.dmm"), "INPUT", " train");
  }

  @Test
  void unknownOption() {
    assertUsageError(Cli.run("train", "a.bag", "-o", "m.dmm", "--wings", "2"), "--wings", " train");
  }

  @Test
  void notANumber() {
    assertUsageError(
        Cli.run("train", "a.bag", "-o", "m.dmm", "--iterations", "many"), "many", " train");
  }

  @Test
  void trimNeedsTwoNumbers() {
    assertUsageError(
        Cli.run("train", "a.bag", "-o", "m.dmm", "--trim", "0.02"), "--trim", " train");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "--blocks=-1",
        "--width=0",
        "--lr=0",
        "--lr=10",
        "--epsilon=-1",
        "--clamp=0",
        "--iterations=-5",
        "--iterations=0",
        "--iterations=2147483647",
        "--grid=50000000",
        "--grid=1",
        "--starts=0",
        "--feature-scale=0",
        "--fit-points=1",
        "--timing=fast",
        "--augment=-1",
        "--augment=9",
        "--augment=lots",
        "--funnel=0.5",
        "--funnel=101",
        "--funnel=wide"
      })
  void outOfRangeTrainingOptionNamesTheOption(String arg) {
    String option = arg.substring(0, arg.indexOf('='));
    assertUsageError(Cli.run("train", "a.bag", "-o", "m.dmm", arg), option, " train");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-1", "NaN", "1e5"})
  void outOfRangeRotationWeightNamesTheOption(String w) {
    assertUsageError(
        Cli.run("train", "a.bag", "-o", "m.dmm", "--pose", "--rotation-weight", w),
        "--rotation-weight must be in (0, 10000.0], got",
        " train");
  }

  @Test
  void evaluateTakesNoRotationWeight() {
    assertUsageError(
        Cli.run("evaluate", "m.dmm", "a.bag", "--pose", "--rotation-weight", "1"),
        "--rotation-weight weighs the training loss",
        " evaluate");
  }

  @Test
  void aRotationWeightNeedsPoses() {
    assertUsageError(
        Cli.run("train", "a.bag", "-o", "m.dmm", "--rotation-weight", "0.5"),
        "--rotation-weight weighs the orientation of full poses; it needs --pose",
        " train");
  }

  @Test
  void automaticAugmentationTrainsTwiceSoNotWithACheckpoint() {
    assertUsageError(
        Cli.run("train", "a.bag", "-o", "m.dmm", "--augment", "auto", "--checkpoint", "c.ckpt"),
        "--augment auto trains up to twice and cannot be combined with --checkpoint",
        " train");
  }

  @Test
  void automaticFunnelTrainsTwiceSoNotWithACheckpoint() {
    assertUsageError(
        Cli.run("train", "a.bag", "-o", "m.dmm", "--funnel", "auto", "--checkpoint", "c.ckpt"),
        "--funnel auto trains up to twice and cannot be combined with --checkpoint",
        " train");
  }

  @Test
  void preferredFunnelTrainsTwoBasesSoNotWithACheckpoint() {
    assertUsageError(
        Cli.run("train", "a.bag", "-o", "m.dmm", "--funnel", "prefer", "--checkpoint", "c.ckpt"),
        "--funnel prefer trains two bases side by side and cannot be combined with --checkpoint",
        " train");
  }

  @Test
  void unknownRowKernelsAreABadArgumentNotAnInternalError() {
    String before = System.getProperty("diffeomotion.kernels");
    System.setProperty("diffeomotion.kernels", "simd");
    try {
      assertUsageError(
          Cli.run("train", "a.bag", "-o", "m.dmm"), "unknown kernels 'simd'", " train");
    } finally {
      if (before == null) {
        System.clearProperty("diffeomotion.kernels");
      } else {
        System.setProperty("diffeomotion.kernels", before);
      }
    }
  }

  @Test
  void resumeNeedsACheckpoint() {
    assertUsageError(
        Cli.run("train", "a.bag", "-o", "m.dmm", "--resume"),
        "--resume needs --checkpoint",
        " train");
  }

  @Test
  void validationFractionOutOfRange() {
    assertUsageError(
        Cli.run("train", "a.bag", "-o", "m.dmm", "--validation-fraction", "1.5"),
        "alidation",
        " train");
  }

  @Test
  void outputThatIsADirectoryIsRefusedBeforeTraining(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    assertUsageError(Cli.run("train", "a.bag", "-o", dir.toString()), "is a directory", " train");
  }

  @Test
  void rolloutNeedsAStart() {
    assertUsageError(Cli.run("rollout", "m.dmm"), "--start", " rollout");
  }

  @Test
  void rolloutCountAndDtAreExclusive() {
    assertUsageError(
        Cli.run("rollout", "m.dmm", "--start", "0,0", "--count", "5", "--dt", "0.1"),
        "mutually exclusive",
        " rollout");
  }

  @Test
  void rolloutPrecisionMustBeDoubleOrFloat() {
    assertUsageError(
        Cli.run("rollout", "m.dmm", "--start", "0,0", "--precision", "half"),
        "--precision: unknown precision 'half': expected double or float",
        " rollout");
  }

  @Test
  void evaluateNeedsData() {
    assertUsageError(Cli.run("evaluate", "m.dmm"), "INPUT", " evaluate");
  }

  @Test
  void trainDefaultsAreTheEnginesDefaults() {
    TrainCommand cmd = new TrainCommand();
    new picocli.CommandLine(cmd).parseArgs("a.bag", "-o", "m.dmm");
    org.diffeomotion.trainer.fit.TrainOptions cli = cmd.trainOptions();
    // progressEvery is the CLI's (it records every iteration for the curve and p50).
    assertEquals(org.diffeomotion.trainer.fit.TrainOptions.defaults().withProgressEvery(1), cli);
  }

  @Test
  void helpAndVersionExitZero() {
    Cli h = Cli.run("--help");
    assertEquals(0, h.code, h.toString());
    assertTrue(
        h.out.contains("train") && h.out.contains("rollout") && h.out.contains("inspect"), h.out);
    Cli th = Cli.run("train", "--help");
    assertEquals(0, th.code, th.toString());
    assertTrue(th.out.contains("--gap-threshold") && th.out.contains("default: 2000"), th.out);
    Cli v = Cli.run("--version");
    assertEquals(0, v.code, v.toString());
    assertTrue(v.out.startsWith("diffeo-motion "), v.out);
  }
}
