package org.diffeomotion.trainer.data;

import com.github.swrirobotics.bags.reader.BagFile;
import com.github.swrirobotics.bags.reader.ByteBufferChannel;
import com.github.swrirobotics.bags.reader.exceptions.BagReaderException;
import com.github.swrirobotics.bags.reader.exceptions.UnknownMessageException;
import com.github.swrirobotics.bags.reader.messages.serialization.MessageType;
import com.github.swrirobotics.bags.reader.records.ChunkInfo;
import com.github.swrirobotics.bags.reader.records.Connection;
import com.github.swrirobotics.bags.reader.records.Record;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Walks a bag's chunks and decodes the messages of one topic (see {@link #readMessages}). */
final class BagChunks {

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private BagChunks() {}

  /**
   * Reads every message on the topic in recorded order, one chunk at a time. For PATH each message
   * gives one list of samples; otherwise all samples are in one list.
   *
   * <p>This walks the chunks itself instead of using bag-reader-java's {@code MsgIterator}, which
   * logs and stops at a damaged chunk: a truncated demonstration must be an error, so the number of
   * messages read is checked against the bag's chunk index.
   */
  static List<List<StampedSample>> readMessages(
      BagFile file, String topic, BagFieldExtractor extractor, DataLocation where)
      throws DemoDataException {
    Map<Integer, MessageType> typeByConn = new HashMap<>();
    for (Connection c : file.getConnections()) {
      if (c.getTopic().equals(topic)) {
        try {
          typeByConn.put(c.getConnectionId(), c.getMessageCollection().getMessageType());
        } catch (UnknownMessageException | RuntimeException e) {
          throw new DemoDataException(
              where,
              "its message definition in the bag cannot" + " be parsed: " + e.getMessage(),
              e);
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

    List<List<StampedSample>> out = new ArrayList<>();
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
          List<StampedSample> samples = extractor.extract(mt, index, recordNs);
          if (extractor.kind == MessageKind.PATH) {
            out.add(samples);
          } else {
            out.get(0).addAll(samples);
          }
          index++;
        }
      }
    } catch (IOException | BagReaderException | RuntimeException e) {
      throw new DemoDataException(
          where, "cannot read message " + index + " (bag corrupt or" + " truncated?): " + e, e);
    }
    if (index != expected) {
      throw new DemoDataException(
          where,
          "the bag index lists "
              + expected
              + " messages but "
              + index
              + " were found; the bag is corrupt (try `rosbag reindex`)");
    }
    return out;
  }

  /** [ns since the epoch] of a bag-reader timestamp (seconds in getTime, exact nanos). */
  static long toNanos(Timestamp ts) {
    return Math.floorDiv(ts.getTime(), 1000L) * NANOS_PER_SECOND + ts.getNanos();
  }
}
