package org.diffeomotion.ros1.msg;

import java.nio.ByteBuffer;

/**
 * sensor_msgs/JointState: per joint name, position [rad or m], velocity [rad/s or m/s] and effort
 * [N·m or N]; each array is empty or as long as {@code name}.
 */
public final class JointState implements Message {

  public static final MessageType<JointState> TYPE =
      new MessageType<>("sensor_msgs/JointState", JointState::new);

  public final Header header = new Header();
  private Ser.Str[] name = new Ser.Str[0];

  /** Joint positions [rad or m]; replaced (not resized) by decode when the length changes. */
  public double[] position = new double[0];

  /** Joint velocities [rad/s or m/s]. */
  public double[] velocity = new double[0];

  /** Joint efforts [N·m or N]. */
  public double[] effort = new double[0];

  /** Joint names (a new array). */
  public String[] names() {
    return Ser.fromStrs(name);
  }

  /** Joint name {@code i}. */
  public String name(int i) {
    return name[i].get();
  }

  /** Number of names. */
  public int nameCount() {
    return name.length;
  }

  /** Sets the joint names. */
  public JointState names(String... names) {
    name = Ser.toStrs(names, name);
    return this;
  }

  @Override
  public int serializedSize() {
    return header.serializedSize()
        + Ser.stringsSize(name)
        + 12
        + 8 * (position.length + velocity.length + effort.length);
  }

  @Override
  public void encode(ByteBuffer out) {
    header.encode(out);
    Ser.putStrings(out, name);
    Ser.putDoubles(out, position);
    Ser.putDoubles(out, velocity);
    Ser.putDoubles(out, effort);
  }

  @Override
  public void decode(ByteBuffer in) {
    header.decode(in);
    name = Ser.strings(in, name, "name");
    position = Ser.doubles(in, position, "position");
    velocity = Ser.doubles(in, velocity, "velocity");
    effort = Ser.doubles(in, effort, "effort");
  }
}
