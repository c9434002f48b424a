package org.diffeomotion.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every supported message type, and every bag problem, read from small bags that the real rosbag
 * Python API writes (Debian's /usr/bin/python3 with python3-rosbag). One Python process writes all
 * bags, to keep the suite fast.
 */
@Tag("integration")
class BagMessageTypesIntegrationTest {

  private static final String PYTHON = "/usr/bin/python3";

  /** Writes the bags into argv[1]; stamps are exact (secs, nsecs). */
  private static final String WRITER =
      """
            import math, os, sys
            import rosbag, rospy
            from geometry_msgs.msg import PoseStamped, PointStamped, TransformStamped
            from nav_msgs.msg import Odometry, Path
            from sensor_msgs.msg import JointState
            out = sys.argv[1]
            T = lambda s: rospy.Time.from_sec(s) if s else rospy.Time(0, 0)
            REC = lambda s: rospy.Time.from_sec(1000.0 + s)  # record time: a different clock

            def pose(stamp, x, y, z, frame="map"):
                m = PoseStamped()
                m.header.stamp = T(stamp); m.header.frame_id = frame
                m.pose.position.x, m.pose.position.y, m.pose.position.z = x, y, z
                m.pose.orientation.w = 1.0
                return m

            def bag(name, msgs, topic="/p"):
                with rosbag.Bag(os.path.join(out, name), "w") as b:
                    for i, m in enumerate(msgs):
                        b.write(topic, m, REC(0.5 * i))

            ts = [100.0, 100.1, 100.25, 100.5, 101.0]
            bag("pose.bag", [pose(t, i, 2 * i, 3 * i) for i, t in enumerate(ts)])

            msgs = []
            for i, t in enumerate(ts):
                m = PointStamped(); m.header.stamp = T(t); m.header.frame_id = "map"
                m.point.x, m.point.y, m.point.z = -i, 0.5 * i, 7.0
                msgs.append(m)
            bag("point.bag", msgs, "/pt")

            msgs = []
            for i, t in enumerate(ts):
                m = TransformStamped(); m.header.stamp = T(t); m.header.frame_id = "odom"
                m.child_frame_id = "tool"
                m.transform.translation.x, m.transform.translation.y = 1.0 + i, -1.0
                m.transform.translation.z = 0.25 * i
                m.transform.rotation.w = 1.0
                msgs.append(m)
            bag("tf.bag", msgs, "/tool")
            # Turning about z by 0.2 rad per message, published with alternating signs.
            for i, m in enumerate(msgs):
                sgn = -1.0 if i % 2 else 1.0
                m.transform.rotation.z = sgn * math.sin(0.1 * i)
                m.transform.rotation.w = sgn * math.cos(0.1 * i)
            bag("tfturn.bag", msgs, "/tool")

            msgs = []
            for i, t in enumerate(ts):
                m = Odometry(); m.header.stamp = T(t); m.header.frame_id = "odom"
                m.child_frame_id = "base_link"
                m.pose.pose.position.x, m.pose.pose.position.y = 10.0 * i, 1.0
                m.pose.pose.orientation.w = 1.0
                msgs.append(m)
            bag("odom.bag", msgs, "/odom")

            msgs = []
            for k in range(2):
                p = Path(); p.header.stamp = T(50.0 + k); p.header.frame_id = "map"
                for i in range(4):
                    ps = pose(1.0 + 20.0 * k + 0.2 * i, k + i, -i, 0.0, frame="")
                    p.poses.append(ps)
                msgs.append(p)
            bag("path.bag", msgs, "/plan")
            p = Path(); p.header.stamp = T(5.0); p.header.frame_id = "map"
            bag("emptypath.bag", [p], "/plan")

            msgs = []
            for i, t in enumerate(ts):
                m = JointState(); m.header.stamp = T(t)
                m.name = ["a", "b", "c"]; m.position = [0.1 * i, 5.0, -0.2 * i]
                msgs.append(m)
            bag("joints.bag", msgs, "/js")
            msgs[3] = JointState(); msgs[3].header.stamp = T(ts[3])
            msgs[3].name = ["a", "c"]; msgs[3].position = [1.0, 2.0]
            bag("missingjoint.bag", msgs, "/js")

            bag("zerostamp.bag", [pose(0, i, i, 0) for i in range(4)])
            bag("mixedstamp.bag", [pose(0 if i == 2 else 1.0 + i, i, i, 0) for i in range(4)])
            bag("nan.bag", [pose(1.0 + i, i, float("nan") if i == 2 else i, 0) for i in range(4)])
            bag("backwards.bag", [pose(t, i, i, 0) for i, t in enumerate([1.0, 2.0, 3.0, 2.5, 4.0, 4.0])])
            bag("frames.bag", [pose(1.0 + i, i, i, 0, "map" if i < 3 else "odom") for i in range(5)])
            bag("lonely.bag", [pose(t, t, t, 0) for t in [1.0, 1.1, 1.2, 5.0]])
            bag("gaps.bag", [pose(t, t, 0, 0) for t in
                             [1.0, 1.1, 1.2, 1.3, 1.4, 3.0, 3.1, 3.2, 3.9, 4.0]])
            with rosbag.Bag(os.path.join(out, "twotopics.bag"), "w") as b:
                b.write("/p", pose(1.0, 0, 0, 0), REC(0))
                m = PointStamped(); m.header.stamp = T(1.0)
                b.write("/pt", m, REC(0))
            """;

  @TempDir static Path dir;

  @BeforeAll
  static void writeBags() throws IOException, InterruptedException {
    Path script = dir.resolve("write_bags.py");
    Files.writeString(script, WRITER, StandardCharsets.UTF_8);
    Process p =
        new ProcessBuilder(PYTHON, script.toString(), dir.toString())
            .redirectErrorStream(true)
            .start();
    boolean done = p.waitFor(60, TimeUnit.SECONDS);
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!done) {
      p.destroyForcibly();
    }
    assertTrue(done && p.exitValue() == 0, "bag writer failed: " + output);
  }

  private static DemonstrationSet read(String bag, BagReadOptions options)
      throws DemoDataException {
    return new BagDemoReader(dir.resolve(bag), options).read();
  }

  private static String fail(String bag, BagReadOptions options) {
    DemoDataException e = assertThrows(DemoDataException.class, () -> read(bag, options));
    assertTrue(e.getMessage().startsWith(dir.resolve(bag).toString()), e.getMessage());
    return e.getMessage();
  }

  private static final double[] TIMES = {0, 0.1, 0.25, 0.5, 1.0};

  @Test
  void poseStampedUsesHeaderStampsAndPosition() throws Exception {
    DemonstrationSet s = read("pose.bag", BagReadOptions.defaults());
    assertEquals(1, s.size());
    assertEquals(List.of("x", "y", "z"), s.dimensionNames());
    assertEquals("map", s.frameId());
    assertArrayEquals(TIMES, s.demo(0).times(), 1e-9);
    assertArrayEquals(new double[] {3, 6, 9}, s.demo(0).states()[3], 0.0);
  }

  @Test
  void pointStamped() throws Exception {
    DemonstrationSet s =
        read("point.bag", BagReadOptions.defaults().withDimensions(List.of("y", "x")));
    assertArrayEquals(TIMES, s.demo(0).times(), 1e-9);
    assertArrayEquals(new double[] {2.0, -4.0}, s.demo(0).states()[4], 0.0);
  }

  @Test
  void transformStampedTranslationInTheParentFrame() throws Exception {
    DemonstrationSet s = read("tf.bag", BagReadOptions.defaults());
    assertEquals("odom", s.frameId());
    assertArrayEquals(new double[] {3.0, -1.0, 0.5}, s.demo(0).states()[2], 0.0);
  }

  @Test
  void poseOptionKeepsTheOrientationOfEveryTypeThatHasOne() throws Exception {
    BagReadOptions pose = BagReadOptions.defaults().withPose(true);
    // Odometry and PoseStamped with the identity orientation: q_g is the identity, r = 0.
    for (String bag : new String[] {"odom.bag", "pose.bag", "tf.bag"}) {
      DemonstrationSet s = read(bag, pose);
      assertTrue(s.isPose(), bag);
      assertEquals(PoseDemos.NAMES, s.dimensionNames(), bag);
      assertArrayEquals(new double[] {0, 0, 0, 1}, s.goalOrientation(), 0.0, bag);
      assertArrayEquals(
          new double[] {0, 0, 0},
          java.util.Arrays.copyOfRange(s.demo(0).states()[4], 3, 6),
          0.0,
          bag);
    }
    assertArrayEquals(
        new double[] {40.0, 1.0, 0, 0, 0, 0}, read("odom.bag", pose).demo(0).states()[4], 0.0);
    // Path: each message one demo, the poses' orientations.
    DemonstrationSet path = read("path.bag", pose.withGapThreshold(0.01));
    assertEquals(2, path.size());
    assertArrayEquals(new double[] {4, -3, 0, 0, 0, 0}, path.demo(1).states()[3], 0.0);
  }

  @Test
  void poseOptionTurnsSignFlippedQuaternionsIntoRotationVectorsFromTheEnd() throws Exception {
    DemonstrationSet s = read("tfturn.bag", BagReadOptions.defaults().withPose(true));
    // One demo: the goal orientation is its end, 0.8 rad about z.
    double[] qg = s.goalOrientation();
    assertArrayEquals(new double[] {0, 0, Math.sin(0.4), Math.cos(0.4)}, qg, 1e-15);
    for (int i = 0; i < 5; i++) {
      double[] y = s.demo(0).states()[i];
      assertArrayEquals(new double[] {1.0 + i, -1.0, 0.25 * i}, java.util.Arrays.copyOf(y, 3), 0.0);
      assertArrayEquals(
          new double[] {0, 0, 0.2 * i - 0.8},
          java.util.Arrays.copyOfRange(y, 3, 6),
          1e-14,
          "sample " + i);
    }
  }

  @Test
  void poseOptionWithATypeWithoutOrientationNamesTheTypes() {
    BagReadOptions pose = BagReadOptions.defaults().withPose(true);
    for (String bag : new String[] {"point.bag", "joints.bag"}) {
      String m = fail(bag, pose);
      assertTrue(
          m.contains("which has no orientation")
              && m.contains("geometry_msgs/PoseStamped")
              && m.contains("nav_msgs/Odometry"),
          m);
    }
    assertThrows(IllegalArgumentException.class, () -> pose.withDimensions(List.of("x", "y")));
  }

  @Test
  void odometryPosePosition() throws Exception {
    DemonstrationSet s =
        read("odom.bag", BagReadOptions.defaults().withDimensions(List.of("x", "y")));
    assertArrayEquals(new double[] {40.0, 1.0}, s.demo(0).states()[4], 0.0);
  }

  @Test
  void eachPathMessageIsOneDemoTimedByItsPoses() throws Exception {
    DemonstrationSet s = read("path.bag", BagReadOptions.defaults().withGapThreshold(0.01));
    assertEquals(2, s.size());
    assertEquals("path.bag#1", s.demo(1).name());
    assertEquals("map", s.frameId());
    // rospy.Time.from_sec rounds to whole nanoseconds.
    assertArrayEquals(new double[] {0, 0.2, 0.4, 0.6}, s.demo(1).times(), 2e-9);
    assertArrayEquals(new double[] {4, -3, 0}, s.demo(1).states()[3], 0.0);
  }

  @Test
  void emptyPathIsAnError() {
    String m = fail("emptypath.bag", BagReadOptions.defaults());
    assertTrue(m.contains("topic /plan, demo #0 (Path message 0), field poses: is empty"), m);
  }

  @Test
  void jointStateSelectedByName() throws Exception {
    DemonstrationSet s =
        read("joints.bag", BagReadOptions.defaults().withDimensions(List.of("c", "a")));
    assertEquals(List.of("c", "a"), s.dimensionNames());
    assertEquals(List.of("rad", "rad"), s.units());
    assertEquals("", s.frameId());
    assertArrayEquals(new double[] {-0.8, 0.4}, s.demo(0).states()[4], 1e-15);
    DemonstrationSet all = read("joints.bag", BagReadOptions.defaults());
    assertEquals(List.of("a", "b", "c"), all.dimensionNames());
  }

  @Test
  void missingRequestedJoint() {
    String m =
        fail("missingjoint.bag", BagReadOptions.defaults().withDimensions(List.of("a", "b")));
    assertTrue(
        m.contains(
            "topic /js, field name: message 3 lacks the requested joint 'b';"
                + " it has [a, c] (requested joints: [a, b])"),
        m);
    String typo = fail("joints.bag", BagReadOptions.defaults().withDimensions(List.of("q")));
    assertTrue(
        typo.contains(
            "has no messages with the requested joints [q] (5 messages had"
                + " none of them; joints seen: [a, b, c])"),
        typo);
  }

  @Test
  void inconsistentJointNames() {
    String m = fail("missingjoint.bag", BagReadOptions.defaults());
    assertTrue(
        m.contains(
            "field name: inconsistent joint names: message 3 has [a, c] but the"
                + " first message had [a, b, c]"),
        m);
  }

  @Test
  void zeroStampsFallBackToRecordTime() throws Exception {
    DemonstrationSet s = read("zerostamp.bag", BagReadOptions.defaults());
    assertArrayEquals(new double[] {0, 0.5, 1.0, 1.5}, s.demo(0).times(), 1e-9);
  }

  @Test
  void someZeroStampsAreAnError() {
    String m = fail("mixedstamp.bag", BagReadOptions.defaults());
    assertTrue(
        m.contains("field header.stamp: 1 of 4 messages have a zero stamp (first:" + " message 2)"),
        m);
  }

  @Test
  void nanNamesMessageAndField() {
    String m = fail("nan.bag", BagReadOptions.defaults());
    assertTrue(m.endsWith("topic /p, field pose.position.y: message 2 has NaN"), m);
  }

  @Test
  void nonIncreasingStampsAreCountedAndLocated() {
    String m = fail("backwards.bag", BagReadOptions.defaults());
    assertTrue(
        m.contains(
            "demo #0 (backwards.bag), field t: 2 of 6 time stamps do not"
                + " increase: sample 3 (t = 1.5 s after 2.0 s), sample 5 (t = 3.0 s after 3.0 s)"),
        m);
  }

  @Test
  void frameChangeIsAnError() {
    String m = fail("frames.bag", BagReadOptions.defaults());
    assertTrue(
        m.contains(
            "field header.frame_id: changes from 'map' (message 0) to 'odom'" + " (message 3)"),
        m);
  }

  @Test
  void bagsInDifferentFramesCannotBeMixed() {
    DemoDataException e =
        assertThrows(
            DemoDataException.class,
            () ->
                new BagDemoReader(
                        List.of(dir.resolve("pose.bag"), dir.resolve("tf.bag")),
                        BagReadOptions.defaults().withTopic(null))
                    .read());
    assertTrue(
        e.getMessage()
            .contains("tf.bag, topic /tool, field header.frame_id: is in" + " frame 'odom' but"),
        e.getMessage());
    assertTrue(e.getMessage().contains("pose.bag is in frame 'map'"), e.getMessage());
  }

  @Test
  void gapSegmentationKnownAnswer() throws Exception {
    assertEquals(
        List.of(5, 3, 2), sizes(read("gaps.bag", BagReadOptions.defaults().withGapThreshold(0.5))));
    assertEquals(
        List.of(5, 5), sizes(read("gaps.bag", BagReadOptions.defaults().withGapThreshold(1.0))));
    assertEquals(
        List.of(10), sizes(read("gaps.bag", BagReadOptions.defaults().withGapThreshold(2.0))));
    DemonstrationSet s = read("gaps.bag", BagReadOptions.defaults().withGapThreshold(0.5));
    assertEquals("gaps.bag#2", s.demo(2).name());
    assertArrayEquals(new double[] {0, 0.1}, s.demo(2).times(), 1e-9);
    assertEquals(3.9, s.demo(2).state(0, 0), 0.0);
  }

  @Test
  void aSegmentWithOneSampleIsAnError() {
    String m = fail("lonely.bag", BagReadOptions.defaults().withGapThreshold(1.0));
    assertTrue(
        m.contains("demo #1 (lonely.bag#1): has 1 sample; a demonstration needs at" + " least 2"),
        m);
  }

  @Test
  void severalSupportedTopicsNeedAChoice() throws Exception {
    String m = fail("twotopics.bag", BagReadOptions.defaults());
    assertTrue(
        m.contains(
            "has several topics of supported types; choose one: /p"
                + " (geometry_msgs/PoseStamped, 1 msg), /pt (geometry_msgs/PointStamped, 1 msg)"),
        m);
  }

  private static List<Integer> sizes(DemonstrationSet s) {
    return s.demos().stream().map(Demonstration::size).toList();
  }
}
