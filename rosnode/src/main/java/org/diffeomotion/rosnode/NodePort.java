package org.diffeomotion.rosnode;

import org.diffeomotion.ros1.MessageListener;
import org.diffeomotion.ros1.Publisher;
import org.diffeomotion.ros1.RosNode;
import org.diffeomotion.ros1.ServiceHandler;
import org.diffeomotion.ros1.ServiceServer;
import org.diffeomotion.ros1.Subscriber;
import org.diffeomotion.ros1.msg.Message;
import org.diffeomotion.ros1.msg.MessageType;
import org.diffeomotion.ros1.msg.ServiceType;

/**
 * What the motion node needs from a ROS node: the seam that lets unit tests drive the node's
 * handlers directly, and the integration tests the real {@link RosNode}.
 */
interface NodePort {

    <T extends Message> Publisher<T> advertise(String topic, MessageType<T> type, boolean latch, int queueSize);

    <T extends Message> Subscriber<T> subscribe(String topic, MessageType<T> type, MessageListener<T> listener);

    <Q extends Message, R extends Message> ServiceServer advertiseService(String name, ServiceType<Q, R> type,
                                                                           ServiceHandler<Q, R> handler);

    /** The node's clock [ns since the epoch]. */
    long nowNanos();

    /** A private or relative parameter, or {@code fallback} when unset or unreadable. */
    Object param(String key, Object fallback);

    /** Resolved name (for log messages). */
    String resolveName(String name);

    void info(String msg);

    void warn(String msg);

    void error(String msg);

    static NodePort of(RosNode node) {
        return new NodePort() {
            @Override
            public <T extends Message> Publisher<T> advertise(String topic, MessageType<T> type, boolean latch, int queueSize) {
                return node.advertise(topic, type, latch, queueSize);
            }

            @Override
            public <T extends Message> Subscriber<T> subscribe(String topic, MessageType<T> type, MessageListener<T> listener) {
                return node.subscribe(topic, type, listener);
            }

            @Override
            public <Q extends Message, R extends Message> ServiceServer advertiseService(String name, ServiceType<Q, R> type,
                                                                                          ServiceHandler<Q, R> handler) {
                return node.advertiseService(name, type, handler);
            }

            @Override
            public long nowNanos() {
                return node.clock().nowNanos();
            }

            @Override
            public Object param(String key, Object fallback) {
                try {
                    return node.params().get(key, fallback);
                } catch (RuntimeException e) {
                    node.log().warn("cannot read parameter " + key + ": " + e.getMessage());
                    return fallback;
                }
            }

            @Override
            public String resolveName(String name) {
                return node.resolveName(name);
            }

            @Override
            public void info(String msg) {
                node.log().info(msg);
            }

            @Override
            public void warn(String msg) {
                node.log().warn(msg);
            }

            @Override
            public void error(String msg) {
                node.log().error(msg);
            }
        };
    }
}
