package org.diffeomotion.ros1.msg;

import java.nio.ByteBuffer;

/** geometry_msgs/Vector3. */
public final class Vector3 implements Message {

  public static final MessageType<Vector3> TYPE =
      new MessageType<>("geometry_msgs/Vector3", Vector3::new);

  public double x;
  public double y;
  public double z;

  /** Sets all components; returns this. */
  public Vector3 set(double x, double y, double z) {
    this.x = x;
    this.y = y;
    this.z = z;
    return this;
  }

  @Override
  public int serializedSize() {
    return 24;
  }

  @Override
  public void encode(ByteBuffer out) {
    out.putDouble(x);
    out.putDouble(y);
    out.putDouble(z);
  }

  @Override
  public void decode(ByteBuffer in) {
    Ser.need(in, 24, "geometry_msgs/Vector3");
    x = in.getDouble();
    y = in.getDouble();
    z = in.getDouble();
  }
}
