package org.diffeomotion.ros1.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.diffeomotion.ros1.ParameterClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's publishers, subscribers, services and parameter subscriptions, by resolved name: what
 * the master must know about the node, what TCPROS connections are accepted for and what the slave
 * API reports. Thread-safe; it holds the entries, the master calls are elsewhere.
 */
final class NodeRegistry {

  private static final Logger LOG = LoggerFactory.getLogger(NodeRegistry.class);

  private final String nodeName;
  private final Map<String, TopicPublisher<?>> publishers = new ConcurrentHashMap<>();
  private final Map<String, TopicSubscriber<?>> subscribers = new ConcurrentHashMap<>();
  private final Map<String, ServiceServerImpl<?, ?>> services = new ConcurrentHashMap<>();
  private final Map<String, List<ParameterClient.ParamListener>> paramListeners =
      new ConcurrentHashMap<>();

  NodeRegistry(String nodeName) {
    this.nodeName = nodeName;
  }

  /**
   * @throws IllegalStateException if the topic is advertised already
   */
  void add(TopicPublisher<?> p) {
    if (publishers.putIfAbsent(p.topic(), p) != null) {
      throw new IllegalStateException(
          "topic " + p.topic() + " is already advertised by node " + nodeName);
    }
  }

  /**
   * @throws IllegalStateException if the topic is subscribed already
   */
  void add(TopicSubscriber<?> s) {
    if (subscribers.putIfAbsent(s.topic(), s) != null) {
      throw new IllegalStateException(
          "topic " + s.topic() + " is already subscribed by node " + nodeName);
    }
  }

  /**
   * @throws IllegalStateException if the service is advertised already
   */
  void add(ServiceServerImpl<?, ?> s) {
    if (services.putIfAbsent(s.name(), s) != null) {
      throw new IllegalStateException(
          "service " + s.name() + " is already advertised by node " + nodeName);
    }
  }

  void removePublisher(String topic) {
    publishers.remove(topic);
  }

  void removeSubscriber(String topic) {
    subscribers.remove(topic);
  }

  void removeService(String name) {
    services.remove(name);
  }

  /** The publisher of a topic, or null. */
  TopicPublisher<?> publisher(String topic) {
    return publishers.get(topic);
  }

  /** The subscriber of a topic, or null. */
  TopicSubscriber<?> subscriber(String topic) {
    return subscribers.get(topic);
  }

  /** The server of a service, or null. */
  ServiceServerImpl<?, ?> service(String name) {
    return services.get(name);
  }

  Collection<TopicPublisher<?>> publishers() {
    return publishers.values();
  }

  Collection<TopicSubscriber<?>> subscribers() {
    return subscribers.values();
  }

  Collection<ServiceServerImpl<?, ?>> services() {
    return services.values();
  }

  /** Names of published topics (for /rosout records). */
  List<String> publishedTopics() {
    return new ArrayList<>(publishers.keySet());
  }

  /**
   * Adds a listener of a parameter key.
   *
   * @return whether it is the key's first listener (the master must be told)
   */
  boolean addParamListener(String key, ParameterClient.ParamListener listener) {
    List<ParameterClient.ParamListener> l =
        paramListeners.computeIfAbsent(key, x -> new CopyOnWriteArrayList<>());
    boolean first = l.isEmpty();
    l.add(listener);
    return first;
  }

  /**
   * @return whether the key had listeners (the master must be told)
   */
  boolean removeParamListeners(String key) {
    return paramListeners.remove(key) != null;
  }

  /** The parameter keys with listeners. */
  Set<String> paramKeys() {
    return paramListeners.keySet();
  }

  /**
   * Tells the listeners of {@code key}, of a namespace above it and of the keys below it; a failing
   * listener is logged and the others still called.
   */
  void paramUpdated(String key, Object value) {
    for (Map.Entry<String, List<ParameterClient.ParamListener>> e : paramListeners.entrySet()) {
      String k = e.getKey();
      if (key.equals(k) || key.startsWith(k + "/") || k.startsWith(key + "/")) {
        for (ParameterClient.ParamListener l : e.getValue()) {
          try {
            l.onUpdate(key, value);
          } catch (RuntimeException ex) {
            LOG.error("parameter listener for {} failed", k, ex);
          }
        }
      }
    }
  }

  void clear() {
    publishers.clear();
    subscribers.clear();
    services.clear();
    paramListeners.clear();
  }
}
