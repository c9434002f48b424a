package org.diffeomotion.ros1;

import org.diffeomotion.ros1.msg.Message;
import org.diffeomotion.ros1.msg.MessageType;

/** A subscription to one topic; connects to every publisher the master reports. */
public interface Subscriber<T extends Message> extends AutoCloseable {

  /** Resolved topic name. */
  String topic();

  MessageType<T> type();

  /** Number of publishers with an established TCPROS connection. */
  int numPublishers();

  /** Unregisters and closes all connections. Idempotent. */
  @Override
  void close();
}
