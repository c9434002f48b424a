package org.diffeomotion.trainer.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.diffeomotion.model.MotionModel;
import org.diffeomotion.model.testing.ModelFactory;
import org.diffeomotion.model.testing.ModelSpec;
import org.diffeomotion.trainer.data.CsvDemoReader;
import org.diffeomotion.trainer.data.PreparedData;
import org.diffeomotion.trainer.data.PreprocessOptions;
import org.diffeomotion.trainer.data.Preprocessor;
import org.junit.jupiter.api.Test;

/** The fit check's speed rule on the sample data: a model sped up by a known factor. */
class FitCheckTest {
  private static PreparedData sample() throws Exception {
    for (Path p :
        new Path[] {
          Path.of("..", "data", "sample", "demos_2d.csv"), Path.of("data", "sample", "demos_2d.csv")
        }) {
      if (Files.exists(p)) {
        return Preprocessor.prepare(new CsvDemoReader(p).read(), PreprocessOptions.defaults());
      }
    }
    throw new IllegalStateException("data/sample/demos_2d.csv not found");
  }

  /**
   * The identity flow (the base alone) with the data's g, sigma and tau divided by {@code speedUp}.
   */
  private static MotionModel identity(PreparedData d, double speedUp) {
    return ModelFactory.random(
        new ModelSpec()
            .stateDim(2)
            .blocks(2)
            .hidden(4)
            .outputWeightScale(0)
            .goal(d.goal())
            .scale(d.scale())
            .timeScale(d.timeScale() / speedUp)
            .frameId(d.frameId()),
        1);
  }

  @Test
  void speedSpikesWarnAndRacingIsRefused() throws Exception {
    PreparedData d = sample();
    MotionModel id = identity(d, 1);
    FitCheck.Verdict base = FitCheck.check(id, id, d);
    double r = base.speedRatio();
    assertTrue(r > 0.5 && r < 10, "the base moves at about the demos' pace: " + r);
    assertTrue(base.warnings().isEmpty(), base.warnings().toString());
    // The identity flow is no better than itself: refused on that count, not on speed.
    assertEquals(1, base.problems().size(), base.problems().toString());
    assertTrue(
        base.problems().get(0).startsWith("no better than the identity flow"),
        base.problems().toString());

    // 3x faster than 10x the demos' peak (relative to the base's own ratio): a warning, not a
    // refusal.
    double warnUp = 30 / r;
    FitCheck.Verdict spike = FitCheck.check(identity(d, warnUp), id, d);
    assertEquals(30, spike.speedRatio(), 0.5);
    assertEquals(1, spike.warnings().size(), spike.toString());
    assertTrue(spike.warnings().get(0).startsWith("a speed spike:"), spike.warnings().toString());
    assertFalse(
        spike.problems().stream().anyMatch(p -> p.startsWith("moves far faster")),
        spike.toString());

    // Over 100x: refused.
    FitCheck.Verdict racing = FitCheck.check(identity(d, 300 / r), id, d);
    assertTrue(
        racing.problems().stream().anyMatch(p -> p.startsWith("moves far faster than the demos")),
        racing.toString());
    assertTrue(racing.warnings().isEmpty());
  }

  /**
   * The far field of the base alone: x = g + sigma z with |z| non-increasing, so no rollout from
   * the 7 x 7 starts gets farther from the goal than it began (excursion at most 1), and the base's
   * velocity is linear in 1/tau, so sped up k times its far-field speed ratio is k times as large.
   */
  @Test
  void farFieldOfTheBaseStaysAndScalesWithItsSpeed() throws Exception {
    PreparedData d = sample();
    MotionModel id = identity(d, 1);
    FitCheck.FarField f = FitCheck.check(id, id, d).farField();
    assertEquals(49, f.starts());
    assertEquals(0, f.farther(), f.describe());
    assertTrue(f.excursion() <= 1 + 1e-9 && f.excursion() > 0.5, f.describe());
    assertFalse(f.wild(), f.describe());
    FitCheck.FarField fast = FitCheck.check(identity(d, 40), id, d).farField();
    assertEquals(40 * f.speedRatio(), fast.speedRatio(), 1e-6 * fast.speedRatio(), fast.describe());
    assertEquals(f.excursion(), fast.excursion(), 1e-6, "sped up, the paths are the same");
    assertEquals(fast.speedRatio() > FitCheck.FAR_SPEED, fast.wild(), fast.describe());
    assertTrue(new FitCheck.FarField(49, 1.6, 1, 3).wild(), "strays 1.6x: wild");
    assertTrue(new FitCheck.FarField(49, 1.0, Double.NaN, 0).wild(), "speed not finite: wild");
    assertFalse(new FitCheck.FarField(0, Double.NaN, Double.NaN, 0).wild(), "not measured");
  }

  /**
   * A pose's far field: 5 x 5 x 5 starts over the positions (each with the demos' mean start
   * rotation), distances and speeds of the positions. The base alone with real modes: x = g + sigma
   * z, each coordinate decays on its own, so no position gets farther from the goal's (excursion at
   * most 1), and sped up k times the position speed ratio is k times as large.
   */
  @Test
  void aPoseFarFieldSpansThePositionsAtTheMeanStartRotation() throws Exception {
    org.diffeomotion.trainer.data.DemonstrationSet poses =
        org.diffeomotion.trainer.bench.PoseDemoGenerator.generate(
            org.diffeomotion.trainer.bench.HandwritingBenchmark.shape("C"));
    org.diffeomotion.trainer.data.DemonstrationSet clean =
        poses.withDemos(
            org.diffeomotion.trainer.data.PoseDemos.cleanQuaternions(poses.demos(), "q"));
    PreparedData d =
        Preprocessor.prepare(
            org.diffeomotion.trainer.data.PoseDemos.toRotationVectors(clean, "q"),
            PreprocessOptions.defaults());
    assertTrue(d.isPose());
    java.util.function.DoubleFunction<MotionModel> base =
        k ->
            ModelFactory.random(
                new ModelSpec()
                    .pose(d.goalOrientation())
                    .blocks(2)
                    .hidden(4)
                    .outputWeightScale(0)
                    .oscillatory(false)
                    .goal(d.goal())
                    .scale(d.scale())
                    .timeScale(d.timeScale() / k)
                    .frameId(d.frameId()),
                1);
    MotionModel id = base.apply(1);
    FitCheck.FarField f = FitCheck.check(id, id, d).farField();
    assertEquals(125, f.starts(), f.describe());
    assertEquals(0, f.farther(), f.describe());
    assertTrue(f.excursion() <= 1 + 1e-9 && f.excursion() > 0.5, f.describe());
    assertTrue(f.speedRatio() > 0.1 && f.speedRatio() < 20, f.describe());
    FitCheck.FarField fast = FitCheck.check(base.apply(40), id, d).farField();
    assertEquals(40 * f.speedRatio(), fast.speedRatio(), 1e-6 * fast.speedRatio(), fast.describe());
  }

  /** A verdict with training DTW {@code dtw} of extent 50 (loose above 1.5), far field as given. */
  private static FitCheck.Verdict verdict(
      boolean passes, double dtw, double farExcursion, double farSpeed) {
    return new FitCheck.Verdict(
        passes ? List.of() : List.of("peak speed too high"),
        dtw,
        10 * dtw,
        50,
        50,
        1,
        1,
        List.of(),
        new FitCheck.FarField(49, farExcursion, farSpeed, 0));
  }

  @Test
  void aPassingFitBeatsACloserRefusedOne() {
    FitCheck.Verdict lifted = verdict(true, 2.0, 1.0, 3);
    // closer and passing: kept; farther than a passing fit: not
    assertTrue(verdict(true, 1.0, 1.0, 3).passesAndBeats(lifted));
    assertFalse(lifted.passesAndBeats(verdict(true, 1.9, 1.0, 3)));
    // farther, but the other is refused: a passing fit beats a refused one
    assertTrue(lifted.passesAndBeats(verdict(false, 1.9, 1.0, 3)));
    // a refused fit beats nothing, however close
    assertFalse(verdict(false, 0.1, 1.0, 3).passesAndBeats(lifted));
    assertFalse(verdict(false, 0.1, 1.0, 3).passesAndBeats(verdict(false, 1.0, 1.0, 3)));
    // keepSecond: the same, and a diverged training counts as a refusal on either side
    FitCheck.Verdict closer = verdict(true, 1.0, 1.0, 3);
    assertTrue(FitCheck.keepSecond(lifted, false, closer, true), "the first diverged");
    assertFalse(FitCheck.keepSecond(lifted, false, closer, false), "the first is closer");
    assertFalse(FitCheck.keepSecond(closer, true, lifted, false), "the second diverged");
    assertTrue(FitCheck.keepSecond(closer, false, lifted, false), "the second is closer");
    assertTrue(FitCheck.keepSecond(lifted, false, verdict(false, 0.1, 1.0, 3), false));
  }

  @Test
  void funnelPreferredOnlyWhereItPassesFollowsTheDemosCloselyAndIsTameAway() {
    FitCheck.Verdict turning = verdict(true, 0.5, 1.0, 3);
    FitCheck.Verdict refused = verdict(false, 0.5, 1.0, 3);
    // Kept even though the oscillatory fit is closer: the rule is not "closer wins".
    assertTrue(FitCheck.keepFunnel(verdict(true, 1.0, 1.2, 15), false, turning, false));
    assertEquals("", FitCheck.funnelDeclined(verdict(true, 1.0, 1.2, 15), false));
    // A far field that races (wild in the report, > 20x) but stays below the fit check's refusal
    // level (100x) and does not stray is kept.
    assertTrue(FitCheck.keepFunnel(verdict(true, 1.0, 1.2, 61), false, turning, false));
    assertTrue(verdict(true, 1.0, 1.2, 61).farField().wild());
    assertEquals("", FitCheck.funnelDeclined(verdict(true, 1.0, 1.2, 61), false));
    // Each reason alone declines it.
    assertFalse(FitCheck.keepFunnel(verdict(true, 1.0, 1.2, 15), true, turning, false));
    assertFalse(FitCheck.keepFunnel(verdict(false, 1.0, 1.2, 15), false, turning, false));
    assertFalse(FitCheck.keepFunnel(verdict(true, 1.6, 1.2, 15), false, turning, false));
    assertFalse(FitCheck.keepFunnel(verdict(true, 1.0, 1.6, 15), false, turning, false));
    assertFalse(FitCheck.keepFunnel(verdict(true, 1.0, 1.2, 101), false, turning, false));
    // ...unless the oscillatory fit is refused (or diverged) and the funnel fit passes.
    assertTrue(FitCheck.keepFunnel(verdict(true, 1.6, 1.6, 121), false, refused, false));
    assertTrue(FitCheck.keepFunnel(verdict(true, 1.6, 1.6, 121), false, turning, true));
    assertFalse(FitCheck.keepFunnel(verdict(false, 1.0, 1.0, 3), false, refused, false));
    // A straying funnel is kept when the oscillatory fit's far field strays or races as much or
    // more (the larger of excursion / 1.5 and speed / 100), never when it is loose or fails.
    FitCheck.Verdict wilder = verdict(true, 0.5, 1.8, 15); // 1.2
    FitCheck.Verdict milder = verdict(true, 0.5, 1.2, 110); // 1.1
    assertEquals(1.8 / 1.5, wilder.farField().funnelWildness(), 1e-15);
    assertEquals(110.0 / 100, milder.farField().funnelWildness(), 1e-15);
    assertTrue(FitCheck.keepFunnel(verdict(true, 1.0, 1.74, 22), false, wilder, false));
    assertFalse(FitCheck.keepFunnel(verdict(true, 1.0, 1.74, 22), false, milder, false));
    assertTrue(FitCheck.keepFunnel(verdict(true, 1.0, 1.65, 22), false, milder, false), "tie");
    assertFalse(FitCheck.keepFunnel(verdict(true, 1.6, 1.74, 22), false, wilder, false));
    assertFalse(FitCheck.keepFunnel(verdict(false, 1.0, 1.74, 22), false, wilder, false));
    assertFalse(FitCheck.keepFunnel(verdict(true, 1.0, 1.74, 22), true, wilder, false));
    assertFalse(FitCheck.keepFunnel(verdict(true, 1.0, 1.0, 1e9), false, wilder, false));
    assertTrue(
        FitCheck.keepFunnel(
            verdict(true, 1.0, 1.74, 22), false, verdict(true, 0.5, 1, 1e300), false));
    assertEquals(
        Double.POSITIVE_INFINITY, verdict(true, 0.5, Double.NaN, 3).farField().funnelWildness());
    assertEquals(0.0, new FitCheck.FarField(0, Double.NaN, Double.NaN, 0).funnelWildness());
    String why = FitCheck.funnelDeclined(verdict(false, 1.6, 1.6, 121), true);
    for (String part :
        new String[] {
          "diverged", "fails the fit check", "only to within 1.6", "strays or races (farthest 1.6"
        }) {
      assertTrue(why.contains(part), why);
    }
  }
}
