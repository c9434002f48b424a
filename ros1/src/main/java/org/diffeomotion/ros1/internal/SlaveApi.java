package org.diffeomotion.ros1.internal;

import java.util.List;

/**
 * The ROS slave API of a node (wiki.ros.org/ROS/Slave_API), one typed method per XML-RPC method.
 * {@link SlaveApiDispatcher} decodes and checks the raw XML-RPC parameters, calls these methods and
 * encodes their results as {@code [code, status, value]}. A method that refuses a call throws
 * {@link Refusal}.
 */
public interface SlaveApi {

  /** A topic and its message type name, e.g. {@code ("/cmd_vel", "geometry_msgs/TwistStamped")}. */
  record Topic(String name, String type) {}

  /** getBusStats rows of the node's publishers, subscribers and services. */
  record BusStats(List<Object> publish, List<Object> subscribe, List<Object> service) {}

  /** Where a subscriber connects for a topic: protocol name and its parameters. */
  record Route(String protocol, String host, int port) {}

  /** A refused call: answered {@code [code, message, value]} instead of {@code [1, "", result]}. */
  final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int code;
    private final transient Object value;

    private Refusal(int code, String status, Object value) {
      super(status, null, false, false);
      this.code = code;
      this.value = value;
    }

    /** Code -1 (ERROR: the caller's fault, e.g. a topic this node does not publish), value 0. */
    public static Refusal error(String status) {
      return new Refusal(-1, status, 0);
    }

    /** Code 0 (FAILURE: the call was valid but could not be done). */
    public static Refusal failure(String status, Object value) {
      return new Refusal(0, status, value);
    }

    public int code() {
      return code;
    }

    public Object value() {
      return value;
    }
  }

  /** The process id of the node. */
  int getPid(String callerId);

  /** The master URI the node uses. */
  String getMasterUri(String callerId);

  /** The topics the node publishes. */
  List<Topic> getPublications(String callerId);

  /** The topics the node subscribes to. */
  List<Topic> getSubscriptions(String callerId);

  /**
   * One row per connection: [connectionId, destinationId, direction, transport, topic, connected].
   */
  List<Object> getBusInfo(String callerId);

  BusStats getBusStats(String callerId);

  /** Asks the node to shut down (e.g. {@code rosnode kill}); answers before the node is gone. */
  void shutdown(String callerId, String reason);

  /** The master tells a parameter subscriber that {@code key} changed to {@code value}. */
  void paramUpdate(String callerId, String key, Object value);

  /** The master tells a subscriber of {@code topic} the current list of its publishers. */
  void publisherUpdate(String callerId, String topic, List<String> publishers);

  /**
   * A subscriber asks for a connection to {@code topic}.
   *
   * @param protocols the protocols the subscriber supports, each {@code [name, params...]}
   * @throws Refusal if the node does not publish the topic or supports none of the protocols
   */
  Route requestTopic(String callerId, String topic, List<List<?>> protocols);
}
