package org.diffeomotion.rosnode;

import java.nio.ByteBuffer;
import org.diffeomotion.ros1.msg.Header;
import org.diffeomotion.ros1.msg.Message;
import org.diffeomotion.ros1.msg.MessageFormatException;
import org.diffeomotion.ros1.msg.MessageType;
import org.diffeomotion.ros1.msg.Pose;

/**
 * geometry_msgs/PoseArray (the ros1 module has no class for it; its text is Debian's {@code
 * /usr/share/geometry_msgs/msg/PoseArray.msg}, registered with {@link MessageType#define}, so the
 * md5 is derived from it): a pose model's plan poses for rviz's PoseArray display ({@code
 * ~plan_poses}). Pose objects are kept and reused across {@link #resize}.
 */
final class PoseArray implements Message {

  static final String TEXT =
      """
      # An array of poses with a header for global reference.

      Header header

      Pose[] poses
      """;

  static final MessageType<PoseArray> TYPE =
      MessageType.define("geometry_msgs/PoseArray", TEXT, PoseArray::new);

  /** A Pose on the wire: 7 float64 [bytes]. */
  private static final int POSE_BYTES = 56;

  final Header header = new Header();
  private Pose[] poses = new Pose[0];
  private int count;

  int size() {
    return count;
  }

  /** Pose {@code i}, 0 ≤ i &lt; {@link #size()}; owned by this message. */
  Pose pose(int i) {
    if (i < 0 || i >= count) {
      throw new IndexOutOfBoundsException("pose " + i + " of " + count);
    }
    return poses[i];
  }

  /** Sets the number of poses; existing pose objects are kept and reused. */
  PoseArray resize(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("pose array size " + n);
    }
    if (n > poses.length) {
      Pose[] p = new Pose[Math.max(n, poses.length * 2)];
      System.arraycopy(poses, 0, p, 0, poses.length);
      for (int i = poses.length; i < p.length; i++) {
        p[i] = new Pose();
      }
      poses = p;
    }
    count = n;
    return this;
  }

  @Override
  public int serializedSize() {
    return header.serializedSize() + 4 + count * POSE_BYTES;
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
    if (in.remaining() < 4) {
      throw new MessageFormatException("poses: truncated length");
    }
    int n = in.getInt();
    if (n < 0 || (long) n * POSE_BYTES > in.remaining()) {
      throw new MessageFormatException(
          "poses: " + n + " poses do not fit in " + in.remaining() + " bytes");
    }
    resize(n);
    for (int i = 0; i < count; i++) {
      poses[i].decode(in);
    }
  }
}
