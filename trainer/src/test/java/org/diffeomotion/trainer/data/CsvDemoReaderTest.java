package org.diffeomotion.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvDemoReaderTest {

  @TempDir Path dir;

  private Path write(String text) throws Exception {
    Path p = dir.resolve("demos.csv");
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }

  private String fail(String text) throws Exception {
    Path p = write(text);
    DemoDataException e = assertThrows(DemoDataException.class, () -> new CsvDemoReader(p).read());
    assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
    return e.getMessage();
  }

  @Test
  void parsesDemosUnitsAndFrame() throws Exception {
    Path p =
        write(
            "# recorded by hand\n# frame_id: world\n\ndemo,t[s],x[m],q1\n"
                + "a,0,1.5,-2\na,0.5,1.25,-1\n\nb,10,0,0\nb,10.25,1e-3,2.5E1\nb,11,3,4\n");
    DemonstrationSet set = new CsvDemoReader(p).read();
    assertEquals(2, set.size());
    assertEquals(List.of("x", "q1"), set.dimensionNames());
    assertEquals(List.of("m", ""), set.units());
    assertEquals("world", set.frameId());
    assertEquals("a", set.demo(0).name());
    assertArrayEquals(new double[] {10, 10.25, 11}, set.demo(1).times(), 0.0);
    assertArrayEquals(new double[] {0.001, 25}, set.demo(1).states()[1], 0.0);
  }

  @Test
  void binaryDataIsNotText() throws Exception {
    Path p = dir.resolve("demos.csv");
    byte[] bytes = new byte[4096];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) i; // 0x80..0xff alone are never valid UTF-8
    }
    Files.write(p, bytes);
    DemoDataException e = assertThrows(DemoDataException.class, () -> new CsvDemoReader(p).read());
    assertEquals(
        p
            + ": is not UTF-8 text (binary data?): a CSV file with the columns demo, t and one per"
            + " dimension is expected; ROS bags are read when the name ends in .bag",
        e.getMessage());
  }

  @Test
  void badHeader() throws Exception {
    String m = fail("name,t,x\na,0,1\n");
    assertTrue(m.contains("field line 1: bad header 'name,t,x': expected demo,t,<dimension>"), m);
    assertTrue(fail("demo,t\na,0\n").contains("bad header"));
    assertTrue(fail("demo,t,x,x\n").contains("column 'x' appears twice in the header"));
    assertTrue(fail("demo,t,x[m\n").contains("bad column name 'x[m'"));
  }

  @Test
  void wrongColumnCountNamesTheLine() throws Exception {
    String m = fail("demo,t,x,y\na,0,1,2\na,1,2\n");
    assertTrue(m.contains("field line 3: expected 4 columns (demo, t, x, y), found 3"), m);
  }

  @Test
  void notANumberNamesLineAndColumn() throws Exception {
    String m = fail("# c\ndemo,t,x,y\na,0,1,2\na,1,2,abc\n");
    assertTrue(m.contains("field line 4, column y: 'abc' is not a number"), m);
  }

  @Test
  void nanAndInfinityAreRejected() throws Exception {
    assertTrue(
        fail("demo,t,x\na,0,NaN\na,1,2\n")
            .contains("line 2, column x: value is NaN; only finite numbers"));
    assertTrue(
        fail("demo,t,x\na,0,1\na,Infinity,2\n").contains("line 3, column t: value is Infinity"));
  }

  @Test
  void demoRowsMustBeContiguous() throws Exception {
    String m = fail("demo,t,x\na,0,1\na,1,2\nb,0,1\nb,1,1\na,2,3\n");
    assertTrue(m.contains("line 6: rows of demo 'a' are not contiguous (it started at line 2"), m);
  }

  @Test
  void nonIncreasingTimesAreCountedAndLocated() throws Exception {
    String m = fail("demo,t,x\na,0,1\na,1,2\nb,0,0\nb,1,1\nb,1,2\nb,0.5,3\nb,2,3\n");
    assertTrue(
        m.contains(
            "demo #1 (b), field t: 2 of 5 time stamps do not increase:"
                + " sample 2 (t = 1.0 s after 1.0 s), sample 3 (t = 0.5 s after 1.0 s)."),
        m);
  }

  @Test
  void demoWithOnePointIsRejected() throws Exception {
    String m = fail("demo,t,x\na,0,1\na,1,2\nlonely,0,1\n");
    assertTrue(m.contains("demo #1 (lonely): has 1 sample; a demonstration needs at least 2"), m);
  }

  @Test
  void emptyAndMissingFiles() throws Exception {
    assertTrue(fail("").contains("is empty: no header line"));
    assertTrue(fail("# only comments\n").contains("is empty"));
    assertTrue(fail("demo,t,x\n").contains("has a header but no data rows"));
    Path missing = dir.resolve("nope.csv");
    DemoDataException e =
        assertThrows(DemoDataException.class, () -> new CsvDemoReader(missing).read());
    assertEquals(missing + ": file not found", e.getMessage());
  }

  @Test
  void sampleCsvHasTheGeneratedShape() throws Exception {
    DemonstrationSet set = new CsvDemoReader(SampleData.file("demos_2d.csv")).read();
    assertEquals(7, set.size());
    assertEquals("base_link", set.frameId());
    assertEquals(1826, set.sampleCount());
    assertEquals(0.0, set.demo(0).time(0));
  }
}
