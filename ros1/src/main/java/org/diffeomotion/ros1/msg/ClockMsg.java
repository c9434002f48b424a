package org.diffeomotion.ros1.msg;

import java.nio.ByteBuffer;

/** rosgraph_msgs/Clock: simulated time, published on /clock when /use_sim_time is true. */
public final class ClockMsg implements Message {

  public static final MessageType<ClockMsg> TYPE =
      new MessageType<>("rosgraph_msgs/Clock", ClockMsg::new);

  /** Seconds (uint32) [s]. */
  public int secs;

  /** Nanoseconds within the second [ns]. */
  public int nsecs;

  /** The time in nanoseconds, seconds treated as unsigned [ns]. */
  public long nanos() {
    return Integer.toUnsignedLong(secs) * 1_000_000_000L + Integer.toUnsignedLong(nsecs);
  }

  /** Sets the time from nanoseconds [ns]. */
  public ClockMsg nanos(long t) {
    secs = (int) (t / 1_000_000_000L);
    nsecs = (int) (t % 1_000_000_000L);
    return this;
  }

  @Override
  public int serializedSize() {
    return 8;
  }

  @Override
  public void encode(ByteBuffer out) {
    out.putInt(secs);
    out.putInt(nsecs);
  }

  @Override
  public void decode(ByteBuffer in) {
    Ser.need(in, 8, "clock");
    secs = in.getInt();
    nsecs = in.getInt();
  }
}
