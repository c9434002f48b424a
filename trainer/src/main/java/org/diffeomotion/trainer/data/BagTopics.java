package org.diffeomotion.trainer.data;

import com.github.swrirobotics.bags.reader.BagFile;
import com.github.swrirobotics.bags.reader.exceptions.BagReaderException;
import com.github.swrirobotics.bags.reader.records.Connection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A bag's topics: their types and message counts, and which topic to read. */
final class BagTopics {

  private static final Logger LOG = LoggerFactory.getLogger(BagDemoReader.class);

  private BagTopics() {}

  /** Topic → ROS type; an error if one topic carries two types. */
  static Map<String, String> topicTypes(BagFile file, DataLocation where) throws DemoDataException {
    Map<String, String> out = new TreeMap<>();
    for (Connection c : file.getConnections()) {
      String old = out.putIfAbsent(c.getTopic(), c.getType());
      if (old != null && !old.equals(c.getType())) {
        throw new DemoDataException(
            where.withTopic(c.getTopic()),
            "carries two message" + " types, " + old + " and " + c.getType());
      }
    }
    return out;
  }

  /** Topic → message count from the bag's index (empty map if the index cannot say). */
  static Map<String, Long> topicCounts(BagFile file) {
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

  /**
   * The topic wanted (null: the only one of a supported type), checked against the bag's topics.
   */
  static String chooseTopic(
      String wanted, Map<String, String> types, Map<String, Long> counts, DataLocation where)
      throws DemoDataException {
    if (wanted != null) {
      if (!types.containsKey(wanted)) {
        throw new DemoDataException(
            where.withTopic(wanted),
            "is not in the bag; topics" + " there: " + describeTopics(types, counts));
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
      LOG.info(
          "{}: using topic {} ({}), the only one of a supported type",
          where,
          candidates.get(0),
          types.get(candidates.get(0)));
      return candidates.get(0);
    }
    if (candidates.isEmpty()) {
      throw new DemoDataException(
          where,
          "has no topic of a supported type ("
              + MessageKind.supportedTypes()
              + "); topics there: "
              + describeTopics(types, counts));
    }
    Map<String, String> c = new TreeMap<>();
    for (String t : candidates) {
      c.put(t, types.get(t));
    }
    throw new DemoDataException(
        where, "has several topics of supported types; choose one: " + describeTopics(c, counts));
  }

  private static String describeTopics(Map<String, String> types, Map<String, Long> counts) {
    if (types.isEmpty()) {
      return "(none)";
    }
    StringBuilder sb = new StringBuilder();
    for (var e : types.entrySet()) {
      sb.append(sb.length() == 0 ? "" : ", ").append(e.getKey()).append(" (").append(e.getValue());
      Long n = counts.get(e.getKey());
      if (n != null) {
        sb.append(", ").append(n).append(n == 1 ? " msg" : " msgs");
      }
      sb.append(')');
    }
    return sb.toString();
  }
}
