package org.diffeomotion.ros1.msg;

import java.nio.ByteBuffer;

/** nav_msgs/Path: a sequence of stamped poses in {@code header.frame_id}. */
public final class Path implements Message {

  public static final MessageType<Path> TYPE = new MessageType<>("nav_msgs/Path", Path::new);

  public final Header header = new Header();
  private PoseStamped[] poses = new PoseStamped[0];
  private int count;

  /** Number of poses. */
  public int size() {
    return count;
  }

  /** Pose {@code i}, 0 ≤ i &lt; {@link #size()}; the object is owned by this message. */
  public PoseStamped pose(int i) {
    if (i < 0 || i >= count) {
      throw new IndexOutOfBoundsException("pose " + i + " of " + count);
    }
    return poses[i];
  }

  /** Sets the number of poses; existing pose objects are kept and reused. */
  public Path resize(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("path size " + n);
    }
    if (n > poses.length) {
      PoseStamped[] p = new PoseStamped[Math.max(n, poses.length * 2)];
      System.arraycopy(poses, 0, p, 0, poses.length);
      for (int i = poses.length; i < p.length; i++) {
        p[i] = new PoseStamped();
      }
      poses = p;
    }
    count = n;
    return this;
  }

  @Override
  public int serializedSize() {
    int s = header.serializedSize() + 4;
    for (int i = 0; i < count; i++) {
      s += poses[i].serializedSize();
    }
    return s;
  }

  @Override
  public void encode(ByteBuffer out) {
    header.encode(out);
    out.putInt(count);
    for (int i = 0; i < count; i++) {
      poses[i].encode(out);
    }
  }

  @Override
  public void decode(ByteBuffer in) {
    header.decode(in);
    // A PoseStamped is at least 12 + 4 + 56 bytes.
    resize(Ser.length(in, 72, "poses"));
    for (int i = 0; i < count; i++) {
      poses[i].decode(in);
    }
  }
}
