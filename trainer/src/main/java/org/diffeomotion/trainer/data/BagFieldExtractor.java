package org.diffeomotion.trainer.data;

import com.github.swrirobotics.bags.reader.exceptions.UninitializedFieldException;
import com.github.swrirobotics.bags.reader.messages.serialization.ArrayType;
import com.github.swrirobotics.bags.reader.messages.serialization.Field;
import com.github.swrirobotics.bags.reader.messages.serialization.Float64Type;
import com.github.swrirobotics.bags.reader.messages.serialization.MessageType;
import com.github.swrirobotics.bags.reader.messages.serialization.StringType;
import com.github.swrirobotics.bags.reader.messages.serialization.TimeType;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one message into samples and keeps what must agree across messages: the dimension names
 * (joint names) and the frame id.
 */
final class BagFieldExtractor {

  private static final Logger LOG = LoggerFactory.getLogger(BagDemoReader.class);
  private static final List<String> XYZ = List.of("x", "y", "z");
  private static final List<String> QUATERNION = List.of("x", "y", "z", "w");

  /** The names of the raw pose samples: position, then the orientation quaternion. */
  static final List<String> POSE_NAMES = List.of("x", "y", "z", "qx", "qy", "qz", "qw");

  final MessageKind kind;
  final DataLocation where;

  /** Selected dimensions; null until the first message (JointState without selection). */
  List<String> names;

  /** JointState without a selection: the joints are those of the first message. */
  boolean namesFromMessage;

  /** For Cartesian kinds: index into x, y, z of each selected dimension. */
  int[] axes;

  String frameId;
  long frameFrom;
  int skipped;

  /** JointState: the joints of the first message seen, for error messages. */
  List<String> jointsSeen;

  /** Full poses: each sample is x, y, z, qx, qy, qz, qw (the quaternion as in the message). */
  final boolean pose;

  BagFieldExtractor(MessageKind kind, List<String> dimensions, DataLocation where)
      throws DemoDataException {
    this(kind, dimensions, false, where);
  }

  BagFieldExtractor(MessageKind kind, List<String> dimensions, boolean pose, DataLocation where)
      throws DemoDataException {
    this.kind = kind;
    this.where = where;
    this.pose = pose;
    if (pose) {
      if (kind.orientationPath == null) {
        throw new DemoDataException(
            where,
            "has type "
                + kind.rosType
                + ", which has no orientation; the pose option needs one of "
                + MessageKind.poseTypes()
                + " (leave it off to read "
                + (kind == MessageKind.JOINT_STATE ? "joint positions" : "positions")
                + ")");
      }
      if (!dimensions.isEmpty()) {
        throw new DemoDataException(
            where.withField("dimensions"),
            "the pose option reads x, y, z and the orientation; it takes no dimension"
                + " selection, got "
                + dimensions);
      }
      axes = new int[] {0, 1, 2};
      names = POSE_NAMES;
      return;
    }
    if (kind == MessageKind.JOINT_STATE) {
      names = dimensions.isEmpty() ? null : List.copyOf(dimensions);
      requireUnique(dimensions);
    } else {
      List<String> sel = dimensions.isEmpty() ? XYZ : dimensions;
      requireUnique(sel);
      axes = new int[sel.size()];
      for (int k = 0; k < sel.size(); k++) {
        axes[k] = XYZ.indexOf(sel.get(k));
        if (axes[k] < 0) {
          throw new DemoDataException(
              where.withField("dimensions"),
              "'"
                  + sel.get(k)
                  + "' is not a dimension of "
                  + kind.rosType
                  + "; choose from "
                  + XYZ);
        }
      }
      names = List.copyOf(sel);
    }
  }

  private void requireUnique(List<String> dims) throws DemoDataException {
    if (dims.size() != dims.stream().distinct().count()) {
      throw new DemoDataException(
          where.withField("dimensions"), "names a dimension twice: " + dims);
    }
  }

  List<String> units() {
    String u = kind == MessageKind.JOINT_STATE ? "rad" : "m";
    List<String> out = new ArrayList<>();
    for (int k = 0; k < names.size(); k++) {
      // A quaternion's components have no unit.
      out.add(pose && k >= 3 ? "" : u);
    }
    return out;
  }

  /** Full poses: the message field of the orientation, e.g. {@code pose.orientation}. */
  String orientationField() {
    return (kind == MessageKind.PATH ? "poses[i]." : "") + String.join(".", kind.orientationPath);
  }

  List<StampedSample> extract(MessageType msg, long index, long recordNs) throws DemoDataException {
    DataLocation at = where;
    try {
      MessageType header = child(msg, "header", MessageType.class, index);
      long stamp = stamp(header, index);
      switch (kind) {
        case JOINT_STATE:
          // Joint positions have no frame; JointState's frame_id is usually empty.
          frameId = "";
          double[] q = joints(msg, index);
          return q == null ? List.of() : List.of(new StampedSample(stamp, recordNs, q));
        case PATH:
          checkFrame(frame(header, index), index, "header.frame_id");
          List<StampedSample> poses = new ArrayList<>();
          List<Field> list = fieldsOrEmpty(child(msg, "poses", ArrayType.class, index));
          for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof MessageType pose)) {
              throw new DemoDataException(
                  at.withField("poses[" + i + "]"), "message " + index + ": not a PoseStamped");
            }
            MessageType poseHeader = child(pose, "header", MessageType.class, index);
            String poseFrame = frame(poseHeader, index);
            // Poses of a Path commonly leave frame_id empty: it is the Path's.
            if (!poseFrame.isEmpty() && !poseFrame.equals(frameId)) {
              throw new DemoDataException(
                  at.withField("poses[" + i + "].header.frame_id"),
                  "message "
                      + index
                      + ": pose in"
                      + " frame '"
                      + poseFrame
                      + "' but the Path is in '"
                      + frameId
                      + "'");
            }
            poses.add(
                new StampedSample(
                    stamp(poseHeader, index),
                    recordNs,
                    position(pose, index, "poses[" + i + "].")));
          }
          return poses;
        default:
          checkFrame(frame(header, index), index, "header.frame_id");
          return List.of(new StampedSample(stamp, recordNs, position(msg, index, "")));
      }
    } catch (UninitializedFieldException e) {
      throw new DemoDataException(
          at,
          "message " + index + " has an unset field (not a" + " standard " + kind.rosType + "?)",
          e);
    }
  }

  private void checkFrame(String frame, long index, String field) throws DemoDataException {
    if (frameId == null) {
      frameId = frame;
      frameFrom = index;
      if (frame.isEmpty()) {
        LOG.warn("{}: messages have an empty frame_id", where);
      }
    } else if (!frameId.equals(frame)) {
      throw new DemoDataException(
          where.withField(field),
          "changes from '"
              + frameId
              + "' (message "
              + frameFrom
              + ") to '"
              + frame
              + "' (message "
              + index
              + "); all demonstrations must be in one frame");
    }
  }

  private double[] position(MessageType msg, long index, String prefix)
      throws UninitializedFieldException, DemoDataException {
    MessageType p = msg;
    for (String f : kind.positionPath) {
      p = child(p, f, MessageType.class, index);
    }
    String path = prefix + String.join(".", kind.positionPath) + ".";
    double[] out = new double[pose ? POSE_NAMES.size() : axes.length];
    for (int k = 0; k < axes.length; k++) {
      String axis = XYZ.get(axes[k]);
      double v = child(p, axis, Float64Type.class, index).getValue();
      if (!Double.isFinite(v)) {
        throw new DemoDataException(where.withField(path + axis), "message " + index + " has " + v);
      }
      out[k] = v;
    }
    if (pose) {
      // Taken as they are: PoseDemos checks them (finite, near unit norm) naming the demo and
      // sample, normalises them and makes their signs continuous.
      MessageType q = msg;
      for (String f : kind.orientationPath) {
        q = child(q, f, MessageType.class, index);
      }
      for (int k = 0; k < 4; k++) {
        out[3 + k] = child(q, QUATERNION.get(k), Float64Type.class, index).getValue();
      }
    }
    return out;
  }

  /** Selected joint positions, or null if the message has none of the selected joints. */
  private double[] joints(MessageType msg, long index)
      throws UninitializedFieldException, DemoDataException {
    List<String> msgNames = new ArrayList<>();
    for (Field f : fieldsOrEmpty(child(msg, "name", ArrayType.class, index))) {
      msgNames.add(((StringType) f).getValue());
    }
    double[] pos = child(msg, "position", ArrayType.class, index).getAsDoubles();
    if (jointsSeen == null) {
      jointsSeen = List.copyOf(msgNames);
    }
    if (pos.length != msgNames.size()) {
      throw new DemoDataException(
          where.withField("position"),
          "message "
              + index
              + " has "
              + pos.length
              + " positions for "
              + msgNames.size()
              + " joint"
              + " names "
              + msgNames);
    }
    if (names == null) {
      if (msgNames.isEmpty()) {
        throw new DemoDataException(where.withField("name"), "message " + index + " has no joints");
      }
      names = List.copyOf(msgNames);
      namesFromMessage = true;
    } else if (namesFromMessage && !names.equals(msgNames)) {
      throw new DemoDataException(
          where.withField("name"),
          "inconsistent joint names:"
              + " message "
              + index
              + " has "
              + msgNames
              + " but the first message had "
              + names
              + ". Choose the joints to use (the dimensions option); messages"
              + " with none of them are then skipped");
    }
    double[] out = new double[names.size()];
    int found = 0;
    String missing = null;
    for (int k = 0; k < names.size(); k++) {
      int j = msgNames.indexOf(names.get(k));
      if (j < 0) {
        missing = missing == null ? names.get(k) : missing;
        continue;
      }
      found++;
      out[k] = pos[j];
      if (!Double.isFinite(out[k])) {
        throw new DemoDataException(
            where.withField("position[" + j + "] (" + names.get(k) + ")"),
            "message " + index + " has " + out[k]);
      }
    }
    if (found == 0) {
      // Another publisher on the same topic (a gripper, a second arm).
      skipped++;
      return null;
    }
    if (missing != null) {
      throw new DemoDataException(
          where.withField("name"),
          "message "
              + index
              + " lacks the requested joint '"
              + missing
              + "'; it has "
              + msgNames
              + " (requested joints: "
              + names
              + ")");
    }
    return out;
  }

  private long stamp(MessageType header, long index)
      throws UninitializedFieldException, DemoDataException {
    return BagChunks.toNanos(child(header, "stamp", TimeType.class, index).getValue());
  }

  private String frame(MessageType header, long index)
      throws UninitializedFieldException, DemoDataException {
    return child(header, "frame_id", StringType.class, index).getValue();
  }

  /**
   * A field of a message, checked: a bag's message definition can differ from the standard one of
   * the same name (a custom package reusing the name, or a damaged definition).
   */
  private <T extends Field> T child(MessageType msg, String name, Class<T> type, long index)
      throws DemoDataException {
    Field f = msg.getField(name);
    if (!type.isInstance(f)) {
      throw new DemoDataException(
          where.withField(name),
          "message "
              + index
              + ": "
              + (f == null ? "no such field" : "field of type " + f.getType())
              + " in "
              + msg.getType()
              + "; the bag's definition of "
              + kind.rosType
              + " is not the standard one");
    }
    return type.cast(f);
  }

  private static List<Field> fieldsOrEmpty(ArrayType array) {
    try {
      return array.getFields();
    } catch (UninitializedFieldException e) {
      // bag-reader reports an empty variable-length array this way.
      return List.of();
    }
  }
}
