package org.diffeomotion.trainer.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * One shape of the handwriting benchmark: its name, where its strokes come from, the fixed seed its
 * demonstrations are generated from and, for multi-stroke sets, which demonstration follows which
 * stroke. Immutable. The catalogue is {@link HandwritingBenchmark#shapes()}.
 */
public final class BenchmarkShape {

  private final String name;
  private final String description;
  private final long seed;
  private final List<StrokeSpec> strokes;
  private final int[] demoStroke;

  BenchmarkShape(
      String name, String description, long seed, List<StrokeSpec> strokes, int[] demoStroke) {
    this.name = name;
    this.description = description;
    this.seed = seed;
    this.strokes = List.copyOf(strokes);
    this.demoStroke = demoStroke.clone();
    for (int s : demoStroke) {
      if (s < 0 || s >= strokes.size()) {
        throw new IllegalArgumentException(
            name + ": demo assigned to stroke " + s + " of " + strokes.size());
      }
    }
  }

  /** The name, e.g. {@code S}, {@code two}, {@code multi_SC}; also the CSV file's base name. */
  public String name() {
    return name;
  }

  /** What it is and what makes it hard, in a few words. */
  public String description() {
    return description;
  }

  /** The seed of its demonstrations. */
  public long seed() {
    return seed;
  }

  /**
   * The same strokes drawn afresh: the seed moved by {@code draw} × {@value #DRAW_STRIDE} (draw 0
   * is this shape). Every per-shape and per-demo draw of the generator — starts, deformations,
   * durations, time laws — is new; the glyphs, the split and the generator's parameters are the
   * benchmark's. For checking that what was tuned on the benchmark's fixed demo sets holds on
   * others from the same distribution (BENCHMARK.md, *Fresh draws*). The name is kept; {@link
   * AccuracyBenchmark} adds a suffix.
   *
   * @throws IllegalArgumentException if draw is negative
   */
  public BenchmarkShape redrawn(int draw) {
    if (draw < 0) {
      throw new IllegalArgumentException("draw must be >= 0, got " + draw);
    }
    return draw == 0
        ? this
        : new BenchmarkShape(name, description, seed + DRAW_STRIDE * draw, strokes, demoStroke);
  }

  /** Seed step between draws: above the catalogue's seeds (101..3xx), so no draw is a shape. */
  static final long DRAW_STRIDE = 1000;

  /** The largest draw the command lines accept (bench-accuracy --draw, benchmark-data --draw). */
  public static final int MAX_DRAW = 1_000_000;

  /** Where each stroke comes from, e.g. {@code futural.jhf 'S'}; one entry per stroke. */
  public List<String> sources() {
    List<String> out = new ArrayList<>();
    for (StrokeSpec s : strokes) {
      out.add(s.describe());
    }
    return out;
  }

  /** Number of different strokes into the goal (1 for a single-pattern shape). */
  public int strokeCount() {
    return strokes.size();
  }

  /** Whether the demonstrations follow more than one stroke (a multi-model set). */
  public boolean multiModel() {
    return strokes.size() > 1;
  }

  /** The stroke (0-based) that demonstration {@code demo} follows. */
  public int strokeOfDemo(int demo) {
    return demoStroke[demo];
  }

  /** Number of demonstrations. */
  public int demoCount() {
    return demoStroke.length;
  }

  List<StrokeSpec> strokes() {
    return strokes;
  }

  @Override
  public String toString() {
    return name + " (" + String.join(" + ", sources()) + ")";
  }
}
