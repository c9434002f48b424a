package org.diffeomotion.ros1.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import org.diffeomotion.ros1.NodeConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A node's answers to the slave API, from its {@link NodeRegistry}. */
final class NodeSlaveApi implements SlaveApi {

  private static final Logger LOG = LoggerFactory.getLogger(NodeSlaveApi.class);

  private final NodeConfig config;
  private final NodeRegistry registry;
  private final IntSupplier tcprosPort;
  private final Runnable onShutdownRequest;

  /**
   * @param tcprosPort the node's TCPROS port (asked for when a subscriber calls requestTopic)
   * @param onShutdownRequest run on a new thread when a peer calls {@code shutdown}
   */
  NodeSlaveApi(
      NodeConfig config,
      NodeRegistry registry,
      IntSupplier tcprosPort,
      Runnable onShutdownRequest) {
    this.config = config;
    this.registry = registry;
    this.tcprosPort = tcprosPort;
    this.onShutdownRequest = onShutdownRequest;
  }

  @Override
  public int getPid(String callerId) {
    return (int) ProcessHandle.current().pid();
  }

  @Override
  public String getMasterUri(String callerId) {
    return config.masterUri().toString();
  }

  @Override
  public List<Topic> getPublications(String callerId) {
    List<Topic> l = new ArrayList<>();
    for (TopicPublisher<?> p : registry.publishers()) {
      l.add(new Topic(p.topic(), p.type().name()));
    }
    return l;
  }

  @Override
  public List<Topic> getSubscriptions(String callerId) {
    List<Topic> l = new ArrayList<>();
    for (TopicSubscriber<?> s : registry.subscribers()) {
      l.add(new Topic(s.topic(), s.type().name()));
    }
    return l;
  }

  @Override
  public List<Object> getBusInfo(String callerId) {
    List<Object> l = new ArrayList<>();
    for (TopicPublisher<?> p : registry.publishers()) {
      p.busInfo(l);
    }
    for (TopicSubscriber<?> s : registry.subscribers()) {
      s.busInfo(l);
    }
    return l;
  }

  @Override
  public BusStats getBusStats(String callerId) {
    List<Object> pub = new ArrayList<>();
    for (TopicPublisher<?> p : registry.publishers()) {
      pub.add(p.busStats());
    }
    List<Object> sub = new ArrayList<>();
    for (TopicSubscriber<?> s : registry.subscribers()) {
      sub.add(s.busStats());
    }
    return new BusStats(pub, sub, List.of(0, 0, 0));
  }

  @Override
  public void shutdown(String callerId, String reason) {
    LOG.warn("node {}: shutdown requested by {}: {}", config.name(), callerId, reason);
    // Answer first; shutting down on this XML-RPC worker would wait for itself.
    Thread t = new Thread(onShutdownRequest, "ros-shutdown-request");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void paramUpdate(String callerId, String key, Object value) {
    registry.paramUpdated(Names.canonical(key), value);
  }

  @Override
  public void publisherUpdate(String callerId, String topic, List<String> publishers) {
    TopicSubscriber<?> s = registry.subscriber(topic);
    if (s != null) {
      s.updatePublishers(publishers);
    }
  }

  @Override
  public Route requestTopic(String callerId, String topic, List<List<?>> protocols) {
    if (registry.publisher(topic) == null) {
      throw Refusal.error("node " + config.name() + " does not publish " + topic);
    }
    for (List<?> p : protocols) {
      if (!p.isEmpty() && "TCPROS".equals(p.get(0))) {
        return new Route("TCPROS", config.host(), tcprosPort.getAsInt());
      }
    }
    throw Refusal.failure("no supported protocol in " + protocols + " (only TCPROS)", List.of());
  }
}
