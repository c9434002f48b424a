package org.diffeomotion.trainer.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.diffeomotion.trainer.data.Demonstration;
import org.diffeomotion.trainer.data.DemonstrationSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The benchmark's realism: every shape's demonstrations are valid, end exactly at the goal at rest,
 * never cross themselves or another stroke, and have the statistics of real handwriting
 * demonstrations (trainer/BENCHMARK.md), within tolerances that a change that breaks the realism
 * would leave.
 */
class HandwritingBenchmarkTest {

  /** Targets measured on real handwriting: path share at 10/20/50/80/90 % of the duration. */
  private static final double[] SHARE_TARGET = {0.07, 0.19, 0.53, 0.85, 0.95};

  private static final Map<String, DemonstrationSet> SETS = new ConcurrentHashMap<>();
  private static final Map<String, DemoSetStatistics> STATS = new ConcurrentHashMap<>();

  static DemonstrationSet set(BenchmarkShape s) {
    return SETS.computeIfAbsent(s.name(), n -> HandwritingBenchmark.demonstrations(s));
  }

  static DemoSetStatistics stats(BenchmarkShape s) {
    return STATS.computeIfAbsent(s.name(), n -> HandwritingBenchmark.statistics(s, set(s)));
  }

  static List<BenchmarkShape> shapes() {
    return HandwritingBenchmark.shapes();
  }

  @Test
  void catalogueHasEnoughShapesOfEveryKind() {
    List<BenchmarkShape> all = HandwritingBenchmark.shapes();
    long single = all.stream().filter(s -> !s.multiModel()).count();
    long multi = all.stream().filter(BenchmarkShape::multiModel).count();
    assertTrue(single >= 20, "single-stroke shapes: " + single);
    assertTrue(multi >= 2, "multi-stroke sets: " + multi);
    for (BenchmarkShape s : all) {
      // Each held-out demo has at least two training demos on its stroke.
      for (int h : HandwritingBenchmark.HELD_OUT_DEMOS) {
        long mates =
            HandwritingBenchmark.TRAINING_DEMOS.stream()
                .filter(i -> s.strokeOfDemo(i) == s.strokeOfDemo(h))
                .count();
        assertTrue(
            mates >= 2,
            s.name() + " held-out demo " + h + " has " + mates + " training demos on its stroke");
      }
    }
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> HandwritingBenchmark.select(List.of("S", "nope")));
    assertTrue(
        e.getMessage().contains("no benchmark shape 'nope'; shapes: line, C"), e.getMessage());
    assertEquals(
        List.of("Z", "S"),
        HandwritingBenchmark.select(List.of("Z", "S")).stream().map(BenchmarkShape::name).toList());
  }

  @Test
  void sameSeedGivesTheSameNumbersAndShapesDiffer() {
    BenchmarkShape s = HandwritingBenchmark.shape("S");
    DemonstrationSet a = HandwritingBenchmark.demonstrations(s);
    DemonstrationSet b = DemoGenerator.generate(s, GeneratorParameters.DEFAULTS);
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(a.demo(i).times(), b.demo(i).times());
      assertArrayEquals(a.demo(i).states(), b.demo(i).states());
    }
    assertEquals(a.sha256(), b.sha256());
    assertNotEquals(a.sha256(), set(HandwritingBenchmark.shape("C")).sha256());
    // A change of the generator or its parameters changes this; update it (and BENCHMARK.md's
    // tables) on purpose only.
    assertEquals("f7f4eecb0a3be248bc69318448e9332d94f2281e2e109fe55be520a1e6a76ab2", a.sha256());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("shapes")
  void everyDemoIsValidEndsExactlyAtTheGoalAtRestAndNeverCrosses(BenchmarkShape shape) {
    DemonstrationSet set = set(shape);
    assertEquals(HandwritingBenchmark.DEMOS, set.size());
    assertEquals(List.of("x", "y"), set.dimensionNames());
    assertEquals(List.of("mm", "mm"), set.units());
    List<double[]> rows = new ArrayList<>();
    for (int i = 0; i < set.size(); i++) {
      Demonstration d = set.demo(i);
      String where = shape.name() + " demo " + i;
      int n = d.size();
      assertEquals(HandwritingBenchmark.SAMPLES, n, where);
      assertEquals(0.0, d.time(0), where);
      double dt = d.duration() / (n - 1);
      for (int j = 1; j < n; j++) {
        assertEquals(dt, d.time(j) - d.time(j - 1), 1e-12 * d.duration(), where + " uniform time");
      }
      assertEquals(0.0, d.state(n - 1, 0), where + " ends at the goal");
      assertEquals(0.0, d.state(n - 1, 1), where + " ends at the goal");
      double[] y = Reference.rowMajor(d);
      double[] t = d.times();
      double peak = Reference.peakSpeed(y, t, n, 2);
      assertTrue(Reference.speed(y, t, 0, 2) < 0.4 * peak, where + " starts slowly");
      assertTrue(Reference.speed(y, t, n - 2, 2) < 0.02 * peak, where + " ends at rest");
      assertNull(Crossings.selfCrossing(y, n), where + " crosses itself");
      rows.add(y);
    }
    DemoSetStatistics st = stats(shape);
    assertEquals(0, st.selfCrossings());
    assertEquals(0, st.strokeCrossings(), shape.name() + ": demos of different strokes cross");
    assertTrue(st.minClearance() >= GeneratorParameters.DEFAULTS.minClearance(), st.summary());
    for (int i = 0; i < set.size(); i++) {
      for (int k = i + 1; k < set.size(); k++) {
        if (shape.strokeOfDemo(i) != shape.strokeOfDemo(k)) {
          assertNull(
              Crossings.crossing(
                  rows.get(i), rows.get(i).length / 2, rows.get(k), rows.get(k).length / 2),
              shape.name() + " demos " + i + " and " + k + " cross");
        }
      }
    }
    // Demos of one stroke may cross each other (as real ones do); the statistic counts them.
    int same = 0;
    int sameCrossing = 0;
    for (int i = 0; i < set.size(); i++) {
      for (int k = i + 1; k < set.size(); k++) {
        if (shape.strokeOfDemo(i) == shape.strokeOfDemo(k)) {
          same++;
          if (Crossings.crossing(
                  rows.get(i), rows.get(i).length / 2, rows.get(k), rows.get(k).length / 2)
              != null) {
            sameCrossing++;
          }
        }
      }
    }
    assertEquals(same, st.sameStrokePairs(), st.summary());
    assertEquals(sameCrossing, st.sameStrokeCrossings(), st.summary());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("shapes")
  void statisticsAreThoseOfHumanHandwriting(BenchmarkShape shape) {
    DemoSetStatistics st = stats(shape);
    String s = shape.name() + ": " + st.summary();
    assertTrue(st.extent() > (shape.multiModel() ? 35 : 45) && st.extent() < 56, s);
    assertTrue(st.durationMean() >= 1.3 && st.durationMean() <= 8.7, s);
    assertTrue(st.durationCv() >= 0.03 && st.durationCv() <= 0.13, s);
    if (!shape.multiModel()) {
      assertTrue(st.startSpread() >= 0.015 && st.startSpread() <= 0.11, s);
    }
    double[] share = st.pathShare();
    for (int q = 0; q < share.length; q++) {
      assertEquals(
          SHARE_TARGET[q],
          share[q],
          0.07,
          s + " path share at " + DemoSetStatistics.SHARE_TIMES[q]);
    }
    assertTrue(st.startSpeed() < 0.35, s);
    assertTrue(st.endSpeed() < 0.015, s);
    assertTrue(st.referenceDtw() > 0.3 && st.referenceDtw() < 3.0, s);
  }

  @Test
  void onAverageTheSingleStrokeShapesMatchTheRealTargets() {
    List<DemoSetStatistics> l =
        shapes().stream()
            .filter(s -> !s.multiModel())
            .map(HandwritingBenchmarkTest::stats)
            .toList();
    double[] share = new double[SHARE_TARGET.length];
    double spread = 0;
    double cv = 0;
    double dtw = 0;
    List<Double> startSpeed = new ArrayList<>();
    double minDuration = Double.POSITIVE_INFINITY;
    double maxDuration = 0;
    for (DemoSetStatistics st : l) {
      for (int q = 0; q < share.length; q++) {
        share[q] += st.pathShare()[q] / l.size();
      }
      spread += st.startSpread() / l.size();
      cv += st.durationCv() / l.size();
      dtw += st.referenceDtw() / l.size();
      startSpeed.add(st.startSpeed());
      minDuration = Math.min(minDuration, st.durationMean());
      maxDuration = Math.max(maxDuration, st.durationMean());
    }
    for (int q = 0; q < share.length; q++) {
      assertEquals(
          SHARE_TARGET[q],
          share[q],
          0.015,
          "mean path share at " + DemoSetStatistics.SHARE_TIMES[q]);
    }
    assertEquals(0.04, spread, 0.01, "mean start spread");
    assertEquals(0.07, cv, 0.015, "mean duration CV");
    assertEquals(1.4, dtw, 0.2, "mean reference DTW [mm]");
    java.util.Collections.sort(startSpeed);
    assertEquals(0.02, startSpeed.get(startSpeed.size() / 2), 0.015, "median start speed / peak");
    assertTrue(
        startSpeed.get(startSpeed.size() - 1) > 0.15, "some shapes start from a running start");
    assertTrue(
        minDuration < 2.0 && maxDuration > 7.5,
        "durations between shapes " + minDuration + ".." + maxDuration);
  }

  @Test
  void freshDrawsGenerateEveryShapeAnewFromTheSameDistribution() {
    BenchmarkShape s = HandwritingBenchmark.shape("S");
    assertSame(s, s.redrawn(0));
    assertThrows(IllegalArgumentException.class, () -> s.redrawn(-1));
    for (int draw = 1; draw <= 2; draw++) {
      List<DemoSetStatistics> l = new ArrayList<>();
      for (BenchmarkShape shape : shapes()) {
        BenchmarkShape fresh = shape.redrawn(draw);
        assertEquals(shape.name(), fresh.name());
        assertEquals(shape.seed() + BenchmarkShape.DRAW_STRIDE * draw, fresh.seed());
        DemonstrationSet set = HandwritingBenchmark.demonstrations(fresh);
        assertEquals(HandwritingBenchmark.DEMOS, set.size(), fresh.name());
        assertNotEquals(set(shape).sha256(), set.sha256(), shape.name() + " draw " + draw);
        if (!shape.multiModel()) {
          l.add(HandwritingBenchmark.statistics(fresh, set));
        }
      }
      // The per-shape draws (start spread, variability, durations) are new, so the means move;
      // they stay in the range of the real targets (onAverageTheSingleStrokeShapesMatch...).
      double spread =
          l.stream().mapToDouble(DemoSetStatistics::startSpread).average().orElseThrow();
      double dtw = l.stream().mapToDouble(DemoSetStatistics::referenceDtw).average().orElseThrow();
      double mid = l.stream().mapToDouble(st -> st.pathShare()[2]).average().orElseThrow();
      System.out.printf(
          java.util.Locale.ROOT,
          "draw %d: mean start spread %.4f, reference DTW %.3f mm, path share at 50 %% %.3f%n",
          draw,
          spread,
          dtw,
          mid);
      assertEquals(0.04, spread, 0.015, "draw " + draw + " mean start spread");
      assertEquals(1.4, dtw, 0.35, "draw " + draw + " mean reference DTW [mm]");
      assertEquals(SHARE_TARGET[2], mid, 0.03, "draw " + draw + " path share at 50 %");
    }
  }

  @Test
  void strokesThatTouchThemselvesAreRejected() {
    // The P from its stem's middle: the path starts on its own stem (a T-junction), so every
    // draw touches itself and the generator must refuse rather than return it.
    BenchmarkShape p =
        new BenchmarkShape(
            "P_untrimmed",
            "",
            1,
            List.of(StrokeSpec.glyph("futural.jhf", 'P')),
            new int[] {0, 0, 0, 0, 0, 0, 0});
    GeneratorParameters few = GeneratorParameters.DEFAULTS.withMaxAttempts(3);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> DemoGenerator.generate(p, few));
    assertTrue(
        e.getMessage().contains("P_untrimmed, demo 0: every one of 3 draws"), e.getMessage());
  }

  @Test
  void sensorNoiseKeepsTheExactGoal() {
    BenchmarkShape s = HandwritingBenchmark.shape("L");
    DemonstrationSet clean = set(s);
    DemonstrationSet noisy =
        DemoGenerator.generate(s, GeneratorParameters.DEFAULTS.withSensorNoise(0.05));
    Demonstration a = clean.demo(0);
    Demonstration b = noisy.demo(0);
    double diff = 0;
    for (int j = 0; j < a.size(); j++) {
      diff = Math.max(diff, Math.abs(a.state(j, 0) - b.state(j, 0)));
    }
    assertTrue(diff > 0.05 && diff < 0.5, "noise " + diff);
    assertEquals(0.0, b.state(b.size() - 1, 0));
    assertEquals(0.0, b.state(b.size() - 1, 1));
  }

  @Test
  void theNoisyVariantTrainsOnTheCleanDemosPlusNoiseAndJudgesAgainstTheCleanOnes() {
    BenchmarkShape s = HandwritingBenchmark.shape("S");
    DemonstrationSet clean = set(s);
    AccuracyBenchmark.Case noisy = AccuracyBenchmark.Case.of(s, 1.0, 0.1);
    assertEquals("S~0.1", noisy.name());
    for (int i = 0; i < clean.size(); i++) {
      Demonstration a = clean.demo(i);
      Demonstration b = noisy.set().demo(i);
      assertEquals(a.size(), b.size());
      double max = 0;
      double sq = 0;
      for (int j = 0; j < a.size(); j++) {
        assertEquals(a.time(j), b.time(j), "demo " + i + " sample " + j + ": time");
        for (int c = 0; c < 2; c++) {
          double e = b.state(j, c) - a.state(j, c);
          max = Math.max(max, Math.abs(e));
          sq += e * e;
        }
      }
      if (HandwritingBenchmark.TRAINING_DEMOS.contains(i)) {
        // SD 0.1 mm per component, faded over the last 5 %: an RMS just under 0.1, nothing wild.
        double rms = Math.sqrt(sq / (2 * a.size()));
        assertTrue(rms > 0.085 && rms < 0.105, "demo " + i + ": noise RMS " + rms);
        assertTrue(max < 0.5, "demo " + i + ": noise max " + max);
        assertEquals(0.0, b.state(b.size() - 1, 0), "demo " + i + ": the goal");
      } else {
        assertEquals(0.0, max, "held-out demo " + i + " must stay clean");
      }
    }
    assertThrows(
        IllegalArgumentException.class, () -> HandwritingBenchmark.demonstrations(s, 1.0, -0.1));
    assertThrows(
        IllegalArgumentException.class,
        () -> HandwritingBenchmark.demonstrations(s, 1.0, Double.NaN));
  }
}
