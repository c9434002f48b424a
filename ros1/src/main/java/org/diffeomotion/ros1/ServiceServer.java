package org.diffeomotion.ros1;

/** An advertised service. */
public interface ServiceServer extends AutoCloseable {

  /** Resolved service name. */
  String name();

  /** Unregisters the service and closes its connections. Idempotent. */
  @Override
  void close();
}
