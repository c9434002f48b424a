package org.diffeomotion.trainer.data;

import java.util.ArrayList;
import java.util.List;

/** The ROS message types demonstrations can be read from, and where the state is in each. */
enum MessageKind {
  POSE_STAMPED("geometry_msgs/PoseStamped", List.of("pose", "orientation"), "pose", "position"),
  POINT_STAMPED("geometry_msgs/PointStamped", null, "point"),
  TRANSFORM_STAMPED(
      "geometry_msgs/TransformStamped",
      List.of("transform", "rotation"),
      "transform",
      "translation"),
  ODOMETRY("nav_msgs/Odometry", List.of("pose", "pose", "orientation"), "pose", "pose", "position"),
  PATH("nav_msgs/Path", List.of("pose", "orientation"), "pose", "position"),
  JOINT_STATE("sensor_msgs/JointState", null);

  /** The ROS type name, e.g. {@code geometry_msgs/PoseStamped}. */
  final String rosType;

  /**
   * Field names from the stamped message (for PATH: from each element of {@code poses}) to the
   * {@code x, y, z} message; empty for JointState.
   */
  final List<String> positionPath;

  /**
   * Field names from the stamped message (for PATH: from each element of {@code poses}) to the
   * {@code x, y, z, w} quaternion of the orientation; null for the kinds without one (PointStamped,
   * JointState).
   */
  final List<String> orientationPath;

  MessageKind(String rosType, List<String> orientationPath, String... positionPath) {
    this.rosType = rosType;
    this.orientationPath = orientationPath;
    this.positionPath = List.of(positionPath);
  }

  /** The kinds that carry an orientation (readable with the pose option), for error messages. */
  static List<String> poseTypes() {
    List<String> out = new ArrayList<>();
    for (MessageKind k : values()) {
      if (k.orientationPath != null) {
        out.add(k.rosType);
      }
    }
    return out;
  }

  /** The kind for a ROS type name, or null if it is not supported. */
  static MessageKind of(String rosType) {
    for (MessageKind k : values()) {
      if (k.rosType.equals(rosType)) {
        return k;
      }
    }
    return null;
  }

  /** The supported ROS type names, for error messages. */
  static List<String> supportedTypes() {
    List<String> out = new ArrayList<>();
    for (MessageKind k : values()) {
      out.add(k.rosType);
    }
    return out;
  }
}
