package org.diffeomotion.ros1.msg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * md5sums against the values {@code rosmsg md5} / {@code rossrv md5} print (ROS Noetic, Debian).
 */
class DefinitionsTest {

  @ParameterizedTest
  @CsvSource({
    "std_msgs/Header, 2176decaecbce78abc3b96ef049fabed",
    "geometry_msgs/Point, 4a842b65f413084dc2b10fb484ea7f17",
    "geometry_msgs/Quaternion, a779879fadf0160734f906b8c19c7004",
    "geometry_msgs/Pose, e45d45a5a1ce597b249e23fb30fc871f",
    "geometry_msgs/PoseStamped, d3812c3cbc69362b77dc0b19b345f8f5",
    "geometry_msgs/PointStamped, c63aecb41bfdfd6b7e1fac37c7cbe7bf",
    "geometry_msgs/Vector3, 4a842b65f413084dc2b10fb484ea7f17",
    "geometry_msgs/Twist, 9f195f881246fdfa2798d1d3eebca84a",
    "geometry_msgs/TwistStamped, 98d34b0043a2093cf9d9345ab6eef12e",
    "nav_msgs/Path, 6227e2b7e9cce15051f669a5e197bbf7",
    "sensor_msgs/JointState, 3066dcd76a6cfaef579bd0f34173e9fd",
    "trajectory_msgs/JointTrajectory, 65b4f94a94d1ed67169da35a02f33d3f",
    "trajectory_msgs/JointTrajectoryPoint, f3cd1e1c4d320c79d6985c904ae5dcd3",
    "rosgraph_msgs/Log, acffd30cd6b6de30f120938c17c593fb",
    "rosgraph_msgs/Clock, a9c97c1d230cfc112e270351a944ee47",
  })
  void md5MatchesRosmsg(String type, String md5) {
    assertEquals(md5, Definitions.md5(type), type);
  }

  @Test
  void triggerMd5MatchesRossrv() {
    assertEquals("937c9679a518e3a18d831e57125ea522", Trigger.TYPE.md5());
  }

  @Test
  void dynamicReconfigureMd5sMatchRosmsg() {
    assertEquals("23f05028c1a699fb83e22401228c3a9e", DynamicReconfigure.BoolParameter.TYPE.md5());
    assertEquals("65fedc7a0cbfb8db035e46194a350bf1", DynamicReconfigure.IntParameter.TYPE.md5());
    assertEquals("bc6ccc4a57f61779c8eaae61e9f422e0", DynamicReconfigure.StrParameter.TYPE.md5());
    assertEquals("d8512f27253c0f65f928a67c329cd658", DynamicReconfigure.DoubleParameter.TYPE.md5());
    assertEquals("a2d87f51dc22930325041a2f8b1571f8", DynamicReconfigure.GroupState.TYPE.md5());
    assertEquals("958f16a05573709014982821e6822580", DynamicReconfigure.Config.TYPE.md5());
    assertEquals(
        "7434fcb9348c13054e0c3b267c8cb34d", DynamicReconfigure.ParamDescription.TYPE.md5());
    assertEquals("9e8cd9e9423c94823db3614dd8b1cf7a", DynamicReconfigure.Group.TYPE.md5());
    assertEquals(
        "757ce9d44ba8ddd801bb30bc456f946f", DynamicReconfigure.ConfigDescription.TYPE.md5());
    assertEquals("bb125d226a21982a4a98760418dc2672", DynamicReconfigure.Reconfigure.TYPE.md5());
  }

  @Test
  void markerMd5sMatchRosmsg() {
    assertEquals("4048c9de2a16f4ae8e0538085ebf1b97", Marker.TYPE.md5());
    assertEquals("a29a96539573343b1310c73607334b00", ColorRGBA.TYPE.md5());
  }

  @Test
  void getPlanMd5MatchesRossrv() {
    assertEquals("421c8ea4d21c6c9db7054b4bbdf1e024", GetPlan.TYPE.md5());
  }

  @Test
  void md5TextFollowsTheRosRule() {
    assertEquals(
        "byte DEBUG=1\nbyte INFO=2\nbyte WARN=4\nbyte ERROR=8\nbyte FATAL=16\n"
            + "2176decaecbce78abc3b96ef049fabed header\nbyte level\nstring name\nstring msg\n"
            + "string file\nstring function\nuint32 line\nstring[] topics",
        Definitions.md5Text("rosgraph_msgs/Log"));
  }

  @Test
  void fullTextListsDependenciesOnceInDepthFirstOrder() {
    String full = Path.TYPE.definition();
    String sep = "=".repeat(80) + "\nMSG: ";
    int h = full.indexOf(sep + "std_msgs/Header");
    int ps = full.indexOf(sep + "geometry_msgs/PoseStamped");
    int p = full.indexOf(sep + "geometry_msgs/Pose\n");
    int pt = full.indexOf(sep + "geometry_msgs/Point");
    int q = full.indexOf(sep + "geometry_msgs/Quaternion");
    assertTrue(0 < h && h < ps && ps < p && p < pt && pt < q, full);
    assertEquals(h, full.lastIndexOf(sep + "std_msgs/Header"), "Header listed once");
    assertTrue(full.startsWith("#An array of poses"), full);
  }

  /** std_srvs/SetBool.srv as Debian ships it. */
  private static final String SET_BOOL_SRV =
      "bool data # e.g. for hardware enabling / disabling\n"
          + "---\n"
          + "bool success   # indicate successful run of triggered service\n"
          + "string message # informational, e.g. for error messages\n";

  /** A zeroed message for types that are only defined, never sent, here. */
  private static final class Empty implements Message {
    @Override
    public int serializedSize() {
      return 0;
    }

    @Override
    public void encode(java.nio.ByteBuffer out) {}

    @Override
    public void decode(java.nio.ByteBuffer in) {}
  }

  @Test
  void anApplicationsOwnServiceGetsTheMd5RossrvPrints() {
    // std_srvs/SetBool's text under another package: no package-local field types, so the md5 is
    // SetBool's (rossrv md5 std_srvs/SetBool = 09fb0352...).
    ServiceType<Empty, Empty> t =
        ServiceType.define("defs_test/SetFlag", SET_BOOL_SRV, Empty::new, Empty::new);
    assertEquals("09fb03525b03e7ea1fd3992bafd87e16", t.md5());
    assertEquals("defs_test/SetFlagRequest", t.request().name());
    assertEquals("bool data", Definitions.md5Text("defs_test/SetFlagRequest"));
    assertTrue(Definitions.isKnown("defs_test/SetFlagResponse"));
    // The same text again is a no-op; another text under that name is refused.
    ServiceType.define("defs_test/SetFlag", SET_BOOL_SRV, Empty::new, Empty::new);
    assertThrows(
        IllegalArgumentException.class,
        () -> Definitions.define("defs_test/SetFlagRequest", "int32 data\n"));
  }

  @Test
  void anApplicationsOwnMessageMayUseKnownTypesAndNamesTheUnknownOnes() {
    MessageType<Empty> t =
        MessageType.define(
            "defs_test/Waypoint", "Header header\ngeometry_msgs/Point[] points\n", Empty::new);
    assertEquals(
        Definitions.md5("std_msgs/Header") + " header\n" + Point.TYPE.md5() + " points",
        Definitions.md5Text("defs_test/Waypoint"));
    assertTrue(t.definition().contains("MSG: geometry_msgs/Point\n"), t.definition());
    assertMessage(
        () -> Definitions.define("defs_test/Bad", "Waypoint ok\nNoSuchType missing\n"),
        "defs_test/Bad: field 'missing' has the unknown type defs_test/NoSuchType");
    assertTrue(!Definitions.isKnown("defs_test/Bad"), "a refused definition is not kept");
    assertMessage(
        () -> Definitions.define("geometry_msgs/Point", "float64 x\n"),
        "geometry_msgs/Point is a built-in type");
    assertMessage(() -> Definitions.define("NoPackage", ""), "is not of the form pkg/Name");
    assertMessage(
        () -> ServiceType.define("defs_test/NoSeparator", "bool a\n", Empty::new, Empty::new),
        "has no line '---'");
    assertMessage(
        () -> Definitions.define("defs_test/Broken", "float64\n"), "bad line in defs_test/Broken");
  }

  private static void assertMessage(org.junit.jupiter.api.function.Executable e, String part) {
    IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
    assertTrue(x.getMessage().contains(part), x.getMessage());
  }
}
