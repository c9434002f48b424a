package org.diffeomotion.ros1.msg;

import java.nio.ByteBuffer;

/** geometry_msgs/Quaternion. */
public final class Quaternion implements Message {

  public static final MessageType<Quaternion> TYPE =
      new MessageType<>("geometry_msgs/Quaternion", Quaternion::new);

  public double x;
  public double y;
  public double z;
  public double w;

  /** Sets all components; returns this. */
  public Quaternion set(double x, double y, double z, double w) {
    this.x = x;
    this.y = y;
    this.z = z;
    this.w = w;
    return this;
  }

  @Override
  public int serializedSize() {
    return 32;
  }

  @Override
  public void encode(ByteBuffer out) {
    out.putDouble(x);
    out.putDouble(y);
    out.putDouble(z);
    out.putDouble(w);
  }

  @Override
  public void decode(ByteBuffer in) {
    Ser.need(in, 32, "geometry_msgs/Quaternion");
    x = in.getDouble();
    y = in.getDouble();
    z = in.getDouble();
    w = in.getDouble();
  }
}
