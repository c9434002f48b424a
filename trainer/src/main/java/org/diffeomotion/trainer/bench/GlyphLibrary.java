package org.diffeomotion.trainer.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Hershey glyphs the benchmark uses, from the resource {@value #RESOURCE} (a verbatim subset of
 * the Debian package hershey-fonts-data, so that nothing outside the jar is needed; its
 * acknowledgement is {@value #ACKNOWLEDGEMENT} beside it).
 *
 * <p>Resource format: {@code #} comment lines, then one entry per glyph: the font file, a tab, the
 * character, a tab, the glyph's {@code .jhf} record as in the font file (continued on the next
 * lines if it is longer than its line).
 */
final class GlyphLibrary {

  static final String RESOURCE = "hershey-glyphs.txt";
  static final String ACKNOWLEDGEMENT = "HERSHEY-FONTS-ACKNOWLEDGEMENT.txt";

  private static final class Holder {
    static final Map<String, HersheyGlyph> GLYPHS = load();
  }

  private GlyphLibrary() {}

  /**
   * @param font font file, e.g. {@code futural.jhf}.
   * @param character the glyph's character.
   * @throws IllegalArgumentException when the resource does not have that glyph
   */
  static HersheyGlyph glyph(String font, char character) {
    HersheyGlyph g = Holder.GLYPHS.get(key(font, character));
    if (g == null) {
      throw new IllegalArgumentException(
          "glyph "
              + font
              + " '"
              + character
              + "' is not in the resource "
              + RESOURCE
              + "; it has "
              + Holder.GLYPHS.keySet());
    }
    return g;
  }

  /** Every glyph of the resource, in file order. */
  static List<HersheyGlyph> all() {
    return List.copyOf(Holder.GLYPHS.values());
  }

  /** The acknowledgement text that must be distributed with the glyph data. */
  static String acknowledgement() {
    try (InputStream in = GlyphLibrary.class.getResourceAsStream(ACKNOWLEDGEMENT)) {
      if (in == null) {
        throw new IllegalStateException(
            "resource " + ACKNOWLEDGEMENT + " is missing from the trainer jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read resource " + ACKNOWLEDGEMENT, e);
    }
  }

  /** Reads the glyph entries of a resource's lines (see the class comment). */
  static Map<String, HersheyGlyph> parseEntries(List<String> lines) {
    Map<String, HersheyGlyph> out = new LinkedHashMap<>();
    int i = 0;
    while (i < lines.size()) {
      String line = HersheyGlyph.stripCr(lines.get(i));
      int lineNo = ++i;
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.split("\t", 3);
      if (parts.length != 3 || parts[1].length() != 1) {
        throw new IllegalArgumentException(
            RESOURCE
                + " line "
                + lineNo
                + ": expected 'font<TAB>character<TAB>record', got '"
                + line
                + "'");
      }
      StringBuilder record = new StringBuilder(parts[2]);
      // A record that is longer than its line continues on the next ones, as in a .jhf file.
      while (HersheyGlyph.recordLength(record.toString()) > record.length() && i < lines.size()) {
        record.append(HersheyGlyph.stripCr(lines.get(i++)));
      }
      HersheyGlyph g;
      try {
        g = HersheyGlyph.parse(parts[0], parts[1].charAt(0), record.toString());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(RESOURCE + " line " + lineNo + ": " + e.getMessage(), e);
      }
      if (out.put(key(parts[0], parts[1].charAt(0)), g) != null) {
        throw new IllegalArgumentException(
            RESOURCE + " line " + lineNo + ": " + parts[0] + " '" + parts[1] + "' appears twice");
      }
    }
    return out;
  }

  private static Map<String, HersheyGlyph> load() {
    List<String> lines = new ArrayList<>();
    try (InputStream in = GlyphLibrary.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "resource " + RESOURCE + " is missing from the trainer jar");
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1));
      for (String l = r.readLine(); l != null; l = r.readLine()) {
        lines.add(l);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read resource " + RESOURCE, e);
    }
    return parseEntries(lines);
  }

  private static String key(String font, char c) {
    return font + "\t" + c;
  }
}
