package org.diffeomotion.ros1.msg;

import java.nio.ByteBuffer;

/** geometry_msgs/PoseStamped. */
public final class PoseStamped implements Message {

  public static final MessageType<PoseStamped> TYPE =
      new MessageType<>("geometry_msgs/PoseStamped", PoseStamped::new);

  public final Header header = new Header();
  public final Pose pose = new Pose();

  @Override
  public int serializedSize() {
    return header.serializedSize() + pose.serializedSize();
  }

  @Override
  public void encode(ByteBuffer out) {
    header.encode(out);
    pose.encode(out);
  }

  @Override
  public void decode(ByteBuffer in) {
    header.decode(in);
    pose.decode(in);
  }
}
