package org.diffeomotion.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoSourcesTest {

  @Test
  void picksTheReaderByExtension() throws Exception {
    assertInstanceOf(
        BagDemoReader.class,
        DemoSources.forPaths(
            List.of(Path.of("a.bag"), Path.of("b.BAG")), BagReadOptions.defaults()));
    DemoSource csv =
        DemoSources.forPaths(List.of(SampleData.file("demos_2d.csv")), BagReadOptions.defaults());
    assertInstanceOf(CsvDemoReader.class, csv);
    assertEquals(7, csv.read().size());
  }

  @Test
  void rejectsMixedAndUnknownInputs() {
    DemoDataException e =
        assertThrows(
            DemoDataException.class,
            () ->
                DemoSources.forPaths(
                    List.of(Path.of("a.bag"), Path.of("b.csv")), BagReadOptions.defaults()));
    assertTrue(e.getMessage().contains("give either ROS bags or a single CSV file"));
    e =
        assertThrows(
            DemoDataException.class,
            () -> DemoSources.forPaths(List.of(Path.of("a.txt")), BagReadOptions.defaults()));
    assertEquals("a.txt: is neither a ROS bag (.bag) nor a CSV file (.csv)", e.getMessage());
    assertThrows(
        DemoDataException.class, () -> DemoSources.forPaths(List.of(), BagReadOptions.defaults()));
  }

  @Test
  void aCsvFileKeepsTheDimensionsAskedForAndRefusesBagOnlyOptions() throws Exception {
    Path csv = SampleData.file("demos_2d.csv");
    DemonstrationSet all = DemoSources.forPaths(List.of(csv), BagReadOptions.defaults()).read();
    DemonstrationSet yx =
        DemoSources.forPaths(
                List.of(csv), BagReadOptions.defaults().withDimensions(List.of("y", "x")))
            .read();
    assertEquals(List.of("y", "x"), yx.dimensionNames());
    assertEquals(List.of("m", "m"), yx.units());
    assertEquals(all.size(), yx.size());
    for (int i = 0; i < all.size(); i++) {
      Demonstration a = all.demo(i);
      Demonstration b = yx.demo(i);
      assertEquals(a.size(), b.size());
      for (int j = 0; j < a.size(); j += 97) {
        assertEquals(a.time(j), b.time(j));
        assertEquals(a.state(j, 0), b.state(j, 1));
        assertEquals(a.state(j, 1), b.state(j, 0));
      }
    }
    DemoDataException e =
        assertThrows(
            DemoDataException.class,
            () ->
                DemoSources.forPaths(
                        List.of(csv), BagReadOptions.defaults().withDimensions(List.of("x", "z")))
                    .read());
    assertEquals(
        csv + ", field dimensions: has no column 'z' (its dimensions: x, y)", e.getMessage());
    e =
        assertThrows(
            DemoDataException.class,
            () ->
                DemoSources.forPaths(
                        List.of(csv), BagReadOptions.defaults().withDimensions(List.of("x", "x")))
                    .read());
    assertEquals(csv + ", field dimensions: dimension 'x' is asked for twice", e.getMessage());
    e =
        assertThrows(
            DemoDataException.class,
            () -> DemoSources.forPaths(List.of(csv), BagReadOptions.defaults().withTopic("/pose")));
    assertTrue(
        e.getMessage().contains("the topic option applies to ROS bags only"), e.getMessage());
    e =
        assertThrows(
            DemoDataException.class,
            () ->
                DemoSources.forPaths(
                    List.of(csv), BagReadOptions.defaults().withGapThreshold(1.0)));
    assertTrue(e.getMessage().contains("the gap threshold applies"), e.getMessage());
  }
}
