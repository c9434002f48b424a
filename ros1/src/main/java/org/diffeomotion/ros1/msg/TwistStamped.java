package org.diffeomotion.ros1.msg;

import java.nio.ByteBuffer;

/** geometry_msgs/TwistStamped. */
public final class TwistStamped implements Message {

  public static final MessageType<TwistStamped> TYPE =
      new MessageType<>("geometry_msgs/TwistStamped", TwistStamped::new);

  public final Header header = new Header();
  public final Twist twist = new Twist();

  @Override
  public int serializedSize() {
    return header.serializedSize() + twist.serializedSize();
  }

  @Override
  public void encode(ByteBuffer out) {
    header.encode(out);
    twist.encode(out);
  }

  @Override
  public void decode(ByteBuffer in) {
    header.decode(in);
    twist.decode(in);
  }
}
