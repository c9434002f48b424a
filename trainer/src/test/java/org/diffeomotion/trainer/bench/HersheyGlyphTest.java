package org.diffeomotion.trainer.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HersheyGlyphTest {

  /** futural.jhf 'L': two strokes, the stem down and the base to the right. */
  private static final String FUTURAL_L = "12345  6HYLFL[ RL[X[";

  @Test
  void parsesMarginsStrokesAndFlipsY() {
    HersheyGlyph g = HersheyGlyph.parse("futural.jhf", 'L', FUTURAL_L);
    assertEquals(12345, g.id());
    assertEquals('H' - 'R', g.left());
    assertEquals('Y' - 'R', g.right());
    assertEquals(2, g.strokes().size());
    // 'L' = -6, 'F' = -12 -> y = +12 (the file's y points down), '[' = +9 -> y = -9, 'X' = +6.
    assertArrayEquals(new double[] {-6, 12}, g.strokes().get(0)[0]);
    assertArrayEquals(new double[] {-6, -9}, g.strokes().get(0)[1]);
    assertArrayEquals(new double[] {-6, -9}, g.strokes().get(1)[0]);
    assertArrayEquals(new double[] {6, -9}, g.strokes().get(1)[1]);
    assertEquals(4, g.vertexCount());
  }

  @Test
  void fontFileRecordsWrapAcrossLinesAndAreNumberedFromTheSpace() {
    // The second record is split after its 12th character, as long records are in .jhf files.
    List<HersheyGlyph> glyphs =
        HersheyGlyph.parseFont(
            "test.jhf", List.of("12345  1JZ", "12345  6HYLF", "L[ RL[X[", "", "12345  3NVRFR["));
    assertEquals(3, glyphs.size());
    assertEquals(' ', glyphs.get(0).character());
    assertTrue(glyphs.get(0).strokes().isEmpty());
    assertEquals('!', glyphs.get(1).character());
    assertEquals(2, glyphs.get(1).strokes().size());
    assertArrayEquals(new double[] {6, -9}, glyphs.get(1).strokes().get(1)[1]);
    assertEquals('"', glyphs.get(2).character());
    assertArrayEquals(new double[] {0, 12}, glyphs.get(2).strokes().get(0)[0]);
  }

  @Test
  void malformedRecordsNameTheFontAndTheGlyph() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> HersheyGlyph.parse("f.jhf", 'x', "12345 xxHYLF"));
    assertTrue(e.getMessage().startsWith("f.jhf 'x': vertex count"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> HersheyGlyph.parse("f.jhf", 'x', "12345  9HYLFL["));
    assertTrue(e.getMessage().contains("announces 9 pairs but has only 3"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> HersheyGlyph.parseFont("f.jhf", List.of("12345  1JZ", "12345  6HYLF")));
    assertTrue(
        e.getMessage().contains("f.jhf line 2: the file ends inside a record"), e.getMessage());
  }

  @Test
  void resourceHasEveryGlyphTheShapesUseAndNothingElse() {
    java.util.Set<String> used = new java.util.HashSet<>();
    for (BenchmarkShape s : HandwritingBenchmark.shapes()) {
      for (StrokeSpec st : s.strokes()) {
        HersheyGlyph g = GlyphLibrary.glyph(st.font(), st.character());
        assertFalse(g.strokes().isEmpty(), st.describe());
        used.add(st.font() + " " + st.character());
      }
    }
    for (HersheyGlyph g : GlyphLibrary.all()) {
      assertTrue(
          used.contains(g.font() + " " + g.character()),
          "unused glyph in the resource: " + g.font() + " '" + g.character() + "'");
    }
    assertThrows(IllegalArgumentException.class, () -> GlyphLibrary.glyph("futural.jhf", 'Q'));
  }

  @Test
  void resourceEntriesAreWhatTheDebianFontFilesSay() throws IOException {
    Path dir = Path.of("/usr/share/hershey-fonts");
    assumeTrue(
        Files.isDirectory(dir),
        "hershey-fonts-data is not installed; the resource is checked against it " + "where it is");
    for (HersheyGlyph g : GlyphLibrary.all()) {
      List<String> lines = Files.readAllLines(dir.resolve(g.font()), StandardCharsets.ISO_8859_1);
      HersheyGlyph fromFont = HersheyGlyph.parseFont(g.font(), lines).get(g.character() - ' ');
      assertEquals(fromFont.strokes().size(), g.strokes().size(), g.font() + " " + g.character());
      for (int s = 0; s < g.strokes().size(); s++) {
        assertArrayEquals(
            fromFont.strokes().get(s), g.strokes().get(s), g.font() + " " + g.character());
      }
      assertEquals(fromFont.left(), g.left());
      assertEquals(fromFont.right(), g.right());
    }
  }

  @Test
  void resourceEntryLinesAreCheckedAndTheAcknowledgementShips() {
    Map<String, HersheyGlyph> m =
        GlyphLibrary.parseEntries(List.of("# c", "futural.jhf\tL\t" + FUTURAL_L));
    assertEquals(1, m.size());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> GlyphLibrary.parseEntries(List.of("futural.jhf L " + FUTURAL_L)));
    assertTrue(e.getMessage().startsWith("hershey-glyphs.txt line 1: expected"), e.getMessage());
    String ack = HandwritingBenchmark.acknowledgement();
    assertTrue(ack.contains("The Hershey Fonts were originally created by Dr."), ack);
    assertTrue(ack.contains("James Hurt"), ack);
  }
}
