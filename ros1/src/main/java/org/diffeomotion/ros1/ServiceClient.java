package org.diffeomotion.ros1;

/**
 * Calls one service. A non-persistent client looks the service up on the master and connects for
 * every call (so a restarted server is found again); a persistent one keeps its connection until a
 * failure or {@link #close()}. Calls are serialized.
 */
public interface ServiceClient<Q, R> extends AutoCloseable {

  /** Resolved service name. */
  String name();

  /**
   * Calls the service.
   *
   * @param request the request. Not modified.
   * @param response filled with the server's response. Modified.
   * @param timeoutMs bound on the whole call: lookup, connect and each read [ms]
   * @throws RosException if the service is unknown, unreachable, has another md5sum, or answers
   *     with an error (the message carries the server's text)
   */
  void call(Q request, R response, int timeoutMs);

  /** Closes a persistent connection; the client stays usable (the next call reconnects). */
  @Override
  void close();
}
