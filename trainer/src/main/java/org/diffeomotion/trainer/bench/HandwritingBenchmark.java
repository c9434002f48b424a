package org.diffeomotion.trainer.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.diffeomotion.trainer.data.DemonstrationSet;

/**
 * The handwriting benchmark: planar demonstration sets generated from the Hershey vector fonts so
 * that they look and move like real handwriting demonstrations (trainer/BENCHMARK.md), which the
 * project owns and may redistribute (with the Hershey acknowledgement, {@link #acknowledgement()}).
 *
 * <p>Every shape has {@value #DEMOS} demonstrations of {@value #SAMPLES} samples, uniform in time
 * from 0 to the demo's duration, dimensions {@code x, y} in [mm], frame {@code ""}. The goal is the
 * origin: every demonstration ends there exactly, at rest. The larger side of a shape's bounding
 * box is about 50 mm. Generation is deterministic: the same shape gives the same bits on every run
 * and JVM.
 *
 * <p>Protocol: train on demos {@link #TRAINING_DEMOS}, evaluate on {@link #HELD_OUT_DEMOS} (never
 * seen in training); see {@link AccuracyBenchmark}.
 */
public final class HandwritingBenchmark {

  /** Demonstrations per shape. */
  public static final int DEMOS = 7;

  /** Samples per demonstration. */
  public static final int SAMPLES = 1000;

  /** The demonstrations to train on. */
  public static final List<Integer> TRAINING_DEMOS = List.of(0, 1, 3, 5, 6);

  /** The demonstrations to evaluate on; they must not influence training. */
  public static final List<Integer> HELD_OUT_DEMOS = List.of(2, 4);

  private static final String FUTURAL = "futural.jhf";
  private static final String CURSIVE = "cursive.jhf";

  /**
   * Multi-stroke sets: stroke A = demos 0-2, stroke B = demos 3-6 (each held-out demo has two
   * training demos on its stroke).
   */
  private static final int[] TWO_STROKES = {0, 0, 0, 1, 1, 1, 1};

  /** Three strokes: A = 0-2, B = 3-5, C = 6 (C has no held-out demo). */
  private static final int[] THREE_STROKES = {0, 0, 0, 1, 1, 1, 2};

  private static final int[] ONE_STROKE = {0, 0, 0, 0, 0, 0, 0};

  private static final Map<String, BenchmarkShape> SHAPES = catalogue();

  private HandwritingBenchmark() {}

  private static Map<String, BenchmarkShape> catalogue() {
    List<BenchmarkShape> l = new ArrayList<>();
    l.add(
        single(
            "line", 101, "a straight stroke (the easiest case)", StrokeSpec.glyph(FUTURAL, 'l')));
    l.add(single("C", 102, "a gentle open curve, ~270 degrees", StrokeSpec.glyph(FUTURAL, 'C')));
    l.add(single("U", 103, "a U: down, round turn, up", StrokeSpec.glyph(FUTURAL, 'U')));
    l.add(single("J", 104, "a J: long straight, then a hook", StrokeSpec.glyph(FUTURAL, 'J')));
    l.add(single("S", 105, "an S: two opposite curls", StrokeSpec.glyph(FUTURAL, 'S')));
    l.add(single("L", 106, "an L: one sharp 90-degree turn", StrokeSpec.glyph(FUTURAL, 'L')));
    l.add(
        single("V", 107, "a V: one sharp reversal (~40 degrees)", StrokeSpec.glyph(FUTURAL, 'V')));
    l.add(
        single(
            "N",
            108,
            "an N written upwards: two sharp reversals",
            StrokeSpec.glyph(FUTURAL, 'N').reversed()));
    l.add(single("Z", 109, "a Z: two sharp turns", StrokeSpec.glyph(FUTURAL, 'Z')));
    l.add(single("W", 110, "a W: three sharp reversals", StrokeSpec.glyph(FUTURAL, 'W')));
    l.add(
        single(
            "G",
            111,
            "a G: a long curl around the goal, then a sharp turn into the bar",
            StrokeSpec.glyph(FUTURAL, 'G')));
    l.add(
        single(
            "P",
            112,
            "a P drawn from the bowl: round the bowl, sharp turn, down the stem",
            StrokeSpec.glyph(FUTURAL, 'P').trim(0.06, 0)));
    l.add(
        single(
            "two",
            113,
            "a 2: a curl, a long diagonal, a sharp turn into the base",
            StrokeSpec.glyph(FUTURAL, '2')));
    l.add(
        single(
            "three",
            114,
            "a 3: a bar, a sharp turn, a diagonal, a wide curl",
            StrokeSpec.glyph(FUTURAL, '3')));
    l.add(single("five", 115, "a 5: bar, stem, then a wide curl", StrokeSpec.glyph(FUTURAL, '5')));
    l.add(
        single(
            "six",
            116,
            "a 6: a long curl that spirals into its loop (turns > 360 degrees)",
            StrokeSpec.glyph(FUTURAL, '6').trim(0, 0.08)));
    l.add(
        single(
            "seven",
            117,
            "a 7: a bar, then a sharp turn into a long diagonal",
            StrokeSpec.glyph(FUTURAL, '7')));
    l.add(
        single(
            "nine",
            118,
            "a 9: a loop, then down the stem into a hook",
            StrokeSpec.glyph(FUTURAL, '9').trim(0.05, 0)));
    l.add(
        single(
            "M",
            119,
            "an M: three sharp reversals, upwards first",
            StrokeSpec.glyph(FUTURAL, 'M').reversed()));
    l.add(
        single(
            "c_script",
            120,
            "a cursive c: a hook, then an open curve",
            StrokeSpec.glyph(CURSIVE, 'c')));
    l.add(
        single(
            "e_script",
            121,
            "a cursive e: an open loop (turns > 360 degrees)",
            StrokeSpec.glyph(CURSIVE, 'e')));
    l.add(
        single(
            "r_script",
            122,
            "a cursive r: small cusps and a shoulder",
            StrokeSpec.glyph(CURSIVE, 'r')));
    l.add(
        single(
            "v_script",
            123,
            "a cursive v: a cusp at the start, a flick at the end",
            StrokeSpec.glyph(CURSIVE, 'v')));
    l.add(
        single(
            "E_cursive",
            124,
            "a cursive capital E: two curls and a tail",
            StrokeSpec.glyph(CURSIVE, 'E')));
    l.add(
        single(
            "C_cursive",
            125,
            "a cursive capital C: a small curl, then a wide open curve",
            StrokeSpec.glyph(CURSIVE, 'C')));
    l.add(
        multi(
            "multi_SJ",
            201,
            "an S and a J into one goal from opposite sides",
            TWO_STROKES,
            StrokeSpec.glyph(FUTURAL, 'S').placed(0, 1),
            StrokeSpec.glyph(FUTURAL, 'J').placed(180, 1)));
    l.add(
        multi(
            "multi_CU",
            202,
            "a C and a U into one goal from opposite sides",
            TWO_STROKES,
            StrokeSpec.glyph(FUTURAL, 'C').placed(180, 1),
            StrokeSpec.glyph(FUTURAL, 'U').placed(0, 1)));
    l.add(
        multi(
            "multi_Z2e",
            203,
            "a Z, a 2 and a cursive e into one goal from three sides",
            THREE_STROKES,
            StrokeSpec.glyph(FUTURAL, 'Z').placed(90, 1),
            StrokeSpec.glyph(FUTURAL, '2').placed(210, 1),
            StrokeSpec.glyph(CURSIVE, 'e').placed(330, 1)));
    Map<String, BenchmarkShape> m = new LinkedHashMap<>();
    for (BenchmarkShape s : l) {
      // Case-insensitively unique: the names are file names, also on macOS and Windows.
      for (String other : m.keySet()) {
        if (other.equalsIgnoreCase(s.name())) {
          throw new IllegalStateException("shape names " + other + " and " + s.name() + " clash");
        }
      }
      m.put(s.name(), s);
    }
    return m;
  }

  private static BenchmarkShape single(
      String name, long seed, String description, StrokeSpec stroke) {
    return new BenchmarkShape(name, description, seed, List.of(stroke), ONE_STROKE);
  }

  private static BenchmarkShape multi(
      String name, long seed, String description, int[] demoStroke, StrokeSpec... strokes) {
    return new BenchmarkShape(name, description, seed, List.of(strokes), demoStroke);
  }

  /** Every shape, single strokes first, then the multi-stroke sets. */
  public static List<BenchmarkShape> shapes() {
    return List.copyOf(SHAPES.values());
  }

  /** Every shape's name, in {@link #shapes()} order. */
  public static List<String> names() {
    return List.copyOf(SHAPES.keySet());
  }

  /**
   * @throws IllegalArgumentException naming the known shapes if there is no such shape
   */
  public static BenchmarkShape shape(String name) {
    BenchmarkShape s = SHAPES.get(name);
    if (s == null) {
      throw new IllegalArgumentException(
          "no benchmark shape '" + name + "'; shapes: " + String.join(", ", SHAPES.keySet()));
    }
    return s;
  }

  /**
   * Shapes by name, in the order given (e.g. parsed from {@code --shapes a,b}); all shapes for an
   * empty list.
   *
   * @throws IllegalArgumentException naming the first unknown or repeated name and the known ones
   */
  public static List<BenchmarkShape> select(List<String> names) {
    if (names == null || names.isEmpty()) {
      return shapes();
    }
    List<BenchmarkShape> out = new ArrayList<>();
    for (String n : names) {
      BenchmarkShape s = shape(n.trim());
      if (out.contains(s)) {
        throw new IllegalArgumentException("shape '" + n + "' is listed twice");
      }
      out.add(s);
    }
    return out;
  }

  /** The demonstrations of shape {@code name} (deterministic: the shape's fixed seed). */
  public static DemonstrationSet demonstrations(String name) {
    return demonstrations(shape(name));
  }

  /** The demonstrations of a shape (deterministic: the shape's fixed seed). */
  public static DemonstrationSet demonstrations(BenchmarkShape shape) {
    return DemoGenerator.generate(shape, GeneratorParameters.DEFAULTS);
  }

  /**
   * The demonstrations of a shape with its start spread scaled by {@code k} (1 = {@link
   * #demonstrations(BenchmarkShape)}): the wide-starts variant of the benchmark (BENCHMARK.md).
   *
   * @throws IllegalArgumentException if k is not finite and positive
   */
  public static DemonstrationSet demonstrations(BenchmarkShape shape, double k) {
    if (!(k > 0) || !Double.isFinite(k)) {
      throw new IllegalArgumentException("start spread scale must be finite and > 0, got " + k);
    }
    return demonstrations(shape, k, 0.0);
  }

  /**
   * The demonstrations of a shape with its start spread scaled by {@code k} and white sensor noise
   * of standard deviation {@code noise} [mm] per component on every sample (faded out over the last
   * 5 %, so the goal stays exact; BENCHMARK.md, *Generator*). With noise the demos are the same as
   * without, plus the noise: it has a stream of its own.
   *
   * @throws IllegalArgumentException if k is not finite and positive or noise not finite and >= 0
   */
  public static DemonstrationSet demonstrations(BenchmarkShape shape, double k, double noise) {
    if (!(k > 0) || !Double.isFinite(k)) {
      throw new IllegalArgumentException("start spread scale must be finite and > 0, got " + k);
    }
    if (!(noise >= 0) || !Double.isFinite(noise)) {
      throw new IllegalArgumentException("sensor noise must be finite and >= 0 mm, got " + noise);
    }
    if (k == 1.0 && noise == 0.0) {
      return demonstrations(shape);
    }
    GeneratorParameters p = GeneratorParameters.DEFAULTS;
    if (k != 1.0) {
      p = p.withStartSpreadScale(k);
    }
    return DemoGenerator.generate(shape, noise == 0.0 ? p : p.withSensorNoise(noise));
  }

  /**
   * The realism statistics of a shape's demonstrations (strokes and the training/held-out split of
   * the benchmark).
   */
  public static DemoSetStatistics statistics(BenchmarkShape shape, DemonstrationSet set) {
    int[] stroke = new int[shape.demoCount()];
    for (int i = 0; i < stroke.length; i++) {
      stroke[i] = shape.strokeOfDemo(i);
    }
    return DemoSetStatistics.of(set, stroke, TRAINING_DEMOS, HELD_OUT_DEMOS);
  }

  /**
   * The acknowledgement that must be distributed with the Hershey font data and data made from it.
   */
  public static String acknowledgement() {
    return GlyphLibrary.acknowledgement();
  }

  /** One line per shape: name, sources, description (for help texts and logs). */
  public static String describe() {
    StringBuilder b = new StringBuilder();
    for (BenchmarkShape s : SHAPES.values()) {
      b.append(
          String.format(
              Locale.ROOT,
              "%-10s %-48s %s%n",
              s.name(),
              String.join(" + ", s.sources()),
              s.description()));
    }
    return b.toString();
  }
}
