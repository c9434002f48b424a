package org.diffeomotion.ros1.msg;

import java.nio.ByteBuffer;

/** geometry_msgs/Point. */
public final class Point implements Message {

  public static final MessageType<Point> TYPE =
      new MessageType<>("geometry_msgs/Point", Point::new);

  public double x;
  public double y;
  public double z;

  /** Sets all components; returns this. */
  public Point set(double x, double y, double z) {
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
    Ser.need(in, 24, "geometry_msgs/Point");
    x = in.getDouble();
    y = in.getDouble();
    z = in.getDouble();
  }
}
