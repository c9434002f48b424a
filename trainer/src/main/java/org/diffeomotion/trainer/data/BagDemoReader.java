package org.diffeomotion.trainer.data;

import com.github.swrirobotics.bags.reader.BagFile;
import com.github.swrirobotics.bags.reader.BagReader;
import com.github.swrirobotics.bags.reader.exceptions.BagReaderException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads demonstrations from ROS bags (format 2.0; uncompressed, lz4 or bz2 chunks) with
 * bag-reader-java.
 *
 * <p>Supported message types (auto-detected from the bag's connection records): {@code
 * geometry_msgs/PoseStamped} (pose.position; the orientation too with {@link
 * BagReadOptions#pose()}), {@code geometry_msgs/PointStamped} (point), {@code
 * geometry_msgs/TransformStamped} (transform.translation, in header.frame_id), {@code
 * nav_msgs/Odometry} (pose.pose.position), {@code nav_msgs/Path} (one message is one demonstration;
 * times from the stamps of its poses) and {@code sensor_msgs/JointState} (position of the selected
 * joints, by name). Cartesian states are {@code x, y, z} in [m] in the messages' frame_id; joint
 * states are named by joint and taken to be in [rad] (JointState does not say; prismatic joints are
 * in [m]).
 *
 * <p>With {@link BagReadOptions#pose()} the PoseStamped, TransformStamped, Odometry and Path
 * orientations are kept: the samples are read as x, y, z, qx, qy, qz, qw, the quaternions checked,
 * normalised and made sign-continuous ({@link PoseDemos#cleanQuaternions}), still phases trimmed,
 * and the set turned into full poses [x, y, z, r_x, r_y, r_z] relative to the mean end orientation
 * ({@link PoseDemos#toRotationVectors}).
 *
 * <p>Times are header stamps. If every stamp on the topic is zero (publishers that do not stamp),
 * the bag's record times are used instead, with a warning; a mix of zero and non-zero stamps is an
 * error. Messages are taken in the order they were recorded; stamps that do not increase are
 * reported as an error by {@link DemonstrationSet#of}, not reordered.
 *
 * <p>Every bag is one demonstration, or, with {@link BagReadOptions#gapThreshold()} &gt; 0, is
 * split into several wherever the stamps jump by more than the threshold. All bags must give the
 * same dimensions and frame.
 *
 * <p>The parts: {@link BagTopics} (topic types, counts and selection), {@link BagChunks} (walking
 * the chunks, decoding the topic's messages), {@link BagFieldExtractor} (per message type, the
 * fields that make a sample), {@link SampleTimes} (time source, gap splitting and demo times, not
 * specific to bags); this class checks the file and puts the demonstrations together.
 */
public final class BagDemoReader implements DemoSource {

  private static final Logger LOG = LoggerFactory.getLogger(BagDemoReader.class);

  private final List<Path> bags;
  private final BagReadOptions options;

  /**
   * @param bags one or more bag files, read in this order. Not modified.
   * @param options topic, dimensions, segmentation and trimming
   */
  public BagDemoReader(List<Path> bags, BagReadOptions options) {
    this.bags = List.copyOf(Objects.requireNonNull(bags, "bags"));
    this.options = Objects.requireNonNull(options, "options");
    if (this.bags.isEmpty()) {
      throw new IllegalArgumentException("no bag files given");
    }
  }

  /** One bag. */
  public BagDemoReader(Path bag, BagReadOptions options) {
    this(List.of(bag), options);
  }

  @Override
  public DemonstrationSet read() throws DemoDataException {
    List<Demonstration> demos = new ArrayList<>();
    BagContent first = null;
    String orientationField = null;
    for (Path bag : bags) {
      BagContent content = readBag(bag);
      if (first == null) {
        first = content;
      } else {
        DataLocation where = DataLocation.of(bag.toString()).withTopic(content.topic);
        if (!content.names.equals(first.names)) {
          throw new DemoDataException(
              where.withField("dimensions"),
              "has dimensions " + content.names + " but " + first.bag + " has " + first.names);
        }
        if (!content.frameId.equals(first.frameId)) {
          throw new DemoDataException(
              where.withField("header.frame_id"),
              "is in frame '"
                  + content.frameId
                  + "' but "
                  + first.bag
                  + " is in frame '"
                  + first.frameId
                  + "'; all demonstrations must be in one frame");
        }
      }
      if (options.pose()) {
        orientationField = content.orientationField;
        demos.addAll(PoseDemos.cleanQuaternions(content.demos, content.orientationField));
      } else {
        demos.addAll(content.demos);
      }
    }
    StringBuilder source = new StringBuilder();
    for (Path bag : bags) {
      source.append(source.length() == 0 ? "" : ", ").append(bag);
    }
    source.append(bags.size() == 1 ? " topic " : " (bags) topic ").append(first.topic);
    DemonstrationSet set =
        DemonstrationSet.of(demos, first.names, first.units, first.frameId, source.toString());
    set = StillTrimmer.trim(set, options.trim());
    if (options.pose()) {
      // After trimming: the goal orientation is the mean of the demos' final end orientations.
      set = PoseDemos.toRotationVectors(set, orientationField);
    }
    LOG.info("read {}", set);
    return set;
  }

  /** What one bag gave. */
  private record BagContent(
      Path bag,
      String topic,
      List<String> names,
      List<String> units,
      String frameId,
      List<Demonstration> demos,
      String orientationField) {}

  private BagContent readBag(Path bag) throws DemoDataException {
    DataLocation where = DataLocation.of(bag.toString());
    if (!Files.isRegularFile(bag)) {
      throw new DemoDataException(
          where, Files.exists(bag) ? "is not a regular file" : "file not found");
    }
    if (!Files.isReadable(bag)) {
      throw new DemoDataException(where, "is not readable (permissions)");
    }
    // The library trusts the counts and sizes in the file and allocates by them; a corrupt bag
    // would end in OutOfMemoryError instead of an error that names it (BagStructure).
    BagStructure.check(bag, where);
    BagFile file;
    try {
      file = BagReader.readFile(bag.toFile());
    } catch (BagReaderException | RuntimeException e) {
      throw new DemoDataException(
          where,
          "cannot be read as a ROS bag (not a bag 2.0 file,"
              + " truncated or corrupt): "
              + sentence(e.getMessage())
              + " A bag whose"
              + " recording was interrupted can often be repaired with `rosbag reindex`",
          e);
    }

    Map<String, String> typeByTopic = BagTopics.topicTypes(file, where);
    String topic =
        BagTopics.chooseTopic(options.topic(), typeByTopic, BagTopics.topicCounts(file), where);
    where = where.withTopic(topic);
    MessageKind kind = MessageKind.of(typeByTopic.get(topic));
    if (kind == null) {
      throw new DemoDataException(
          where,
          "has type "
              + typeByTopic.get(topic)
              + ", which is not supported; supported types: "
              + MessageKind.supportedTypes());
    }

    BagFieldExtractor extractor =
        new BagFieldExtractor(kind, options.dimensions(), options.pose(), where);
    List<List<StampedSample>> streams = BagChunks.readMessages(file, topic, extractor, where);
    if (extractor.names == null || (kind == MessageKind.PATH && streams.isEmpty())) {
      throw new DemoDataException(where, "has no messages");
    }
    if (extractor.skipped > 0) {
      LOG.info(
          "{}: skipped {} JointState messages without any of the joints {}",
          where,
          extractor.skipped,
          extractor.names);
    }

    List<Demonstration> demos = new ArrayList<>();
    String base = bag.getFileName().toString();
    String source = bag + " topic " + topic;
    if (kind == MessageKind.PATH) {
      for (int m = 0; m < streams.size(); m++) {
        List<StampedSample> poses = streams.get(m);
        DataLocation msgWhere = where.withDemo("#" + m + " (Path message " + m + ")");
        if (poses.isEmpty()) {
          throw new DemoDataException(msgWhere.withField("poses"), "is empty");
        }
        if (SampleTimes.countZeroStamps(poses) > 0) {
          throw new DemoDataException(
              msgWhere.withField("poses[i].header.stamp"),
              SampleTimes.countZeroStamps(poses)
                  + " of "
                  + poses.size()
                  + " poses have a zero"
                  + " stamp; a Path demonstration needs the time of every pose");
        }
        demos.add(SampleTimes.toDemo(base + "#" + m, source, poses, false));
      }
    } else {
      List<StampedSample> samples = streams.isEmpty() ? List.of() : streams.get(0);
      if (samples.isEmpty()) {
        throw new DemoDataException(
            where,
            "has no messages"
                + (extractor.skipped > 0
                    ? " with the requested joints "
                        + extractor.names
                        + " ("
                        + extractor.skipped
                        + " messages had none of them; joints seen: "
                        + extractor.jointsSeen
                        + ")"
                    : ""));
      }
      boolean useRecordTime = SampleTimes.chooseTimeSource(samples, where);
      List<List<StampedSample>> segments =
          SampleTimes.splitAtGaps(samples, useRecordTime, options.gapThreshold(), where);
      for (int s = 0; s < segments.size(); s++) {
        String name = segments.size() == 1 ? base : base + "#" + s;
        demos.add(SampleTimes.toDemo(name, source, segments.get(s), useRecordTime));
      }
      if (segments.size() > 1) {
        LOG.info(
            "{}: split into {} demonstrations at gaps > {} s",
            where,
            segments.size(),
            options.gapThreshold());
      }
    }
    return new BagContent(
        bag,
        topic,
        extractor.names,
        extractor.units(),
        extractor.frameId,
        demos,
        options.pose() ? extractor.orientationField() : null);
  }

  /** A library message as one sentence ending in exactly one period. */
  private static String sentence(String message) {
    String m = message == null ? "(no detail)" : message.strip();
    return m.endsWith(".") ? m : m + ".";
  }
}
