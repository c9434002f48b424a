package org.diffeomotion.ros1.msg;

import java.nio.ByteBuffer;

/** geometry_msgs/Pose. */
public final class Pose implements Message {

  public static final MessageType<Pose> TYPE = new MessageType<>("geometry_msgs/Pose", Pose::new);

  public final Point position = new Point();
  public final Quaternion orientation = new Quaternion();

  @Override
  public int serializedSize() {
    return position.serializedSize() + orientation.serializedSize();
  }

  @Override
  public void encode(ByteBuffer out) {
    position.encode(out);
    orientation.encode(out);
  }

  @Override
  public void decode(ByteBuffer in) {
    position.decode(in);
    orientation.decode(in);
  }
}
