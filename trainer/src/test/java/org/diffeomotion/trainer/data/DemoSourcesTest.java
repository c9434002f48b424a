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
}
