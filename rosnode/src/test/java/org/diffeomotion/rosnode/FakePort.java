package org.diffeomotion.rosnode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.diffeomotion.ros1.MessageListener;
import org.diffeomotion.ros1.Publisher;
import org.diffeomotion.ros1.ServiceHandler;
import org.diffeomotion.ros1.ServiceServer;
import org.diffeomotion.ros1.Subscriber;
import org.diffeomotion.ros1.msg.Message;
import org.diffeomotion.ros1.msg.MessageType;
import org.diffeomotion.ros1.msg.ServiceType;

/** A node without a network: tests call the listeners and read what was published. */
final class FakePort implements NodePort {

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
        public void close() {
        }
    }

    final Map<String, Pub<?>> pubs = new HashMap<>();
    final Map<String, MessageListener<?>> subs = new HashMap<>();
    final Map<String, MessageType<?>> subTypes = new HashMap<>();
    final Map<String, ServiceHandler<?, ?>> services = new HashMap<>();
    final Map<String, Object> params = new HashMap<>();
    final List<String> errors = new ArrayList<>();
    final List<String> infos = new ArrayList<>();
    long now = 1_700_000_000_000_000_000L;

    @Override
    public <T extends Message> Publisher<T> advertise(String topic, MessageType<T> type, boolean latch, int queueSize) {
        Pub<T> p = new Pub<>(topic, type);
        pubs.put(topic, p);
        return p;
    }

    @Override
    public <T extends Message> Subscriber<T> subscribe(String topic, MessageType<T> type, MessageListener<T> listener) {
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
            public void close() {
            }
        };
    }

    @Override
    public <Q extends Message, R extends Message> ServiceServer advertiseService(String name, ServiceType<Q, R> type,
                                                                                  ServiceHandler<Q, R> handler) {
        services.put(name, handler);
        return new ServiceServer() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void close() {
            }
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
    public long nowNanos() {
        return now;
    }

    @Override
    public Object param(String key, Object fallback) {
        return params.getOrDefault(key, fallback);
    }

    @Override
    public String resolveName(String name) {
        return name;
    }

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
}
