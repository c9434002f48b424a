package org.diffeomotion.rosnode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.diffeomotion.ros1.Clock;
import org.diffeomotion.ros1.MessageListener;
import org.diffeomotion.ros1.NodeConfig;
import org.diffeomotion.ros1.ParameterClient;
import org.diffeomotion.ros1.Publisher;
import org.diffeomotion.ros1.RosException;
import org.diffeomotion.ros1.RosLog;
import org.diffeomotion.ros1.RosNode;
import org.diffeomotion.ros1.ServiceClient;
import org.diffeomotion.ros1.ServiceHandler;
import org.diffeomotion.ros1.ServiceServer;
import org.diffeomotion.ros1.Subscriber;
import org.diffeomotion.ros1.msg.Message;
import org.diffeomotion.ros1.msg.MessageType;
import org.diffeomotion.ros1.msg.ServiceType;

/**
 * A {@link RosNode} without a network: tests call the listeners, read what was published, set
 * {@link #now} and {@link #params}, and read the log lines ({@link #infos}: info and "WARN "
 * warnings; {@link #errors}). {@link #paramFailure} makes every parameter read fail.
 */
final class FakeRosNode implements RosNode {

  /** A publisher that keeps the last message (the node reuses it) and counts publishes. */
  static final class Pub<T extends Message> implements Publisher<T> {
    final String topic;
    final MessageType<T> type;
    T last;
    long count;

    Pub(String topic, MessageType<T> type) {
      this.topic = topic;
      this.type = type;
    }

    @Override
    public String topic() {
      return topic;
    }

    @Override
    public MessageType<T> type() {
      return type;
    }

    @Override
    public void publish(T message) {
      last = message;
      count++;
    }

    @Override
    public int numSubscribers() {
      return 1;
    }

    @Override
    public void close() {}
  }

  final Map<String, Pub<?>> pubs = new HashMap<>();
  final Map<String, MessageListener<?>> subs = new HashMap<>();
  final Map<String, MessageType<?>> subTypes = new HashMap<>();
  final Map<String, ServiceHandler<?, ?>> services = new HashMap<>();
  final Map<String, Object> params = new HashMap<>();
  final List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
  final List<String> infos = java.util.Collections.synchronizedList(new ArrayList<>());
  long now = 1_700_000_000_000_000_000L;

  /** When set, every parameter read throws it (a master that does not answer). */
  RuntimeException paramFailure;

  private final Clock clock = () -> now;

  private final RosLog log =
      new RosLog() {
        @Override
        public void debug(String msg) {}

        @Override
        public void info(String msg) {
          infos.add(msg);
        }

        @Override
        public void warn(String msg) {
          infos.add("WARN " + msg);
        }

        @Override
        public void error(String msg) {
          errors.add(msg);
        }

        @Override
        public void fatal(String msg) {
          errors.add("FATAL " + msg);
        }
      };

  /** The map {@link #params}, unresolved names as keys; only the reads are supported. */
  private final ParameterClient paramClient =
      new ParameterClient() {
        private Object read(String key, Object fallback) {
          if (paramFailure != null) {
            throw paramFailure;
          }
          return params.getOrDefault(key, fallback);
        }

        @Override
        public Object get(String key) {
          Object v = read(key, null);
          if (v == null) {
            throw new RosException("getParam(" + key + "): not set");
          }
          return v;
        }

        @Override
        public Object get(String key, Object fallback) {
          return read(key, fallback);
        }

        @Override
        public double getDouble(String key, double fallback) {
          return ((Number) read(key, fallback)).doubleValue();
        }

        @Override
        public void set(String key, Object value) {
          params.put(key, value);
        }

        @Override
        public boolean has(String key) {
          return read(key, null) != null;
        }

        @Override
        public void delete(String key) {
          params.remove(key);
        }

        @Override
        public String search(String key) {
          return params.containsKey(key) ? key : null;
        }

        @Override
        public List<String> names() {
          return new ArrayList<>(params.keySet());
        }

        @Override
        public Object subscribe(String key, ParamListener listener) {
          throw new UnsupportedOperationException("the fake node has no parameter subscriptions");
        }

        @Override
        public void unsubscribe(String key) {}
      };

  @Override
  public <T extends Message> Publisher<T> advertise(
      String topic, MessageType<T> type, boolean latch, int queueSize) {
    Pub<T> p = new Pub<>(topic, type);
    pubs.put(topic, p);
    return p;
  }

  @Override
  public <T extends Message> Subscriber<T> subscribe(
      String topic, MessageType<T> type, MessageListener<T> listener) {
    subs.put(topic, listener);
    subTypes.put(topic, type);
    return new Subscriber<>() {
      @Override
      public String topic() {
        return topic;
      }

      @Override
      public MessageType<T> type() {
        return type;
      }

      @Override
      public int numPublishers() {
        return 0;
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public <Q extends Message, R extends Message> ServiceServer advertiseService(
      String name, ServiceType<Q, R> type, ServiceHandler<Q, R> handler) {
    services.put(name, handler);
    return new ServiceServer() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public void close() {}
    };
  }

  @SuppressWarnings("unchecked")
  <T> void send(String topic, T msg) {
    ((MessageListener<T>) subs.get(topic)).onMessage(msg);
  }

  @SuppressWarnings("unchecked")
  <T extends Message> Pub<T> pub(String topic) {
    return (Pub<T>) pubs.get(topic);
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public RosLog log() {
    return log;
  }

  @Override
  public ParameterClient params() {
    return paramClient;
  }

  @Override
  public String resolveName(String name) {
    return name;
  }

  @Override
  public void start() {}

  @Override
  public String name() {
    return "/fake";
  }

  @Override
  public NodeConfig config() {
    throw new UnsupportedOperationException("the fake node has no NodeConfig");
  }

  @Override
  public String uri() {
    return null;
  }

  @Override
  public boolean isMasterReachable() {
    return true;
  }

  @Override
  public <Q extends Message, R extends Message> ServiceClient<Q, R> serviceClient(
      String name, ServiceType<Q, R> type, boolean persistent) {
    throw new UnsupportedOperationException("the fake node calls no services");
  }

  @Override
  public void shutdown() {}

  @Override
  public boolean awaitShutdown(long timeoutMs) {
    return true;
  }
}
