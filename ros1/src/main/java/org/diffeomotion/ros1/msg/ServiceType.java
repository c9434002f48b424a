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

  /**
   * The type of an application's own service from the content of its .srv file: the request's
   * fields, a line {@code ---}, the response's fields. Registers {@code name + "Request"} and
   * {@code name + "Response"} (see {@link Definitions#define}).
   *
   * @throws IllegalArgumentException as {@link Definitions#define}, or when the text has no line
   *     {@code ---} or more than one
   */
  public static <Q extends Message, R extends Message> ServiceType<Q, R> define(
      String name,
      String srvText,
      java.util.function.Supplier<Q> request,
      java.util.function.Supplier<R> response) {
    if (srvText == null) {
      throw new IllegalArgumentException(".srv text of " + name + " is null");
    }
    String[] lines = srvText.split("\n", -1);
    int sep = -1;
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].strip().equals("---")) {
        if (sep >= 0) {
          throw new IllegalArgumentException(
              ".srv text of " + name + " has more than one line '---'");
        }
        sep = i;
      }
    }
    if (sep < 0) {
      throw new IllegalArgumentException(
          ".srv text of " + name + " has no line '---' between request and response");
    }
    // genmsg splits at the separator line: the request is everything before it (with its final
    // newline), the response everything after.
    String req = String.join("\n", java.util.Arrays.copyOfRange(lines, 0, sep)) + "\n";
    String res = String.join("\n", java.util.Arrays.copyOfRange(lines, sep + 1, lines.length));
    MessageType<Q> q = MessageType.define(name + "Request", req, request);
    MessageType<R> r = MessageType.define(name + "Response", res, response);
    return new ServiceType<>(name, q, r);
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
