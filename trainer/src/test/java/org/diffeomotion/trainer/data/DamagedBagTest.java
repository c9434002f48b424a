package org.diffeomotion.trainer.data;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Damaged and wrong files give an error that names the file, never fewer demos. */
class DamagedBagTest {

  private static final BagReadOptions PLANAR =
      BagReadOptions.defaults()
          .withTopic("/demo/pose")
          .withDimensions(List.of("x", "y"))
          .withGapThreshold(1.0);

  @TempDir Path dir;

  private String fail(Path bag) {
    DemoDataException e =
        assertThrows(DemoDataException.class, () -> new BagDemoReader(bag, PLANAR).read());
    assertTrue(
        e.getMessage().startsWith(bag.toString() + ":")
            || e.getMessage().startsWith(bag + ", topic /demo/pose:"),
        e.getMessage());
    return e.getMessage();
  }

  @ParameterizedTest
  @ValueSource(strings = {"demos_2d.bag", "demos_2d_lz4.bag", "demos_2d_bz2.bag"})
  void truncatedBag(String name) throws Exception {
    byte[] all = Files.readAllBytes(SampleData.file(name));
    Path bag = dir.resolve(name);
    for (int keep : new int[] {all.length - 100, all.length / 2, 4096, 20}) {
      Files.write(bag, java.util.Arrays.copyOf(all, keep));
      String m = fail(bag);
      assertTrue(m.contains("cannot be read as a ROS bag") || m.contains("corrupt"), m);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"demos_2d_lz4.bag", "demos_2d_bz2.bag"})
  void corruptCompressedChunk(String name) throws Exception {
    byte[] all = Files.readAllBytes(SampleData.file(name));
    // Overwrite bytes inside the first chunk's compressed data (it starts after the 4 KiB
    // bag header record and a chunk header of ~100 bytes).
    for (int i = 4096 + 400; i < 4096 + 700; i++) {
      all[i] = (byte) (all[i] ^ 0x5A);
    }
    Path bag = dir.resolve(name);
    Files.write(bag, all);
    String m = fail(bag);
    assertTrue(m.contains("cannot read message") || m.contains("corrupt"), m);
  }

  @Test
  void notABag() throws Exception {
    Path bag = dir.resolve("demos.bag");
    Files.writeString(bag, "demo,t,x\na,0,1\n");
    String m = fail(bag);
    assertTrue(m.contains("is not a ROS bag 2.0 file (it does not start with '#ROSBAG V2.0')"), m);
  }

  /**
   * Found by fuzzing (scripts/fuzz.sh bag): a 40 kB bag whose chunk-info record claims ~10^9
   * entries made bag-reader-java allocate gigabytes (OutOfMemoryError). Refused, naming the record.
   */
  @Test
  void absurdCountsAreRefusedBeforeTheLibraryAllocates() throws Exception {
    Path crash =
        Path.of(
            "src",
            "test",
            "resources",
            "org",
            "diffeomotion",
            "trainer",
            "fuzz",
            "DemoReadersFuzzTestInputs",
            "bag",
            "crash-chunk-info-count");
    Path bag = dir.resolve("crash.bag");
    Files.copy(crash, bag);
    String m = fail(bag);
    assertTrue(m.contains("is corrupt: the record at byte"), m);
  }

  @Test
  void missingFile() {
    Path bag = dir.resolve("nope.bag");
    DemoDataException e =
        assertThrows(DemoDataException.class, () -> new BagDemoReader(bag, PLANAR).read());
    assertTrue(e.getMessage().equals(bag + ": file not found"), e.getMessage());
  }
}
