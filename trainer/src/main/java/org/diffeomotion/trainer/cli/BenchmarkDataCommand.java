package org.diffeomotion.trainer.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.diffeomotion.model.AtomicFiles;
import org.diffeomotion.trainer.bench.BenchmarkFiles;
import org.diffeomotion.trainer.bench.BenchmarkShape;
import org.diffeomotion.trainer.bench.HandwritingBenchmark;
import org.diffeomotion.trainer.data.DemonstrationSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code diffeo benchmark-data}: the handwriting benchmark's demonstrations as CSV files and an
 * overview PNG.
 */
@Command(
    name = "benchmark-data",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Writes the handwriting benchmark's demonstration sets (generated from the Hershey fonts, "
          + "deterministic; trainer/BENCHMARK.md): DIR/<shape>.csv for each shape (readable by 'diffeo train'), "
          + "DIR/overview.png with every shape's demos, and the Hershey fonts' acknowledgement, and prints "
          + "each set's realism statistics."
    })
final class BenchmarkDataCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = {"-o", "--out"},
      paramLabel = "DIR",
      description = "Directory to write into (created if needed).")
  Path out;

  @Option(
      names = "--shapes",
      paramLabel = "A,B,..",
      split = ",",
      description = "Shapes to write (default: all; see --list).")
  List<String> shapes;

  @Option(
      names = "--overview",
      paramLabel = "FILE",
      description = "Where to write the overview PNG (default: DIR/overview.png).")
  Path overview;

  @Option(
      names = "--draw",
      paramLabel = "K",
      defaultValue = "0",
      description =
          "Draw every shape's demos afresh from the same generator (0: the benchmark's own demos; "
              + "K > 0: seed + 1000 K, the demos bench-accuracy --draw K trains on; shape and file "
              + "names stay the same; trainer/BENCHMARK.md, Fresh draws).")
  int draw;

  @Option(
      names = "--list",
      description = "List the shapes (name, strokes and their fonts, description) and exit.")
  boolean list;

  @Override
  public Integer call() throws Exception {
    PrintWriter o = spec.commandLine().getOut();
    if (list) {
      o.print(HandwritingBenchmark.describe());
      return 0;
    }
    if (out == null) {
      throw new ParameterException(spec.commandLine(), "Missing required option: '--out=DIR'");
    }
    List<BenchmarkShape> selected;
    try {
      selected = HandwritingBenchmark.select(shapes);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--shapes: " + e.getMessage());
    }
    if (draw < 0 || draw > BenchmarkShape.MAX_DRAW) {
      throw new ParameterException(
          spec.commandLine(),
          "--draw: must be an integer in [0, " + BenchmarkShape.MAX_DRAW + "], got " + draw);
    }
    if (draw > 0) {
      selected = selected.stream().map(s -> s.redrawn(draw)).toList();
    }
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new ParameterException(
          spec.commandLine(), "--out " + out + " is a file; give a directory");
    }
    Files.createDirectories(out);
    List<DemonstrationSet> sets = new ArrayList<>();
    for (BenchmarkShape s : selected) {
      DemonstrationSet set = HandwritingBenchmark.demonstrations(s);
      sets.add(set);
      Path csv = out.resolve(s.name() + ".csv");
      BenchmarkFiles.writeCsv(s, set, csv);
      o.printf(
          Locale.ROOT, "%-10s %s%n", s.name(), HandwritingBenchmark.statistics(s, set).summary());
    }
    Path ack = out.resolve("HERSHEY-FONTS-ACKNOWLEDGEMENT.txt");
    AtomicFiles.write(ack, HandwritingBenchmark.acknowledgement().getBytes(StandardCharsets.UTF_8));
    Path png = overview != null ? overview : out.resolve("overview.png");
    Path pngDir = png.toAbsolutePath().getParent();
    if (pngDir != null) {
      Files.createDirectories(pngDir);
    }
    BenchmarkFiles.writeOverview(selected, sets, png);
    o.printf(
        Locale.ROOT,
        "wrote %d CSV file%s (x, y in mm, goal at the origin) to %s, the overview %s and %s%n",
        selected.size(),
        selected.size() == 1 ? "" : "s",
        out,
        png,
        ack.getFileName());
    return 0;
  }
}
