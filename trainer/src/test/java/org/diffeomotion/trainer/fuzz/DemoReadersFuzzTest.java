package org.diffeomotion.trainer.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.diffeomotion.trainer.data.BagDemoReader;
import org.diffeomotion.trainer.data.BagReadOptions;
import org.diffeomotion.trainer.data.CsvDemoReader;
import org.diffeomotion.trainer.data.DemoDataException;

/**
 * Coverage-guided fuzz tests (Jazzer) of the demonstration readers: CSV files and ROS bags are the
 * trainer's input from outside. The contract: a reader returns a demonstration set or throws a
 * {@link DemoDataException} naming the file and the problem; anything else (an unchecked exception
 * escaping, an error, a hang) is a finding. The readers take files, so each input is written to one
 * reused temporary file first.
 *
 * <p>Regression mode replays the committed corpus under {@code
 * src/test/resources/org/diffeomotion/trainer/fuzz/DemoReadersFuzzTestInputs/<method>/} (a small
 * valid CSV and bag, and mutants); {@code scripts/fuzz.sh} runs a campaign.
 */
class DemoReadersFuzzTest {

  @FuzzTest
  void csv(byte[] data) {
    Csv.fuzzerTestOneInput(data);
  }

  @FuzzTest
  void bag(byte[] data) {
    Bag.fuzzerTestOneInput(data);
  }

  private static Path scratch(String suffix) {
    try {
      Path p = Files.createTempFile("diffeo-fuzz-", suffix);
      p.toFile().deleteOnExit();
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, byte[] data) {
    try {
      Files.write(file, data);
    } catch (IOException e) {
      throw new UncheckedIOException("fuzz harness: cannot write " + file, e);
    }
  }

  /** The CSV reader (demo,t,dims... with units and frame comment). */
  public static final class Csv {
    private static final Path FILE = scratch(".csv");

    public static void fuzzerTestOneInput(byte[] data) {
      write(FILE, data);
      try {
        new CsvDemoReader(FILE).read();
      } catch (DemoDataException expected) {
        // malformed: named with line and column
      }
    }
  }

  /** The bag reader with its default options (the single pose-like topic, x, y, z). */
  public static final class Bag {
    private static final Path FILE = scratch(".bag");

    public static void fuzzerTestOneInput(byte[] data) {
      write(FILE, data);
      try {
        new BagDemoReader(FILE, BagReadOptions.defaults()).read();
      } catch (DemoDataException expected) {
        // not a bag, truncated, unknown topic or type: named
      }
    }
  }
}
