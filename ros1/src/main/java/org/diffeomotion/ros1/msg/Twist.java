package org.diffeomotion.ros1.msg;

import java.nio.ByteBuffer;

/** geometry_msgs/Twist. */
public final class Twist implements Message {

  public static final MessageType<Twist> TYPE =
      new MessageType<>("geometry_msgs/Twist", Twist::new);

  public final Vector3 linear = new Vector3();
  public final Vector3 angular = new Vector3();

  @Override
  public int serializedSize() {
    return linear.serializedSize() + angular.serializedSize();
  }

  @Override
  public void encode(ByteBuffer out) {
    linear.encode(out);
    angular.encode(out);
  }

  @Override
  public void decode(ByteBuffer in) {
    linear.decode(in);
    angular.decode(in);
  }
}
