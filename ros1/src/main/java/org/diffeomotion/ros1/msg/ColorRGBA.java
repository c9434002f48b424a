package org.diffeomotion.ros1.msg;

import java.nio.ByteBuffer;

/** std_msgs/ColorRGBA: a colour, each component in [0, 1] (float32 on the wire). */
public final class ColorRGBA implements Message {

  public static final MessageType<ColorRGBA> TYPE =
      new MessageType<>("std_msgs/ColorRGBA", ColorRGBA::new);

  public float r;
  public float g;
  public float b;
  public float a;

  public ColorRGBA set(float r, float g, float b, float a) {
    this.r = r;
    this.g = g;
    this.b = b;
    this.a = a;
    return this;
  }

  @Override
  public int serializedSize() {
    return 16;
  }

  @Override
  public void encode(ByteBuffer out) {
    out.putFloat(r).putFloat(g).putFloat(b).putFloat(a);
  }

  @Override
  public void decode(ByteBuffer in) {
    Ser.need(in, 16, "color");
    r = in.getFloat();
    g = in.getFloat();
    b = in.getFloat();
    a = in.getFloat();
  }
}
