package org.diffeomotion.ros1.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The slave API's XML-RPC decoding and [code, status, value] encoding, without a network. */
class SlaveApiDispatcherTest {

  /** Records the typed calls; requestTopic refuses /nope, else routes TCPROS. */
  private static final class Recorder implements SlaveApi {
    final List<String> calls = new ArrayList<>();

    @Override
    public int getPid(String callerId) {
      calls.add("getPid " + callerId);
      return 42;
    }

    @Override
    public String getMasterUri(String callerId) {
      return "http://m:11311/";
    }

    @Override
    public List<Topic> getPublications(String callerId) {
      return List.of(new Topic("/a", "std_msgs/A"));
    }

    @Override
    public List<Topic> getSubscriptions(String callerId) {
      return List.of();
    }

    @Override
    public List<Object> getBusInfo(String callerId) {
      return List.of(List.of(1, "/x", "o", "TCPROS", "/a", true));
    }

    @Override
    public BusStats getBusStats(String callerId) {
      return new BusStats(List.of("p"), List.of("s"), List.of(0, 0, 0));
    }

    @Override
    public void shutdown(String callerId, String reason) {
      calls.add("shutdown " + callerId + " " + reason);
    }

    @Override
    public void paramUpdate(String callerId, String key, Object value) {
      calls.add("paramUpdate " + key + "=" + value);
    }

    @Override
    public void publisherUpdate(String callerId, String topic, List<String> publishers) {
      calls.add("publisherUpdate " + topic + " " + publishers);
    }

    @Override
    public Route requestTopic(String callerId, String topic, List<List<?>> protocols) {
      if (topic.equals("/nope")) {
        throw Refusal.error("node /n does not publish /nope");
      }
      if (protocols.stream().noneMatch(p -> !p.isEmpty() && "TCPROS".equals(p.get(0)))) {
        throw Refusal.failure(
            "no supported protocol in " + protocols + " (only TCPROS)", List.of());
      }
      return new Route("TCPROS", "127.0.0.1", 4711);
    }
  }

  private final Recorder api = new Recorder();
  private final SlaveApiDispatcher d = new SlaveApiDispatcher(api);

  @Test
  void encodesResultsAsCodeStatusValue() {
    assertEquals(List.of(1, "", 42), d.handle("getPid", List.of("/caller")));
    assertEquals(List.of(1, "", "http://m:11311/"), d.handle("getMasterUri", List.of("/caller")));
    assertEquals(
        List.of(1, "", List.of(List.of("/a", "std_msgs/A"))),
        d.handle("getPublications", List.of("/c")));
    assertEquals(List.of(1, "", List.of()), d.handle("getSubscriptions", List.of("/c")));
    assertEquals(
        List.of(1, "", List.of(List.of(1, "/x", "o", "TCPROS", "/a", true))),
        d.handle("getBusInfo", List.of("/c")));
    assertEquals(
        List.of(1, "", List.of(List.of("p"), List.of("s"), List.of(0, 0, 0))),
        d.handle("getBusStats", List.of("/c")));
    assertEquals(
        List.of(1, "ready on 127.0.0.1:4711", List.of("TCPROS", "127.0.0.1", 4711)),
        d.handle(
            "requestTopic",
            List.of("/c", "/a", List.of(List.of("UDPROS"), "junk", List.of("TCPROS")))));
    assertEquals(List.of(1, "", 0), d.handle("shutdown", List.of("/rosnode", "kill")));
    assertEquals(List.of(1, "", 0), d.handle("shutdown", List.of()));
    assertEquals(List.of(1, "", 0), d.handle("paramUpdate", List.of("/master", "/x/", 3)));
    assertEquals(
        List.of(1, "", 0),
        d.handle("publisherUpdate", List.of("/master", "/a", List.of("http://p:1/"))));
    assertEquals(
        List.of(
            "getPid /caller",
            "shutdown /rosnode kill",
            "shutdown ? ",
            "paramUpdate /x/=3",
            "publisherUpdate /a [http://p:1/]"),
        api.calls);
  }

  @Test
  void refusalsAndBadArgumentsAnswerTheirCodes() {
    assertEquals(
        List.of(-1, "node /n does not publish /nope", 0),
        d.handle("requestTopic", List.of("/c", "/nope", List.of(List.of("TCPROS")))));
    assertEquals(
        List.of(0, "no supported protocol in [[UDPROS]] (only TCPROS)", List.of()),
        d.handle("requestTopic", List.of("/c", "/a", List.of(List.of("UDPROS")))));
    assertEquals(
        List.of(-1, "requestTopic needs caller_id, topic, protocols[]", 0),
        d.handle("requestTopic", List.of("/c", "/a", "TCPROS")));
    assertEquals(
        List.of(-1, "publisherUpdate needs caller_id, topic, publishers[]", 0),
        d.handle("publisherUpdate", List.of("/master")));
    assertEquals(
        List.of(-1, "paramUpdate needs caller_id, key, value", 0),
        d.handle("paramUpdate", List.of("/master", "/x")));
    assertTrue(api.calls.isEmpty(), api.calls.toString());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> d.handle("noSuchMethod", List.of()));
    assertEquals("method 'noSuchMethod' is not part of the ROS slave API", e.getMessage());
  }
}
