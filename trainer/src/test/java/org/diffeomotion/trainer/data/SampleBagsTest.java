package org.diffeomotion.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reads the committed sample bags (written by scripts/sample-data/make_sample_data.py with the real
 * rosbag API) and checks them against the generator's CSV ground truth, bit for bit.
 */
class SampleBagsTest {

  private static final BagReadOptions PLANAR =
      BagReadOptions.defaults()
          .withTopic("/demo/pose")
          .withDimensions(List.of("x", "y"))
          .withGapThreshold(1.0);

  static void assertSameDemos(DemonstrationSet expected, DemonstrationSet actual) {
    assertEquals(expected.size(), actual.size(), "number of demos");
    assertEquals(expected.dimensionNames(), actual.dimensionNames());
    assertEquals(expected.units(), actual.units());
    assertEquals(expected.frameId(), actual.frameId());
    for (int i = 0; i < expected.size(); i++) {
      Demonstration e = expected.demo(i);
      Demonstration a = actual.demo(i);
      assertArrayEquals(e.times(), a.times(), 0.0, "times of demo " + i);
      double[][] ey = e.states();
      double[][] ay = a.states();
      assertEquals(ey.length, ay.length, "samples of demo " + i);
      for (int j = 0; j < ey.length; j++) {
        assertArrayEquals(ey[j], ay[j], 0.0, "demo " + i + " sample " + j);
      }
    }
    assertEquals(expected.sha256(), actual.sha256(), "data-set hash");
  }

  @ParameterizedTest
  @ValueSource(strings = {"demos_2d.bag", "demos_2d_lz4.bag", "demos_2d_bz2.bag"})
  void everyCompressionGivesTheGroundTruth(String bag) throws Exception {
    DemonstrationSet truth = new CsvDemoReader(SampleData.file("demos_2d.csv")).read();
    DemonstrationSet read = new BagDemoReader(SampleData.file(bag), PLANAR).read();
    assertEquals(7, read.size());
    assertEquals(List.of("x", "y"), read.dimensionNames());
    assertEquals(List.of("m", "m"), read.units());
    assertEquals("base_link", read.frameId());
    assertEquals(bag + "#0", read.demo(0).name());
    assertSameDemos(truth, read);
  }

  @Test
  void dataSetHashIsStable() throws Exception {
    // Models record this hash as provenance: changing the canonical encoding (or the sample
    // data) must be deliberate. See DemonstrationSet.sha256 and trainer/DATA.md.
    DemonstrationSet read = new BagDemoReader(SampleData.file("demos_2d.bag"), PLANAR).read();
    assertEquals("e56d2596f951ae890713af30014b8654c0bcee657f133b88e499b1f905efc184", read.sha256());
  }

  @Test
  void thePoseBagReadsAsSevenFullPoseDemos() throws Exception {
    DemonstrationSet read =
        new BagDemoReader(
                SampleData.file("demos_pose.bag"),
                BagReadOptions.defaults()
                    .withTopic("/tool/pose")
                    .withGapThreshold(1.0)
                    .withPose(true))
            .read();
    assertEquals(7, read.size());
    assertEquals(1174, read.sampleCount());
    assertEquals(PoseDemos.NAMES, read.dimensionNames());
    assertEquals("base_link", read.frameId());
    // The generator's goal orientation is Rz(35°) Rx(20°); each demo ends within ~1° of it, so
    // their Karcher mean is within a degree of it too.
    double[] rz = {0, 0, Math.sin(Math.toRadians(17.5)), Math.cos(Math.toRadians(17.5))};
    double[] rx = {Math.sin(Math.toRadians(10)), 0, 0, Math.cos(Math.toRadians(10))};
    double[] nominal = new double[4];
    org.diffeomotion.model.So3.multiply(rz, 0, rx, 0, nominal, 0);
    double off = org.diffeomotion.model.So3.angleBetween(read.goalOrientation(), 0, nominal, 0);
    assertTrue(off < Math.toRadians(1), "q_g " + Math.toDegrees(off) + "° from the generator's");
    // The value measured when the bag was made (DATA.md). Not a hash pin: Log/Exp use Math.atan2,
    // sin and cos, which may differ by an ulp between platforms.
    assertArrayEquals(
        new double[] {
          0.1670799335308098, 0.052317138078372315, 0.29766842032812285, 0.9384778763583023
        },
        read.goalOrientation(),
        1e-12);
  }

  @Test
  void withoutGapThresholdTheBagIsOneDemo() throws Exception {
    DemonstrationSet read =
        new BagDemoReader(SampleData.file("demos_2d.bag"), PLANAR.withGapThreshold(0)).read();
    assertEquals(1, read.size());
    assertEquals(1826, read.demo(0).size());
    assertEquals("demos_2d.bag", read.demo(0).name());
  }

  @Test
  void topicIsAutoDetectedAndZIsKeptByDefault() throws Exception {
    DemonstrationSet read =
        new BagDemoReader(
                SampleData.file("demos_2d_lz4.bag"),
                BagReadOptions.defaults().withGapThreshold(1.0))
            .read();
    assertEquals(List.of("x", "y", "z"), read.dimensionNames());
    assertTrue(read.source().contains("/demo/pose"), read.source());
    assertEquals(0.0, read.demo(3).state(10, 2));
  }

  @Test
  void severalBagsAreOneSet() throws Exception {
    DemonstrationSet read =
        new BagDemoReader(
                List.of(SampleData.file("demos_2d.bag"), SampleData.file("demos_2d_bz2.bag")),
                PLANAR)
            .read();
    assertEquals(14, read.size());
    assertEquals("demos_2d_bz2.bag#6", read.demo(13).name());
  }

  @Test
  void jointStatesSelectedByNameInTheRequestedOrder() throws Exception {
    DemonstrationSet truth = new CsvDemoReader(SampleData.file("demos_joints.csv")).read();
    List<String> order = List.of("elbow", "shoulder_pan", "wrist", "shoulder_lift");
    DemonstrationSet read =
        new BagDemoReader(
                SampleData.file("demos_joints.bag"),
                BagReadOptions.defaults().withDimensions(order).withGapThreshold(1.0))
            .read();
    assertEquals(4, read.size());
    assertEquals(order, read.dimensionNames());
    assertEquals(List.of("rad", "rad", "rad", "rad"), read.units());
    for (int i = 0; i < 4; i++) {
      assertArrayEquals(truth.demo(i).times(), read.demo(i).times(), 0.0);
      for (int j = 0; j < read.demo(i).size(); j++) {
        for (int k = 0; k < order.size(); k++) {
          int c = truth.dimensionNames().indexOf(order.get(k));
          assertEquals(truth.demo(i).state(j, c), read.demo(i).state(j, k), 0.0);
        }
      }
    }
  }

  @Test
  void jointStatesFromTwoPublishersNeedASelection() {
    DemoDataException e =
        assertThrows(
            DemoDataException.class,
            () ->
                new BagDemoReader(SampleData.file("demos_joints.bag"), BagReadOptions.defaults())
                    .read());
    assertTrue(e.getMessage().contains("demos_joints.bag"), e.getMessage());
    assertTrue(e.getMessage().contains("/joint_states"), e.getMessage());
    assertTrue(e.getMessage().contains("inconsistent joint names"), e.getMessage());
    assertTrue(e.getMessage().contains("[gripper]"), e.getMessage());
  }

  @Test
  void missingTopicListsTheTopicsThere() {
    DemoDataException e =
        assertThrows(
            DemoDataException.class,
            () ->
                new BagDemoReader(SampleData.file("demos_2d.bag"), PLANAR.withTopic("/demo/pos"))
                    .read());
    assertEquals("topic /demo/pos", "topic " + e.location().topic());
    assertTrue(
        e.getMessage()
            .contains(
                "is not in the bag; topics there: /demo/annotation"
                    + " (std_msgs/String, 7 msgs), /demo/pose (geometry_msgs/PoseStamped, 1826 msgs)"),
        e.getMessage());
  }

  @Test
  void unsupportedTypeListsTheSupportedOnes() {
    DemoDataException e =
        assertThrows(
            DemoDataException.class,
            () ->
                new BagDemoReader(
                        SampleData.file("demos_2d.bag"), PLANAR.withTopic("/demo/annotation"))
                    .read());
    assertTrue(
        e.getMessage()
            .contains(
                "topic /demo/annotation: has type std_msgs/String,"
                    + " which is not supported; supported types: [geometry_msgs/PoseStamped,"),
        e.getMessage());
    assertTrue(e.getMessage().contains("sensor_msgs/JointState]"), e.getMessage());
  }

  @Test
  void unknownDimensionIsNamed() {
    DemoDataException e =
        assertThrows(
            DemoDataException.class,
            () ->
                new BagDemoReader(
                        SampleData.file("demos_2d.bag"), PLANAR.withDimensions(List.of("x", "w")))
                    .read());
    assertTrue(
        e.getMessage()
            .contains(
                "'w' is not a dimension of geometry_msgs/PoseStamped;" + " choose from [x, y, z]"),
        e.getMessage());
  }

  @Test
  void trimmingRemovesTheStillPhases() throws Exception {
    DemonstrationSet raw = new BagDemoReader(SampleData.file("demos_2d.bag"), PLANAR).read();
    DemonstrationSet trimmed =
        new BagDemoReader(
                SampleData.file("demos_2d.bag"), PLANAR.withTrim(TrimOptions.of(0.02, 0.3)))
            .read();
    for (int i = 0; i < raw.size(); i++) {
      Demonstration r = raw.demo(i);
      Demonstration t = trimmed.demo(i);
      // The generator holds still for 0.6 s before and 0.8 s after the motion; the
      // minimum-jerk motion itself starts and ends slowly, so a little more goes.
      double cutStart = t.time(0) - r.time(0);
      double cutEnd = r.time(r.size() - 1) - t.time(t.size() - 1);
      assertTrue(cutStart > 0.5 && cutStart < 1.2, "demo " + i + " start cut " + cutStart);
      assertTrue(cutEnd > 0.7 && cutEnd < 1.5, "demo " + i + " end cut " + cutEnd);
      // What was cut is at rest: within 5 mm of the demo's start and end.
      assertTrue(dist(r, 0, t.states()[0]) < 0.005, "demo " + i + " start moved");
      assertTrue(
          dist(r, r.size() - 1, t.states()[t.size() - 1]) < 0.005, "demo " + i + " end moved");
      assertTrue(t.size() < r.size() - 60, "demo " + i + " kept " + t.size());
    }
  }

  private static double dist(Demonstration d, int i, double[] p) {
    return Math.hypot(d.state(i, 0) - p[0], d.state(i, 1) - p[1]);
  }
}
