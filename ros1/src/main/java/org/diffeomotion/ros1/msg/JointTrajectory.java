package org.diffeomotion.ros1.msg;

import java.nio.ByteBuffer;

/** trajectory_msgs/JointTrajectory: joint names and the points to pass through. */
public final class JointTrajectory implements Message {

  public static final MessageType<JointTrajectory> TYPE =
      new MessageType<>("trajectory_msgs/JointTrajectory", JointTrajectory::new);

  public final Header header = new Header();
  private Ser.Str[] jointNames = new Ser.Str[0];
  private JointTrajectoryPoint[] points = new JointTrajectoryPoint[0];
  private int count;

  /** Joint names (a new array). */
  public String[] jointNames() {
    return Ser.fromStrs(jointNames);
  }

  /** Sets the joint names. */
  public JointTrajectory jointNames(String... names) {
    jointNames = Ser.toStrs(names, jointNames);
    return this;
  }

  /** Number of points. */
  public int size() {
    return count;
  }

  /** Point {@code i}, owned by this message. */
  public JointTrajectoryPoint point(int i) {
    if (i < 0 || i >= count) {
      throw new IndexOutOfBoundsException("point " + i + " of " + count);
    }
    return points[i];
  }

  /** Sets the number of points; existing point objects are kept and reused. */
  public JointTrajectory resize(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("trajectory size " + n);
    }
    if (n > points.length) {
      JointTrajectoryPoint[] p = new JointTrajectoryPoint[Math.max(n, points.length * 2)];
      System.arraycopy(points, 0, p, 0, points.length);
      for (int i = points.length; i < p.length; i++) {
        p[i] = new JointTrajectoryPoint();
      }
      points = p;
    }
    count = n;
    return this;
  }

  @Override
  public int serializedSize() {
    int s = header.serializedSize() + Ser.stringsSize(jointNames) + 4;
    for (int i = 0; i < count; i++) {
      s += points[i].serializedSize();
    }
    return s;
  }

  @Override
  public void encode(ByteBuffer out) {
    header.encode(out);
    Ser.putStrings(out, jointNames);
    out.putInt(count);
    for (int i = 0; i < count; i++) {
      points[i].encode(out);
    }
  }

  @Override
  public void decode(ByteBuffer in) {
    header.decode(in);
    jointNames = Ser.strings(in, jointNames, "joint_names");
    resize(Ser.length(in, 24, "points"));
    for (int i = 0; i < count; i++) {
      points[i].decode(in);
    }
  }
}
