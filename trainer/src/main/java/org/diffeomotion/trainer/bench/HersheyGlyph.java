package org.diffeomotion.trainer.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * One glyph of a Hershey font in the {@code .jhf} format, parsed, with y pointing up.
 *
 * <p>A {@code .jhf} record is a 5-character glyph id, a 3-character vertex count, then that many
 * pairs of characters. Each character encodes one coordinate as {@code c - 'R'} (so 'R' is 0). The
 * first pair is the left and right margin; the pair {@code " R"} lifts the pen (it ends one stroke
 * and the next pair starts another); every other pair is a vertex (x, y) with y pointing down. A
 * record longer than its line continues on the next line. Font files hold one record per character,
 * in ASCII order from the space (line k is character 32 + k).
 *
 * @param font the font file the glyph came from, e.g. {@code futural.jhf}.
 * @param character the character the glyph stands for.
 * @param id the record's glyph id (many files have the placeholder 12345).
 * @param left left margin [font units].
 * @param right right margin [font units].
 * @param strokes the pen-down strokes, each {@code [vertices][2]} as (x, y) [font units], y up (the
 *     file's y negated).
 */
record HersheyGlyph(
    String font, char character, int id, int left, int right, List<double[][]> strokes) {

  /** The pen-up marker's first character (its second is 'R'). */
  private static final char PEN_UP = ' ';

  HersheyGlyph {
    strokes = List.copyOf(strokes);
  }

  /**
   * Number of characters a record needs: the 8-character header plus two per vertex, or -1 when
   * {@code text} is too short to hold the header.
   *
   * @throws IllegalArgumentException when the vertex count is not a number
   */
  static int recordLength(String text) {
    if (text.length() < 8) {
      return -1;
    }
    return 8 + 2 * vertexCount(text, "record");
  }

  /**
   * Parses one complete record (its continuation lines already appended, without line breaks).
   *
   * @param font font file name, for messages and {@link #font()}.
   * @param character the character the record stands for.
   * @param text the record; characters after its end are ignored.
   * @throws IllegalArgumentException naming the font and character if the record is malformed
   */
  static HersheyGlyph parse(String font, char character, String text) {
    String where = font + " '" + character + "'";
    if (text.length() < 10) {
      throw new IllegalArgumentException(
          where
              + ": record too short ("
              + text.length()
              + " characters; need an 8-character header and the margin pair): '"
              + text
              + "'");
    }
    String idText = text.substring(0, 5).trim();
    int id;
    try {
      id = idText.isEmpty() ? 0 : Integer.parseInt(idText);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          where + ": glyph id '" + text.substring(0, 5) + "' is not a number", e);
    }
    int count = vertexCount(text, where);
    if (count < 1) {
      throw new IllegalArgumentException(
          where + ": vertex count " + count + " (the margins need one pair)");
    }
    if (text.length() < 8 + 2 * count) {
      throw new IllegalArgumentException(
          where + ": record announces " + count + " pairs but has only " + (text.length() - 8) / 2);
    }
    int left = text.charAt(8) - 'R';
    int right = text.charAt(9) - 'R';
    List<double[][]> strokes = new ArrayList<>();
    List<double[]> current = new ArrayList<>();
    for (int i = 1; i < count; i++) {
      char cx = text.charAt(8 + 2 * i);
      char cy = text.charAt(9 + 2 * i);
      if (cx == PEN_UP && cy == 'R') {
        flush(current, strokes);
        continue;
      }
      if (cx < ' ' || cx > '~' || cy < ' ' || cy > '~') {
        throw new IllegalArgumentException(
            where + ": pair " + i + " has a non-printable character");
      }
      current.add(new double[] {cx - 'R', -(cy - 'R')});
    }
    flush(current, strokes);
    return new HersheyGlyph(font, character, id, left, right, strokes);
  }

  private static int vertexCount(String text, String where) {
    String c = text.substring(5, 8).trim();
    try {
      return Integer.parseInt(c);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          where + ": vertex count '" + text.substring(5, 8) + "' is not a number", e);
    }
  }

  private static void flush(List<double[]> current, List<double[][]> strokes) {
    if (!current.isEmpty()) {
      strokes.add(current.toArray(new double[0][]));
      current.clear();
    }
  }

  /**
   * Parses a whole {@code .jhf} font file: records in order, character 32 + k for the k-th, records
   * continued over several lines joined.
   *
   * @param font font file name, for messages.
   * @param lines the file's lines (without line terminators). Not modified.
   * @throws IllegalArgumentException naming the font and the line if a record is malformed
   */
  static List<HersheyGlyph> parseFont(String font, List<String> lines) {
    List<HersheyGlyph> out = new ArrayList<>();
    StringBuilder record = new StringBuilder();
    int startLine = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = stripCr(lines.get(i));
      if (record.length() == 0) {
        if (line.isBlank()) {
          continue;
        }
        startLine = i + 1;
      }
      record.append(line);
      int need;
      try {
        need = recordLength(record.toString());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(font + " line " + startLine + ": " + e.getMessage(), e);
      }
      if (need >= 0 && record.length() >= need) {
        char c = (char) (' ' + out.size());
        out.add(parse(font, c, record.toString()));
        record.setLength(0);
      }
    }
    if (record.length() > 0) {
      throw new IllegalArgumentException(
          font + " line " + startLine + ": the file ends inside a record");
    }
    return out;
  }

  static String stripCr(String line) {
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }

  /** Total number of vertices over all strokes. */
  int vertexCount() {
    int n = 0;
    for (double[][] s : strokes) {
      n += s.length;
    }
    return n;
  }
}
