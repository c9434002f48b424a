package org.diffeomotion.ros1.msg;

import java.nio.ByteBuffer;

/** std_srvs/Trigger: an empty request; a response with a success flag and a message. */
public final class Trigger {

  /** The empty request. */
  public static final class Request implements Message {
    @Override
    public int serializedSize() {
      return 0;
    }

    @Override
    public void encode(ByteBuffer out) {
      // no fields
    }

    @Override
    public void decode(ByteBuffer in) {
      // no fields; trailing bytes are checked by the transport
    }
  }

  /** The response. */
  public static final class Response implements Message {
    public boolean success;
    private final Ser.Str message = new Ser.Str();

    public String message() {
      return message.get();
    }

    public Response message(String s) {
      message.set(s);
      return this;
    }

    @Override
    public int serializedSize() {
      return 1 + message.size();
    }

    @Override
    public void encode(ByteBuffer out) {
      out.put((byte) (success ? 1 : 0));
      message.encode(out);
    }

    @Override
    public void decode(ByteBuffer in) {
      Ser.need(in, 1, "success");
      success = in.get() != 0;
      message.decode(in, "message");
    }
  }

  public static final MessageType<Request> REQUEST =
      new MessageType<>("std_srvs/TriggerRequest", Request::new);
  public static final MessageType<Response> RESPONSE =
      new MessageType<>("std_srvs/TriggerResponse", Response::new);
  public static final ServiceType<Request, Response> TYPE =
      new ServiceType<>("std_srvs/Trigger", REQUEST, RESPONSE);

  private Trigger() {}
}
