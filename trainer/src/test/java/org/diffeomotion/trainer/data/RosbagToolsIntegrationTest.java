package org.diffeomotion.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bags rewritten by the real `rosbag` command-line tools read back as the original. */
@Tag("integration")
class RosbagToolsIntegrationTest {

  private static final BagReadOptions PLANAR =
      BagReadOptions.defaults()
          .withTopic("/demo/pose")
          .withDimensions(List.of("x", "y"))
          .withGapThreshold(1.0);

  @TempDir Path dir;

  private static void rosbag(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("rosbag"));
    cmd.addAll(Arrays.asList(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    boolean done = p.waitFor(60, TimeUnit.SECONDS);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!done) {
      p.destroyForcibly();
    }
    assertTrue(done && p.exitValue() == 0, cmd + " failed: " + out);
  }

  @Test
  void rosbagCompressLz4AndBz2() throws Exception {
    DemonstrationSet truth = new CsvDemoReader(SampleData.file("demos_2d.csv")).read();
    for (String flag : new String[] {"--lz4", "--bz2"}) {
      Path bag = dir.resolve("c" + flag.substring(2) + ".bag");
      Files.copy(SampleData.file("demos_2d.bag"), bag);
      rosbag("compress", flag, "-q", bag.toString());
      SampleBagsTest.assertSameDemos(truth, new BagDemoReader(bag, PLANAR).read());
    }
  }

  @Test
  void truncatedBagIsRejectedAndReadsAfterRosbagReindex() throws Exception {
    byte[] all = Files.readAllBytes(SampleData.file("demos_2d.bag"));
    Path bag = dir.resolve("cut.bag");
    // Cut inside the last chunk: the index and the end of the recording are lost, as when
    // the recorder is killed.
    Files.write(bag, Arrays.copyOf(all, all.length * 9 / 10));
    DemoDataException e =
        assertThrows(DemoDataException.class, () -> new BagDemoReader(bag, PLANAR).read());
    assertTrue(e.getMessage().contains("rosbag reindex"), e.getMessage());

    rosbag("reindex", "-q", bag.toString());
    DemonstrationSet read = new BagDemoReader(bag, PLANAR).read();
    DemonstrationSet truth = new CsvDemoReader(SampleData.file("demos_2d.csv")).read();
    assertTrue(read.sampleCount() < truth.sampleCount(), "nothing lost?");
    assertTrue(read.size() >= 6, "demos " + read.size());
    // What survived is exactly what was recorded.
    for (int i = 0; i < read.size() - 1; i++) {
      assertEquals(truth.demo(i).size(), read.demo(i).size(), "demo " + i);
      assertEquals(truth.demo(i).state(5, 0), read.demo(i).state(5, 0), 0.0);
    }
  }
}
