package org.diffeomotion.trainer.data;

import com.github.swrirobotics.bags.reader.BagFile;
import com.github.swrirobotics.bags.reader.BagReader;
import com.github.swrirobotics.bags.reader.ByteBufferChannel;
import com.github.swrirobotics.bags.reader.exceptions.BagReaderException;
import com.github.swrirobotics.bags.reader.exceptions.UninitializedFieldException;
import com.github.swrirobotics.bags.reader.exceptions.UnknownMessageException;
import com.github.swrirobotics.bags.reader.messages.serialization.ArrayType;
import com.github.swrirobotics.bags.reader.messages.serialization.Field;
import com.github.swrirobotics.bags.reader.messages.serialization.Float64Type;
import com.github.swrirobotics.bags.reader.messages.serialization.MessageType;
import com.github.swrirobotics.bags.reader.messages.serialization.StringType;
import com.github.swrirobotics.bags.reader.messages.serialization.TimeType;
import com.github.swrirobotics.bags.reader.records.ChunkInfo;
import com.github.swrirobotics.bags.reader.records.Connection;
import com.github.swrirobotics.bags.reader.records.Record;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads demonstrations from ROS bags (format 2.0; uncompressed, lz4 or bz2 chunks) with
 * bag-reader-java.
 *
 * <p>Supported message types (auto-detected from the bag's connection records):
 * {@code geometry_msgs/PoseStamped} (pose.position; the orientation is ignored: the models are
 * position-only for now), {@code geometry_msgs/PointStamped} (point),
 * {@code geometry_msgs/TransformStamped} (transform.translation, in header.frame_id),
 * {@code nav_msgs/Odometry} (pose.pose.position), {@code nav_msgs/Path} (one message is one
 * demonstration; times from the stamps of its poses) and {@code sensor_msgs/JointState}
 * (position of the selected joints, by name). Cartesian states are {@code x, y, z} in [m] in the
 * messages' frame_id; joint states are named by joint and taken to be in [rad] (JointState does
 * not say; prismatic joints are in [m]).
 *
 * <p>Times are header stamps. If every stamp on the topic is zero (publishers that do not stamp),
 * the bag's record times are used instead, with a warning; a mix of zero and non-zero stamps is
 * an error. Messages are taken in the order they were recorded; stamps that do not increase are
 * reported as an error by {@link DemonstrationSet#of}, not reordered.
 *
 * <p>Every bag is one demonstration, or, with {@link BagReadOptions#gapThreshold()} &gt; 0, is
 * split into several wherever the stamps jump by more than the threshold. All bags must give the
 * same dimensions and frame.
 */
public final class BagDemoReader implements DemoSource {

    private static final Logger LOG = LoggerFactory.getLogger(BagDemoReader.class);
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final List<String> XYZ = List.of("x", "y", "z");

    private final List<Path> bags;
    private final BagReadOptions options;

    /**
     * @param bags    one or more bag files, read in this order. Not modified.
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
        for (Path bag : bags) {
            BagContent content = readBag(bag);
            if (first == null) {
                first = content;
            } else {
                DataLocation where = DataLocation.of(bag.toString()).withTopic(content.topic);
                if (!content.names.equals(first.names)) {
                    throw new DemoDataException(where.withField("dimensions"), "has dimensions "
                            + content.names + " but " + first.bag + " has " + first.names);
                }
                if (!content.frameId.equals(first.frameId)) {
                    throw new DemoDataException(where.withField("header.frame_id"), "is in frame '"
                            + content.frameId + "' but " + first.bag + " is in frame '"
                            + first.frameId + "'; all demonstrations must be in one frame");
                }
            }
            demos.addAll(content.demos);
        }
        StringBuilder source = new StringBuilder();
        for (Path bag : bags) {
            source.append(source.length() == 0 ? "" : ", ").append(bag);
        }
        source.append(bags.size() == 1 ? " topic " : " (bags) topic ").append(first.topic);
        DemonstrationSet set = DemonstrationSet.of(demos, first.names, first.units, first.frameId,
                source.toString());
        set = StillTrimmer.trim(set, options.trim());
        LOG.info("read {}", set);
        return set;
    }

    /** What one bag gave. */
    private record BagContent(Path bag, String topic, List<String> names, List<String> units,
            String frameId, List<Demonstration> demos) {
    }

    /** One state sample: header stamp and record time [ns since the epoch], values. */
    private record Sample(long stampNs, long recordNs, double[] values) {
    }

    private BagContent readBag(Path bag) throws DemoDataException {
        DataLocation where = DataLocation.of(bag.toString());
        if (!Files.isRegularFile(bag)) {
            throw new DemoDataException(where, Files.exists(bag) ? "is not a regular file"
                    : "file not found");
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
            throw new DemoDataException(where, "cannot be read as a ROS bag (not a bag 2.0 file,"
                    + " truncated or corrupt): " + sentence(e.getMessage()) + " A bag whose"
                    + " recording was interrupted can often be repaired with `rosbag reindex`", e);
        }

        Map<String, String> typeByTopic = topicTypes(file, where);
        String topic = chooseTopic(typeByTopic, topicCounts(file), where);
        where = where.withTopic(topic);
        MessageKind kind = MessageKind.of(typeByTopic.get(topic));
        if (kind == null) {
            throw new DemoDataException(where, "has type " + typeByTopic.get(topic)
                    + ", which is not supported; supported types: " + MessageKind.supportedTypes());
        }

        Extractor extractor = new Extractor(kind, options.dimensions(), where);
        List<List<Sample>> streams = readMessages(file, topic, extractor, where);
        if (extractor.names == null || (kind == MessageKind.PATH && streams.isEmpty())) {
            throw new DemoDataException(where, "has no messages");
        }
        if (extractor.skipped > 0) {
            LOG.info("{}: skipped {} JointState messages without any of the joints {}", where,
                    extractor.skipped, extractor.names);
        }

        List<Demonstration> demos = new ArrayList<>();
        String base = bag.getFileName().toString();
        String source = bag + " topic " + topic;
        if (kind == MessageKind.PATH) {
            for (int m = 0; m < streams.size(); m++) {
                List<Sample> poses = streams.get(m);
                DataLocation msgWhere = where.withDemo("#" + m + " (Path message " + m + ")");
                if (poses.isEmpty()) {
                    throw new DemoDataException(msgWhere.withField("poses"), "is empty");
                }
                if (countZeroStamps(poses) > 0) {
                    throw new DemoDataException(msgWhere.withField("poses[i].header.stamp"),
                            countZeroStamps(poses) + " of " + poses.size() + " poses have a zero"
                            + " stamp; a Path demonstration needs the time of every pose");
                }
                demos.add(toDemo(base + "#" + m, source, poses, false));
            }
        } else {
            List<Sample> samples = streams.isEmpty() ? List.of() : streams.get(0);
            if (samples.isEmpty()) {
                throw new DemoDataException(where, "has no messages"
                        + (extractor.skipped > 0 ? " with the requested joints " + extractor.names
                        + " (" + extractor.skipped + " messages had none of them; joints seen: "
                        + extractor.jointsSeen + ")" : ""));
            }
            boolean useRecordTime = chooseTimeSource(samples, where);
            List<List<Sample>> segments = splitAtGaps(samples, useRecordTime, where);
            for (int s = 0; s < segments.size(); s++) {
                String name = segments.size() == 1 ? base : base + "#" + s;
                demos.add(toDemo(name, source, segments.get(s), useRecordTime));
            }
            if (segments.size() > 1) {
                LOG.info("{}: split into {} demonstrations at gaps > {} s", where,
                        segments.size(), options.gapThreshold());
            }
        }
        return new BagContent(bag, topic, extractor.names, extractor.units(), extractor.frameId,
                demos);
    }

    /** Topic → ROS type; an error if one topic carries two types. */
    private static Map<String, String> topicTypes(BagFile file, DataLocation where)
            throws DemoDataException {
        Map<String, String> out = new TreeMap<>();
        for (Connection c : file.getConnections()) {
            String old = out.putIfAbsent(c.getTopic(), c.getType());
            if (old != null && !old.equals(c.getType())) {
                throw new DemoDataException(where.withTopic(c.getTopic()), "carries two message"
                        + " types, " + old + " and " + c.getType());
            }
        }
        return out;
    }

    /** Topic → message count from the bag's index (empty map if the index cannot say). */
    private static Map<String, Long> topicCounts(BagFile file) {
        Map<String, Long> out = new HashMap<>();
        try {
            for (var info : file.getTopics()) {
                out.put(info.getName(), info.getMessageCount());
            }
        } catch (BagReaderException | RuntimeException e) {
            LOG.debug("no message counts from the bag index", e);
        }
        return out;
    }

    private String chooseTopic(Map<String, String> types, Map<String, Long> counts,
            DataLocation where) throws DemoDataException {
        String wanted = options.topic();
        if (wanted != null) {
            if (!types.containsKey(wanted)) {
                throw new DemoDataException(where.withTopic(wanted), "is not in the bag; topics"
                        + " there: " + describeTopics(types, counts));
            }
            return wanted;
        }
        List<String> candidates = new ArrayList<>();
        for (var e : types.entrySet()) {
            if (MessageKind.of(e.getValue()) != null) {
                candidates.add(e.getKey());
            }
        }
        if (candidates.size() == 1) {
            LOG.info("{}: using topic {} ({}), the only one of a supported type", where,
                    candidates.get(0), types.get(candidates.get(0)));
            return candidates.get(0);
        }
        if (candidates.isEmpty()) {
            throw new DemoDataException(where, "has no topic of a supported type ("
                    + MessageKind.supportedTypes() + "); topics there: "
                    + describeTopics(types, counts));
        }
        Map<String, String> c = new TreeMap<>();
        for (String t : candidates) {
            c.put(t, types.get(t));
        }
        throw new DemoDataException(where, "has several topics of supported types; choose one: "
                + describeTopics(c, counts));
    }

    private static String describeTopics(Map<String, String> types, Map<String, Long> counts) {
        if (types.isEmpty()) {
            return "(none)";
        }
        StringBuilder sb = new StringBuilder();
        for (var e : types.entrySet()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(e.getKey()).append(" (")
                    .append(e.getValue());
            Long n = counts.get(e.getKey());
            if (n != null) {
                sb.append(", ").append(n).append(n == 1 ? " msg" : " msgs");
            }
            sb.append(')');
        }
        return sb.toString();
    }

    /**
     * Reads every message on the topic in recorded order, one chunk at a time. For PATH each
     * message gives one list of samples; otherwise all samples are in one list.
     *
     * <p>This walks the chunks itself instead of using bag-reader-java's {@code MsgIterator},
     * which logs and stops at a damaged chunk: a truncated demonstration must be an error, so
     * the number of messages read is checked against the bag's chunk index.
     */
    private static List<List<Sample>> readMessages(BagFile file, String topic, Extractor extractor,
            DataLocation where) throws DemoDataException {
        Map<Integer, MessageType> typeByConn = new HashMap<>();
        for (Connection c : file.getConnections()) {
            if (c.getTopic().equals(topic)) {
                try {
                    typeByConn.put(c.getConnectionId(), c.getMessageCollection().getMessageType());
                } catch (UnknownMessageException | RuntimeException e) {
                    throw new DemoDataException(where, "its message definition in the bag cannot"
                            + " be parsed: " + e.getMessage(), e);
                }
            }
        }
        List<ChunkInfo> chunks = new ArrayList<>();
        long expected = 0;
        for (ChunkInfo info : file.getChunkInfos()) {
            boolean ours = false;
            for (ChunkInfo.ChunkConnection cc : info.getConnections()) {
                if (typeByConn.containsKey(cc.getConnectionId())) {
                    expected += cc.getMessageCount();
                    ours = true;
                }
            }
            if (ours) {
                chunks.add(info);
            }
        }
        chunks.sort(Comparator.comparingLong(ChunkInfo::getChunkPos));

        List<List<Sample>> out = new ArrayList<>();
        if (extractor.kind != MessageKind.PATH) {
            out.add(new ArrayList<>());
        }
        long index = 0;
        try (FileChannel channel = file.getChannel()) {
            for (ChunkInfo info : chunks) {
                Record chunk = BagFile.recordAt(channel, info.getChunkPos());
                chunk.readData();
                ByteBufferChannel records = new ByteBufferChannel(chunk.getData());
                while (records.position() < records.size()) {
                    Record r = new Record(records);
                    if (r.getHeader().getType() != Record.RecordType.MESSAGE_DATA) {
                        continue;
                    }
                    MessageType mt = typeByConn.get(r.getHeader().getInt("conn"));
                    if (mt == null) {
                        continue;
                    }
                    long recordNs = toNanos(r.getHeader().getTimestamp("time"));
                    // bag-reader's types keep a value once read until reset.
                    mt.reset();
                    mt.readMessage(r.getData().order(ByteOrder.LITTLE_ENDIAN));
                    List<Sample> samples = extractor.extract(mt, index, recordNs);
                    if (extractor.kind == MessageKind.PATH) {
                        out.add(samples);
                    } else {
                        out.get(0).addAll(samples);
                    }
                    index++;
                }
            }
        } catch (IOException | BagReaderException | RuntimeException e) {
            throw new DemoDataException(where, "cannot read message " + index + " (bag corrupt or"
                    + " truncated?): " + e, e);
        }
        if (index != expected) {
            throw new DemoDataException(where, "the bag index lists " + expected + " messages but "
                    + index + " were found; the bag is corrupt (try `rosbag reindex`)");
        }
        return out;
    }

    private static int countZeroStamps(List<Sample> samples) {
        int n = 0;
        for (Sample s : samples) {
            if (s.stampNs == 0) {
                n++;
            }
        }
        return n;
    }

    /** Header stamps unless all are zero; an error if only some are. */
    private static boolean chooseTimeSource(List<Sample> samples, DataLocation where)
            throws DemoDataException {
        int zeros = countZeroStamps(samples);
        if (zeros == 0) {
            return false;
        }
        if (zeros == samples.size()) {
            LOG.warn("{}: all {} header stamps are zero; using the bag's record times instead",
                    where, zeros);
            return true;
        }
        int first = 0;
        while (samples.get(first).stampNs != 0) {
            first++;
        }
        throw new DemoDataException(where.withField("header.stamp"), zeros + " of "
                + samples.size() + " messages have a zero stamp (first: message " + first + ")"
                + " and the others do not; cannot mix stamps with record times");
    }

    private List<List<Sample>> splitAtGaps(List<Sample> samples, boolean useRecordTime,
            DataLocation where) {
        List<List<Sample>> out = new ArrayList<>();
        double gap = options.gapThreshold();
        if (gap <= 0) {
            warnIfGapsLookLikeSeveralDemos(samples, useRecordTime, where);
            out.add(samples);
            return out;
        }
        long gapNs = Math.round(gap * NANOS_PER_SECOND);
        int start = 0;
        for (int i = 1; i < samples.size(); i++) {
            if (time(samples.get(i), useRecordTime) - time(samples.get(i - 1), useRecordTime)
                    > gapNs) {
                out.add(samples.subList(start, i));
                start = i;
            }
        }
        out.add(samples.subList(start, samples.size()));
        return out;
    }

    /**
     * Forgetting the gap threshold on a bag of several demos would train on one long demo (and
     * the goal check cannot notice: one demo always agrees with itself), so say so when a pause
     * is far longer than the typical sample period.
     */
    private static void warnIfGapsLookLikeSeveralDemos(List<Sample> samples,
            boolean useRecordTime, DataLocation where) {
        int n = samples.size();
        if (n < 3) {
            return;
        }
        long[] dt = new long[n - 1];
        for (int i = 1; i < n; i++) {
            dt[i - 1] = time(samples.get(i), useRecordTime)
                    - time(samples.get(i - 1), useRecordTime);
        }
        long[] sorted = dt.clone();
        Arrays.sort(sorted);
        long median = sorted[sorted.length / 2];
        long largest = sorted[sorted.length - 1];
        long threshold = Math.max(20 * median, NANOS_PER_SECOND / 2);
        int pauses = 0;
        for (long d : dt) {
            if (d > threshold) {
                pauses++;
            }
        }
        if (pauses > 0) {
            LOG.warn("{}: read as one demonstration, but the stamps pause {} time(s), up to {} s"
                    + " (typical period {} s); if the bag holds several demonstrations, set a gap"
                    + " threshold", where, pauses, largest / 1e9, median / 1e9);
        }
    }

    private static long time(Sample s, boolean useRecordTime) {
        return useRecordTime ? s.recordNs : s.stampNs;
    }

    /** Times relative to the first sample, from integer nanoseconds (exact to 1 ns). */
    private static Demonstration toDemo(String name, String source, List<Sample> samples,
            boolean useRecordTime) {
        int n = samples.size();
        double[] t = new double[n];
        double[][] y = new double[n][];
        long t0 = time(samples.get(0), useRecordTime);
        for (int i = 0; i < n; i++) {
            t[i] = (time(samples.get(i), useRecordTime) - t0) / 1e9;
            y[i] = samples.get(i).values;
        }
        return new Demonstration(name, source, t, y);
    }

    /** A library message as one sentence ending in exactly one period. */
    private static String sentence(String message) {
        String m = message == null ? "(no detail)" : message.strip();
        return m.endsWith(".") ? m : m + ".";
    }

    /** [ns since the epoch] of a bag-reader timestamp (seconds in getTime, exact nanos). */
    private static long toNanos(Timestamp ts) {
        return Math.floorDiv(ts.getTime(), 1000L) * NANOS_PER_SECOND + ts.getNanos();
    }

    /**
     * Turns one message into samples and keeps what must agree across messages: the dimension
     * names (joint names) and the frame id.
     */
    private static final class Extractor {
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

        Extractor(MessageKind kind, List<String> dimensions, DataLocation where)
                throws DemoDataException {
            this.kind = kind;
            this.where = where;
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
                        throw new DemoDataException(where.withField("dimensions"), "'"
                                + sel.get(k) + "' is not a dimension of " + kind.rosType
                                + "; choose from " + XYZ);
                    }
                }
                names = List.copyOf(sel);
            }
        }

        private void requireUnique(List<String> dims) throws DemoDataException {
            if (dims.size() != dims.stream().distinct().count()) {
                throw new DemoDataException(where.withField("dimensions"),
                        "names a dimension twice: " + dims);
            }
        }

        List<String> units() {
            String u = kind == MessageKind.JOINT_STATE ? "rad" : "m";
            List<String> out = new ArrayList<>();
            for (int k = 0; k < names.size(); k++) {
                out.add(u);
            }
            return out;
        }

        List<Sample> extract(MessageType msg, long index, long recordNs) throws DemoDataException {
            DataLocation at = where;
            try {
                MessageType header = child(msg, "header", MessageType.class, index);
                long stamp = stamp(header, index);
                switch (kind) {
                    case JOINT_STATE:
                        // Joint positions have no frame; JointState's frame_id is usually empty.
                        frameId = "";
                        double[] q = joints(msg, index);
                        return q == null ? List.of() : List.of(new Sample(stamp, recordNs, q));
                    case PATH:
                        checkFrame(frame(header, index), index, "header.frame_id");
                        List<Sample> poses = new ArrayList<>();
                        List<Field> list = fieldsOrEmpty(child(msg, "poses", ArrayType.class,
                                index));
                        for (int i = 0; i < list.size(); i++) {
                            if (!(list.get(i) instanceof MessageType pose)) {
                                throw new DemoDataException(at.withField("poses[" + i + "]"),
                                        "message " + index + ": not a PoseStamped");
                            }
                            MessageType poseHeader = child(pose, "header", MessageType.class,
                                    index);
                            String poseFrame = frame(poseHeader, index);
                            // Poses of a Path commonly leave frame_id empty: it is the Path's.
                            if (!poseFrame.isEmpty() && !poseFrame.equals(frameId)) {
                                throw new DemoDataException(at.withField("poses[" + i
                                        + "].header.frame_id"), "message " + index + ": pose in"
                                        + " frame '" + poseFrame + "' but the Path is in '"
                                        + frameId + "'");
                            }
                            poses.add(new Sample(stamp(poseHeader, index), recordNs,
                                    position(pose, index, "poses[" + i + "].")));
                        }
                        return poses;
                    default:
                        checkFrame(frame(header, index), index, "header.frame_id");
                        return List.of(new Sample(stamp, recordNs, position(msg, index, "")));
                }
            } catch (UninitializedFieldException e) {
                throw new DemoDataException(at, "message " + index + " has an unset field (not a"
                        + " standard " + kind.rosType + "?)", e);
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
                throw new DemoDataException(where.withField(field), "changes from '" + frameId
                        + "' (message " + frameFrom + ") to '" + frame + "' (message " + index
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
            double[] out = new double[axes.length];
            for (int k = 0; k < axes.length; k++) {
                String axis = XYZ.get(axes[k]);
                double v = child(p, axis, Float64Type.class, index).getValue();
                if (!Double.isFinite(v)) {
                    throw new DemoDataException(where.withField(path + axis), "message " + index
                            + " has " + v);
                }
                out[k] = v;
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
                throw new DemoDataException(where.withField("position"), "message " + index
                        + " has " + pos.length + " positions for " + msgNames.size() + " joint"
                        + " names " + msgNames);
            }
            if (names == null) {
                if (msgNames.isEmpty()) {
                    throw new DemoDataException(where.withField("name"), "message " + index
                            + " has no joints");
                }
                names = List.copyOf(msgNames);
                namesFromMessage = true;
            } else if (namesFromMessage && !names.equals(msgNames)) {
                throw new DemoDataException(where.withField("name"), "inconsistent joint names:"
                        + " message " + index + " has " + msgNames + " but the first message had "
                        + names + ". Choose the joints to use (the dimensions option); messages"
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
                    throw new DemoDataException(where.withField("position[" + j + "] ("
                            + names.get(k) + ")"), "message " + index + " has " + out[k]);
                }
            }
            if (found == 0) {
                // Another publisher on the same topic (a gripper, a second arm).
                skipped++;
                return null;
            }
            if (missing != null) {
                throw new DemoDataException(where.withField("name"), "message " + index
                        + " lacks the requested joint '" + missing + "'; it has " + msgNames
                        + " (requested joints: " + names + ")");
            }
            return out;
        }

        private long stamp(MessageType header, long index)
                throws UninitializedFieldException, DemoDataException {
            return toNanos(child(header, "stamp", TimeType.class, index).getValue());
        }

        private String frame(MessageType header, long index)
                throws UninitializedFieldException, DemoDataException {
            return child(header, "frame_id", StringType.class, index).getValue();
        }

        /**
         * A field of a message, checked: a bag's message definition can differ from the standard
         * one of the same name (a custom package reusing the name, or a damaged definition).
         */
        private <T extends Field> T child(MessageType msg, String name, Class<T> type,
                long index) throws DemoDataException {
            Field f = msg.getField(name);
            if (!type.isInstance(f)) {
                throw new DemoDataException(where.withField(name), "message " + index + ": "
                        + (f == null ? "no such field" : "field of type " + f.getType())
                        + " in " + msg.getType() + "; the bag's definition of " + kind.rosType
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
}
