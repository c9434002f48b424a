package org.diffeomotion.ros1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.diffeomotion.ros1.internal.Names;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Known answers from wiki.ros.org/Names and wiki.ros.org/Remapping Arguments. */
class NamesTest {

  private static final Map<String, String> ENV =
      Map.of("ROS_MASTER_URI", "http://localhost:11311/");

  @ParameterizedTest
  @CsvSource({
    // node, name, resolved   (wiki.ros.org/Names, "Resolving")
    "/node1,      bar,     /bar",
    "/node1,      /bar,    /bar",
    "/node1,      ~bar,    /node1/bar",
    "/wg/node2,   bar,     /wg/bar",
    "/wg/node2,   /bar,    /bar",
    "/wg/node2,   ~bar,    /wg/node2/bar",
    "/wg/node3,   foo/bar, /wg/foo/bar",
    "/wg/node3,   /foo/bar, /foo/bar",
    "/wg/node3,   ~foo/bar, /wg/node3/foo/bar",
  })
  void resolvesLikeTheWiki(String node, String name, String expected) {
    assertEquals(expected, Names.resolve(Names.parent(node), node, name));
  }

  @ParameterizedTest
  @CsvSource({
    // namespace, remap arg, name used in code, resolved  (wiki.ros.org/Remapping Arguments)
    "/,    foo:=bar,             foo,  /bar",
    "/baz, foo:=bar,             foo,  /baz/bar",
    "/,    /foo:=bar,            /foo, /bar",
    "/baz, /foo:=bar,            /foo, /baz/bar",
    "/baz, /foo:=/a/b/c/bar,     /foo, /a/b/c/bar",
    "/baz, foo:=/a/b/c/bar,      foo,  /a/b/c/bar",
    "/baz, ~foo:=bar,            ~foo, /baz/bar",
  })
  void remapsLikeTheWiki(String ns, String arg, String name, String expected) {
    NodeConfig c = NodeConfig.fromArgs("talker", List.of(arg, "__ns:=" + ns), ENV);
    assertEquals(expected, c.resolveName(name));
  }

  @Test
  void specialArgumentsAndEnvironment() {
    NodeConfig c =
        NodeConfig.fromArgs(
            "talker",
            List.of(
                "--verbose",
                "__name:=motion",
                "__ns:=/robot",
                "__master:=http://10.0.0.1:11312",
                "__ip:=10.0.0.2",
                "__log:=/tmp/x.log",
                "_rate:=100",
                "_gain:=0.5",
                "_enabled:=true",
                "_frame:=base_link",
                "_quoted:='42'",
                "_big:=12345678901"),
            Map.of(
                "ROS_MASTER_URI",
                "http://other:1/",
                "ROS_NAMESPACE",
                "/ignored",
                "ROS_IP",
                "1.2.3.4"));
    assertEquals("/robot/motion", c.name());
    assertEquals("/robot", c.namespace());
    assertEquals("http://10.0.0.1:11312", c.masterUri().toString());
    assertEquals("10.0.0.2", c.host());
    assertEquals("/tmp/x.log", c.logPath());
    assertEquals(List.of("--verbose"), c.nonRosArgs());
    assertEquals(100, c.privateParams().get("/robot/motion/rate"));
    assertEquals(0.5, c.privateParams().get("/robot/motion/gain"));
    assertEquals(true, c.privateParams().get("/robot/motion/enabled"));
    assertEquals("base_link", c.privateParams().get("/robot/motion/frame"));
    assertEquals("42", c.privateParams().get("/robot/motion/quoted"));
    assertEquals(1.2345678901e10, c.privateParams().get("/robot/motion/big"));
    assertEquals("/robot/motion/rate", c.resolveName("~rate"));

    NodeConfig e =
        NodeConfig.fromArgs(
            "n",
            List.of(),
            Map.of(
                "ROS_MASTER_URI",
                "http://localhost:11311",
                "ROS_NAMESPACE",
                "ns1",
                "ROS_HOSTNAME",
                "myhost",
                "ROS_IP",
                "1.2.3.4"));
    assertEquals("/ns1/n", e.name());
    assertEquals("myhost", e.host(), "ROS_HOSTNAME wins over ROS_IP");
    assertEquals("127.0.0.1", NodeConfig.fromArgs("n", List.of(), ENV).host());
  }

  @Test
  void errorsNameTheBadName() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> NodeConfig.fromArgs("n", List.of("__name:=bad-name"), ENV));
    assertTrue(e.getMessage().contains("'bad-name'"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Names.validate("/a//b", "topic"));
    assertTrue(
        e.getMessage().contains("'/a//b'") && e.getMessage().contains("topic"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Names.validate("1abc", "topic"));
    assertTrue(e.getMessage().contains("'1abc'"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Names.validate("a~b", "service"));
    assertTrue(e.getMessage().contains("'a~b'"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> NodeConfig.fromArgs("n", List.of("foo:=b a r"), ENV));
    assertTrue(e.getMessage().contains("'b a r'"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> NodeConfig.fromArgs("n", List.of(), Map.of()));
    assertTrue(e.getMessage().contains("ROS_MASTER_URI"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> NodeConfig.fromArgs("n", List.of("__master:=localhost:11311"), ENV));
    assertTrue(e.getMessage().contains("localhost:11311"), e.getMessage());
  }

  @Test
  void scalarTyping() {
    assertEquals(-3, NodeConfig.parseScalar("-3"));
    assertEquals(1e3, NodeConfig.parseScalar("1.0e3"));
    assertEquals(Double.POSITIVE_INFINITY, NodeConfig.parseScalar(".inf"));
    assertEquals(false, NodeConfig.parseScalar("False"));
    assertEquals("0x1z", NodeConfig.parseScalar("0x1z"));
    assertEquals("1.2.3", NodeConfig.parseScalar("1.2.3"));
  }
}
