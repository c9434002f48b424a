package org.diffeomotion.trainer.bench;

/**
 * Where one stroke of a benchmark shape comes from and how it is placed.
 *
 * @param font Hershey font file, e.g. {@code futural.jhf}.
 * @param character the glyph.
 * @param reverse traverse the glyph's (joined) strokes backwards, so that the motion ends where the
 *     font's pen started.
 * @param trimStart drop this fraction of the path's arc length at the start (e.g. where the glyph
 *     starts on its own line, a T-junction), in [0, 1).
 * @param trimEnd drop this fraction at the end, in [0, 1).
 * @param directionDeg multi-stroke sets: rotate the stroke about its end (the goal) so that its
 *     centroid lies in this direction from the goal [deg, counter-clockwise from +x]; NaN: as the
 *     font draws it.
 * @param relativeSize multi-stroke sets: the stroke's bounding box relative to the others (1 for
 *     single strokes).
 */
record StrokeSpec(
    String font,
    char character,
    boolean reverse,
    double trimStart,
    double trimEnd,
    double directionDeg,
    double relativeSize) {

  StrokeSpec {
    if (!(trimStart >= 0 && trimEnd >= 0 && trimStart + trimEnd < 0.9 && relativeSize > 0)) {
      throw new IllegalArgumentException(
          "stroke " + font + " '" + character + "': bad trim or size");
    }
  }

  /** A glyph as the font draws it. */
  static StrokeSpec glyph(String font, char character) {
    return new StrokeSpec(font, character, false, 0, 0, Double.NaN, 1);
  }

  StrokeSpec reversed() {
    return new StrokeSpec(
        font, character, !reverse, trimStart, trimEnd, directionDeg, relativeSize);
  }

  StrokeSpec trim(double start, double end) {
    return new StrokeSpec(font, character, reverse, start, end, directionDeg, relativeSize);
  }

  StrokeSpec placed(double direction, double size) {
    return new StrokeSpec(font, character, reverse, trimStart, trimEnd, direction, size);
  }

  /** e.g. {@code futural.jhf 'S'}, with "reversed" and the trim when they apply. */
  String describe() {
    StringBuilder b = new StringBuilder(font).append(" '").append(character).append('\'');
    if (reverse) {
      b.append(" reversed");
    }
    if (trimStart > 0 || trimEnd > 0) {
      b.append(
          String.format(
              java.util.Locale.ROOT, " trimmed %.0f %% / %.0f %%", 100 * trimStart, 100 * trimEnd));
    }
    return b.toString();
  }
}
