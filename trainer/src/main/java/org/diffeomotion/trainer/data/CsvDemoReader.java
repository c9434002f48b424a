package org.diffeomotion.trainer.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads demonstrations from a CSV file, for data recorded without ROS.
 *
 * <p>Format (UTF-8, comma-separated, no quoting):
 *
 * <pre>
 * # comment lines start with '#'; this one sets the frame:
 * # frame_id: base_link
 * demo,t,x[m],y[m]
 * demo0,0.00,0.51,0.46
 * demo0,0.02,0.51,0.46
 * demo1,0.00,0.23,0.40
 * </pre>
 *
 * The header is {@code demo,t} (or {@code t[s]}) followed by one column per state dimension, named
 * {@code name} or {@code name[unit]}. Each row is one sample: the demo's name, the time [s] (any
 * origin; strictly increasing within a demo) and the state. The rows of one demo are contiguous;
 * demos are taken in the order they first appear. Blank lines are ignored. Errors name the line
 * number and column.
 */
public final class CsvDemoReader implements DemoSource {

  private static final Logger LOG = LoggerFactory.getLogger(CsvDemoReader.class);
  private static final String FRAME_PREFIX = "frame_id:";

  private final Path file;
  private final TrimOptions trim;
  private final List<String> dimensions;

  /**
   * @param file the CSV file
   * @param trim removal of still phases ({@link TrimOptions#NONE} for none)
   * @param dimensions the state columns to keep, by name (without the unit), in this order; empty
   *     keeps every column. Not modified.
   */
  public CsvDemoReader(Path file, TrimOptions trim, List<String> dimensions) {
    this.file = Objects.requireNonNull(file, "file");
    this.trim = Objects.requireNonNull(trim, "trim");
    this.dimensions = List.copyOf(dimensions);
  }

  /**
   * @param file the CSV file
   * @param trim removal of still phases ({@link TrimOptions#NONE} for none)
   */
  public CsvDemoReader(Path file, TrimOptions trim) {
    this(file, trim, List.of());
  }

  /** A reader without trimming. */
  public CsvDemoReader(Path file) {
    this(file, TrimOptions.NONE);
  }

  @Override
  public DemonstrationSet read() throws DemoDataException {
    DataLocation where = DataLocation.of(file.toString());
    List<String> lines;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      lines = in.lines().toList();
    } catch (NoSuchFileException e) {
      throw new DemoDataException(where, "file not found", e);
    } catch (MalformedInputException e) {
      throw notText(where, e);
    } catch (java.io.UncheckedIOException e) {
      // BufferedReader.lines() wraps the decoder's error: binary data (a bag named .csv, say).
      if (e.getCause() instanceof MalformedInputException m) {
        throw notText(where, m);
      }
      throw new DemoDataException(where, "cannot be read: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new DemoDataException(where, "cannot be read: " + e.getMessage(), e);
    }

    String frameId = "";
    List<String> names = null;
    List<String> units = null;
    List<Demonstration> demos = new ArrayList<>();
    Map<String, Integer> firstLineOf = new HashMap<>();
    String current = null;
    List<Double> t = new ArrayList<>();
    List<double[]> y = new ArrayList<>();
    int lineNo = 0;
    for (String raw : lines) {
      lineNo++;
      String line = raw.strip();
      if (lineNo == 1 && line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
      if (line.isEmpty()) {
        continue;
      }
      DataLocation at = where.withField("line " + lineNo);
      if (line.startsWith("#")) {
        String c = line.substring(1).strip();
        if (c.startsWith(FRAME_PREFIX)) {
          frameId = c.substring(FRAME_PREFIX.length()).strip();
        }
        continue;
      }
      String[] cells = line.split(",", -1);
      if (names == null) {
        names = new ArrayList<>();
        units = new ArrayList<>();
        parseHeader(cells, names, units, at);
        continue;
      }
      if (cells.length != names.size() + 2) {
        throw new DemoDataException(
            at,
            "expected "
                + (names.size() + 2)
                + " columns"
                + " (demo, t, "
                + String.join(", ", names)
                + "), found "
                + cells.length);
      }
      String demo = cells[0].strip();
      if (demo.isEmpty()) {
        throw new DemoDataException(
            at.withField("line " + lineNo + ", column demo"), "empty demo name");
      }
      if (!demo.equals(current)) {
        if (firstLineOf.containsKey(demo)) {
          throw new DemoDataException(
              at,
              "rows of demo '"
                  + demo
                  + "' are not"
                  + " contiguous (it started at line "
                  + firstLineOf.get(demo)
                  + " and another demo came in between)");
        }
        if (current != null) {
          demos.add(toDemo(current, t, y));
        }
        firstLineOf.put(demo, lineNo);
        current = demo;
        t.clear();
        y.clear();
      }
      t.add(number(cells[1], "t", lineNo, where));
      double[] row = new double[names.size()];
      for (int k = 0; k < row.length; k++) {
        row[k] = number(cells[k + 2], names.get(k), lineNo, where);
      }
      y.add(row);
    }
    if (names == null) {
      throw new DemoDataException(where, "is empty: no header line (demo,t,<dimensions>)");
    }
    if (current == null) {
      throw new DemoDataException(where, "has a header but no data rows");
    }
    demos.add(toDemo(current, t, y));
    if (!dimensions.isEmpty()) {
      int[] keep = columns(names, where);
      demos = select(demos, keep);
      names = pick(names, keep);
      units = pick(units, keep);
    }
    DemonstrationSet set = DemonstrationSet.of(demos, names, units, frameId, file.toString());
    set = StillTrimmer.trim(set, trim);
    LOG.info("read {}", set);
    return set;
  }

  private static void parseHeader(
      String[] cells, List<String> names, List<String> units, DataLocation at)
      throws DemoDataException {
    if (cells.length < 3
        || !cells[0].strip().equals("demo")
        || !(cells[1].strip().equals("t") || cells[1].strip().equals("t[s]"))) {
      throw new DemoDataException(
          at,
          "bad header '"
              + String.join(",", cells)
              + "': expected demo,t,<dimension>[,<dimension>...], e.g. demo,t,x[m],y[m]");
    }
    for (int c = 2; c < cells.length; c++) {
      String cell = cells[c].strip();
      String name = cell;
      String unit = "";
      int open = cell.indexOf('[');
      if (open >= 0) {
        if (!cell.endsWith("]") || open == 0) {
          throw new DemoDataException(
              at, "bad column name '" + cell + "' in the" + " header: write name or name[unit]");
        }
        name = cell.substring(0, open).strip();
        unit = cell.substring(open + 1, cell.length() - 1).strip();
      }
      if (name.isEmpty()) {
        throw new DemoDataException(at, "empty column name in the header (column " + (c + 1) + ")");
      }
      if (names.contains(name)) {
        throw new DemoDataException(at, "column '" + name + "' appears twice in the" + " header");
      }
      names.add(name);
      units.add(unit);
    }
  }

  private static double number(String cell, String column, int lineNo, DataLocation where)
      throws DemoDataException {
    DataLocation at = where.withField("line " + lineNo + ", column " + column);
    String s = cell.strip();
    double v;
    try {
      v = Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw new DemoDataException(at, "'" + s + "' is not a number", e);
    }
    if (!Double.isFinite(v)) {
      throw new DemoDataException(at, "value is " + s + "; only finite numbers are allowed");
    }
    return v;
  }

  private Demonstration toDemo(String name, List<Double> t, List<double[]> y) {
    double[] tt = new double[t.size()];
    for (int i = 0; i < tt.length; i++) {
      tt[i] = t.get(i);
    }
    return new Demonstration(name, file + " demo " + name, tt, y.toArray(new double[0][]));
  }

  private static DemoDataException notText(DataLocation where, MalformedInputException e) {
    return new DemoDataException(
        where,
        "is not UTF-8 text (binary data?): a CSV file with the columns demo, t and one per"
            + " dimension is expected; ROS bags are read when the name ends in .bag",
        e);
  }

  /** Indices of the requested dimensions among the file's columns; an unknown name is an error. */
  private int[] columns(List<String> names, DataLocation where) throws DemoDataException {
    int[] keep = new int[dimensions.size()];
    for (int i = 0; i < keep.length; i++) {
      String want = dimensions.get(i);
      keep[i] = names.indexOf(want);
      if (keep[i] < 0) {
        throw new DemoDataException(
            where.withField("dimensions"),
            "has no column '" + want + "' (its dimensions: " + String.join(", ", names) + ")");
      }
      if (dimensions.subList(0, i).contains(want)) {
        throw new DemoDataException(
            where.withField("dimensions"), "dimension '" + want + "' is asked for twice");
      }
    }
    return keep;
  }

  private static List<Demonstration> select(List<Demonstration> demos, int[] keep) {
    List<Demonstration> out = new ArrayList<>(demos.size());
    for (Demonstration d : demos) {
      double[][] y = new double[d.size()][keep.length];
      for (int i = 0; i < y.length; i++) {
        for (int k = 0; k < keep.length; k++) {
          y[i][k] = d.state(i, keep[k]);
        }
      }
      out.add(new Demonstration(d.name(), d.source(), d.times(), y));
    }
    return out;
  }

  private static List<String> pick(List<String> all, int[] keep) {
    List<String> out = new ArrayList<>(keep.length);
    for (int k : keep) {
      out.add(all.get(k));
    }
    return out;
  }
}
