package org.diffeomotion.ros1;

import org.diffeomotion.ros1.msg.Message;
import org.diffeomotion.ros1.msg.MessageType;

/**
 * Publishes messages of one type on one topic to every connected subscriber. Each subscriber
 * connection has its own bounded queue that drops its oldest message when full, so a slow
 * subscriber never delays the others or the caller.
 */
public interface Publisher<T extends Message> extends AutoCloseable {

  /** Resolved topic name. */
  String topic();

  MessageType<T> type();

  /**
   * Serializes the message once and queues it for every subscriber. Never blocks on the network;
   * after warm-up it allocates nothing. Thread-safe.
   *
   * @param message the message. Not modified; may be reused by the caller right after return.
   */
  void publish(T message);

  /** Number of currently connected subscribers. */
  int numSubscribers();

  /** Unregisters and closes all connections. Idempotent. */
  @Override
  void close();
}
