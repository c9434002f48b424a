package org.diffeomotion.trainer.data;

import java.util.List;
import java.util.Objects;

/**
 * How to read demonstrations from ROS bags. Immutable; start from {@link #defaults()} and use the
 * {@code with*} methods.
 *
 * @param topic the topic to read, or null to take the only topic of a supported type (an error
 *     lists the candidates when there are several)
 * @param dimensions which state entries to keep, in this order; empty keeps all. For {@code
 *     sensor_msgs/JointState} these are joint names (messages on the topic that carry none of them,
 *     e.g. a gripper's own publisher, are skipped); for the Cartesian types a subset of {@code x,
 *     y, z} (e.g. {@code x, y} for planar data)
 * @param gapThreshold split a bag's message stream into demonstrations wherever consecutive stamps
 *     are more than this apart [s]; 0 makes each bag one demonstration. Ignored for {@code
 *     nav_msgs/Path}, where each message is one demonstration
 * @param trim removal of still phases at the start and end of each demonstration
 * @param pose keep the orientation of {@code geometry_msgs/PoseStamped}, {@code
 *     geometry_msgs/TransformStamped}, {@code nav_msgs/Odometry} and {@code nav_msgs/Path}: the
 *     demonstrations become full poses, [x, y, z, r_x, r_y, r_z] with r the rotation vector
 *     relative to the goal orientation ({@link PoseDemos}). False (the default) reads the position
 *     only. Needs a message type with an orientation and no dimension selection
 */
public record BagReadOptions(
    String topic, List<String> dimensions, double gapThreshold, TrimOptions trim, boolean pose) {

  /** Position-only (or joint) reading: {@code pose} false. */
  public BagReadOptions(
      String topic, List<String> dimensions, double gapThreshold, TrimOptions trim) {
    this(topic, dimensions, gapThreshold, trim, false);
  }

  public BagReadOptions {
    dimensions = List.copyOf(Objects.requireNonNull(dimensions, "dimensions"));
    Objects.requireNonNull(trim, "trim");
    if (!(gapThreshold >= 0) || !Double.isFinite(gapThreshold)) {
      throw new IllegalArgumentException(
          "gapThreshold must be finite and >= 0 s, got " + gapThreshold);
    }
    if (pose && !dimensions.isEmpty()) {
      throw new IllegalArgumentException(
          "pose reads x, y, z and the orientation; it takes no dimension selection, got "
              + dimensions);
    }
    if (topic != null && topic.isBlank()) {
      throw new IllegalArgumentException("topic must not be blank (null picks one)");
    }
  }

  /** Auto-detected topic, all dimensions, one demo per bag, no trimming. */
  public static BagReadOptions defaults() {
    return new BagReadOptions(null, List.of(), 0.0, TrimOptions.NONE);
  }

  public BagReadOptions withTopic(String newTopic) {
    return new BagReadOptions(newTopic, dimensions, gapThreshold, trim, pose);
  }

  public BagReadOptions withDimensions(List<String> newDimensions) {
    return new BagReadOptions(topic, newDimensions, gapThreshold, trim, pose);
  }

  /**
   * @param seconds gap threshold [s]; 0 = one demo per bag
   */
  public BagReadOptions withGapThreshold(double seconds) {
    return new BagReadOptions(topic, dimensions, seconds, trim, pose);
  }

  public BagReadOptions withTrim(TrimOptions newTrim) {
    return new BagReadOptions(topic, dimensions, gapThreshold, newTrim, pose);
  }

  /**
   * @param keepOrientation true to read full poses (see {@link #pose()})
   */
  public BagReadOptions withPose(boolean keepOrientation) {
    return new BagReadOptions(topic, dimensions, gapThreshold, trim, keepOrientation);
  }
}
