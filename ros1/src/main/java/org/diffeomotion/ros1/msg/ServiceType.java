package org.diffeomotion.ros1.msg;

/**
 * Identity of a ROS service type: name, md5sum (request text then response text, see {@link
 * Definitions}) and the request and response message types.
 */
public final class ServiceType<Q extends Message, R extends Message> {

  private final String name;
  private final String md5;
  private final MessageType<Q> request;
  private final MessageType<R> response;

  ServiceType(String name, MessageType<Q> request, MessageType<R> response) {
    this.name = name;
    this.md5 = Definitions.serviceMd5(name);
    this.request = request;
    this.response = response;
  }

  /** "pkg/Name", e.g. {@code std_srvs/Trigger}. */
  public String name() {
    return name;
  }

  public String md5() {
    return md5;
  }

  public MessageType<Q> request() {
    return request;
  }

  public MessageType<R> response() {
    return response;
  }
}
