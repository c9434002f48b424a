package org.diffeomotion.trainer.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.diffeomotion.trainer.cli.DiffeoCli;
import org.diffeomotion.trainer.data.CsvDemoReader;
import org.diffeomotion.trainer.data.DemonstrationSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchmarkFilesTest {

  @Test
  void csvReadsBackBitExactWithTheTrainersReader(@TempDir Path dir) throws Exception {
    BenchmarkShape s = HandwritingBenchmark.shape("Z");
    DemonstrationSet set = HandwritingBenchmarkTest.set(s);
    Path csv = dir.resolve("Z.csv");
    BenchmarkFiles.writeCsv(s, set, csv);
    DemonstrationSet back = new CsvDemoReader(csv).read();
    assertEquals(set.sha256(), back.sha256());
    assertEquals(set.demo(3).name(), back.demo(3).name());
    assertEquals(set.units(), back.units());
  }

  @Test
  void benchmarkDataCommandWritesCsvsOverviewAndAcknowledgement(@TempDir Path dir)
      throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Path target = dir.resolve("bench");
    int code =
        DiffeoCli.execute(
            new String[] {"benchmark-data", "--out", target.toString(), "--shapes", "L,multi_CU"},
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            false);
    assertEquals(0, code, out + "\n" + err);
    assertTrue(out.toString().contains("multi_CU   extent"), out.toString());
    assertEquals(
        HandwritingBenchmarkTest.set(HandwritingBenchmark.shape("L")).sha256(),
        new CsvDemoReader(target.resolve("L.csv")).read().sha256());
    assertTrue(Files.size(target.resolve("multi_CU.csv")) > 100_000);
    BufferedImage png = ImageIO.read(target.resolve("overview.png").toFile());
    assertNotNull(png);
    assertEquals(2 * 180, png.getWidth());
    assertTrue(
        Files.readString(target.resolve("HERSHEY-FONTS-ACKNOWLEDGEMENT.txt"))
            .contains("originally created by Dr."));

    err.getBuffer().setLength(0);
    code =
        DiffeoCli.execute(
            new String[] {"benchmark-data", "--out", target.toString(), "--shapes", "L,nope"},
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            false);
    assertEquals(DiffeoCli.EXIT_USAGE, code);
    assertTrue(err.toString().contains("no benchmark shape 'nope'"), err.toString());
  }

  @Test
  void benchmarkDataWritesAFreshDraw(@TempDir Path dir) throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Path target = dir.resolve("draw2");
    int code =
        DiffeoCli.execute(
            new String[] {
              "benchmark-data", "--out", target.toString(), "--shapes", "L", "--draw", "2"
            },
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            false);
    assertEquals(0, code, out + "\n" + err);
    BenchmarkShape l = HandwritingBenchmark.shape("L");
    // the same demos as bench-accuracy --draw 2 trains on, not the benchmark's own
    String drawn = new CsvDemoReader(target.resolve("L.csv")).read().sha256();
    assertEquals(HandwritingBenchmark.demonstrations(l.redrawn(2)).sha256(), drawn);
    assertNotEquals(HandwritingBenchmarkTest.set(l).sha256(), drawn);
    code =
        DiffeoCli.execute(
            new String[] {"benchmark-data", "--out", target.toString(), "--draw", "-1"},
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            false);
    assertEquals(DiffeoCli.EXIT_USAGE, code);
    assertTrue(
        err.toString().contains("--draw: must be an integer in [0, 1000000]"), err.toString());
  }
}
