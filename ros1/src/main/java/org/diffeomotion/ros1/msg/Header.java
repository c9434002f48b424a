package org.diffeomotion.ros1.msg;

import java.nio.ByteBuffer;

/** std_msgs/Header: sequence number, time stamp, coordinate frame. */
public final class Header implements Message {

  public static final MessageType<Header> TYPE = new MessageType<>("std_msgs/Header", Header::new);

  /** Sequence number (uint32 on the wire; publishers usually leave it to the transport). */
  public int seq;

  /** Stamp seconds since the epoch (uint32 on the wire) [s]. */
  public int secs;

  /** Stamp nanoseconds within the second, 0..999 999 999 [ns]. */
  public int nsecs;

  private final Ser.Str frameId = new Ser.Str();

  /** Coordinate frame id, e.g. "base_link"; "" for none. */
  public String frameId() {
    return frameId.get();
  }

  /** Sets the frame id (must not be null). Reusing the same String object allocates nothing. */
  public Header frameId(String id) {
    frameId.set(id);
    return this;
  }

  /** Sets the stamp from a time in nanoseconds since the epoch [ns]. */
  public Header stampNanos(long nanos) {
    secs = (int) (nanos / 1_000_000_000L);
    nsecs = (int) (nanos % 1_000_000_000L);
    return this;
  }

  /** The stamp in nanoseconds since the epoch, treating secs as unsigned [ns]. */
  public long stampNanos() {
    return Integer.toUnsignedLong(secs) * 1_000_000_000L + Integer.toUnsignedLong(nsecs);
  }

  @Override
  public int serializedSize() {
    return 12 + frameId.size();
  }

  @Override
  public void encode(ByteBuffer out) {
    out.putInt(seq);
    out.putInt(secs);
    out.putInt(nsecs);
    frameId.encode(out);
  }

  @Override
  public void decode(ByteBuffer in) {
    Ser.need(in, 12, "header");
    seq = in.getInt();
    secs = in.getInt();
    nsecs = in.getInt();
    frameId.decode(in, "header.frame_id");
  }
}
