package org.diffeomotion.ros1.msg;

import java.nio.ByteBuffer;

/** geometry_msgs/PointStamped. */
public final class PointStamped implements Message {

  public static final MessageType<PointStamped> TYPE =
      new MessageType<>("geometry_msgs/PointStamped", PointStamped::new);

  public final Header header = new Header();
  public final Point point = new Point();

  @Override
  public int serializedSize() {
    return header.serializedSize() + point.serializedSize();
  }

  @Override
  public void encode(ByteBuffer out) {
    header.encode(out);
    point.encode(out);
  }

  @Override
  public void decode(ByteBuffer in) {
    header.decode(in);
    point.decode(in);
  }
}
