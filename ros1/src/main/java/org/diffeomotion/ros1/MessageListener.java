package org.diffeomotion.ros1;

/**
 * Receives messages of a subscription. Calls for one subscription never overlap. The message object
 * is reused for the next message of the same connection: copy what you keep.
 */
@FunctionalInterface
public interface MessageListener<T> {
  void onMessage(T message);
}
