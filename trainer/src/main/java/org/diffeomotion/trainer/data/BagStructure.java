package org.diffeomotion.trainer.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * A structural check of a ROS bag 2.0 file before bag-reader-java parses it: every record's header
 * and data lengths fit the file, and the counts and sizes the library allocates arrays for are
 * consistent with the bytes that carry them. The library trusts them, so a corrupt bag (found by
 * fuzzing: a 40 kB file with a chunk-info count of ~10^9) made it allocate gigabytes and die with
 * {@link OutOfMemoryError}; here it is refused with the record's offset and field.
 *
 * <p>Checked, per top-level record: {@code header_len} and {@code data_len} within the file; header
 * fields {@code len, name=value} within the header; bag header (op 3) connection and chunk counts
 * at most one per 8 bytes of the file; chunk (op 5) uncompressed {@code size} at most {@link
 * #MAX_CHUNK_BYTES}; chunk info (op 6) {@code count} × 8 bytes and index data (op 4) {@code count}
 * × 12 bytes equal to or within the record's data. The records inside an uncompressed chunk get the
 * same checks; compressed chunks are bounded by their size. Reads the file in one pass through a
 * memory map; allocates little.
 */
final class BagStructure {
  static final String MAGIC = "#ROSBAG V2.0\n";

  /** Largest uncompressed chunk accepted [bytes]; rosbag writes 768 kB chunks by default. */
  static final long MAX_CHUNK_BYTES = 256L << 20;

  private BagStructure() {}

  /** Checks {@code bag}; returns normally when the structure is sound. */
  static void check(Path bag, DataLocation where) throws DemoDataException {
    try (FileChannel ch = FileChannel.open(bag, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size > Integer.MAX_VALUE) {
        return; // > 2 GiB: beyond one map; the library's own checks apply
      }
      ByteBuffer b = ch.map(FileChannel.MapMode.READ_ONLY, 0, size).order(ByteOrder.LITTLE_ENDIAN);
      byte[] magic = MAGIC.getBytes(StandardCharsets.US_ASCII);
      if (size < magic.length) {
        throw new DemoDataException(
            where,
            "is not a ROS bag 2.0 file ("
                + size
                + " bytes, shorter than "
                + "the '#ROSBAG V2.0' line)");
      }
      for (int i = 0; i < magic.length; i++) {
        if (b.get(i) != magic[i]) {
          throw new DemoDataException(
              where, "is not a ROS bag 2.0 file (it does not start with " + "'#ROSBAG V2.0')");
        }
      }
      records(b, magic.length, (int) size, size, where, false);
    } catch (IOException e) {
      throw new DemoDataException(where, "cannot be read: " + e.getMessage(), e);
    }
  }

  /** Walks the records in b[from, to); {@code inChunk} for the records of an uncompressed chunk. */
  private static void records(
      ByteBuffer b, int from, int to, long fileSize, DataLocation where, boolean inChunk)
      throws DemoDataException {
    int at = from;
    while (at < to) {
      int recordStart = at;
      if (to - at < 4) {
        // A trailing fragment: a bag cut off mid-write. The library reports it.
        return;
      }
      long headerLen = Integer.toUnsignedLong(b.getInt(at));
      at += 4;
      if (headerLen > to - at) {
        throw bad(
            where,
            recordStart,
            "header_len " + headerLen + " runs past the end (" + (to - at) + " bytes left)",
            inChunk);
      }
      int headerStart = at;
      int headerEnd = at + (int) headerLen;
      Fields f = fields(b, headerStart, headerEnd, where, recordStart, inChunk);
      at = headerEnd;
      if (to - at < 4) {
        return; // truncated before data_len: the library reports it
      }
      long dataLen = Integer.toUnsignedLong(b.getInt(at));
      at += 4;
      if (dataLen > to - at) {
        throw bad(
            where,
            recordStart,
            "data_len " + dataLen + " runs past the end (" + (to - at) + " bytes left)",
            inChunk);
      }
      int dataStart = at;
      at += (int) dataLen;
      switch (f.op) {
        case 3 -> { // bag header
          check(
              f.connCount <= fileSize / 8,
              where,
              recordStart,
              "conn_count " + f.connCount + " is more than the file can hold",
              inChunk);
          check(
              f.chunkCount <= fileSize / 8,
              where,
              recordStart,
              "chunk_count " + f.chunkCount + " is more than the file can hold",
              inChunk);
        }
        case 4 ->
            check(
                f.count <= dataLen / 12,
                where,
                recordStart,
                "index data count "
                    + f.count
                    + " needs "
                    + 12 * f.count
                    + " bytes, the record has "
                    + dataLen,
                inChunk);
        case 5 -> {
          check(
              f.size <= MAX_CHUNK_BYTES,
              where,
              recordStart,
              "chunk size " + f.size + " bytes is over the " + MAX_CHUNK_BYTES + "-byte limit",
              inChunk);
          if ("none".equals(f.compression) && !inChunk) {
            check(
                f.size == dataLen,
                where,
                recordStart,
                "uncompressed chunk size " + f.size + " differs from its data length " + dataLen,
                false);
            records(b, dataStart, dataStart + (int) dataLen, fileSize, where, true);
          }
        }
        case 6 ->
            check(
                f.count <= dataLen / 8,
                where,
                recordStart,
                "chunk info count "
                    + f.count
                    + " needs "
                    + 8 * f.count
                    + " bytes, the record has "
                    + dataLen,
                inChunk);
        default -> {}
      }
    }
  }

  /** The header fields the check needs. Counts are unsigned 32-bit; sizes too. */
  private static final class Fields {
    int op = -1;
    long count;
    long size;
    long connCount;
    long chunkCount;
    String compression = "";
  }

  private static Fields fields(
      ByteBuffer b, int from, int to, DataLocation where, int record, boolean inChunk)
      throws DemoDataException {
    Fields f = new Fields();
    int at = from;
    while (at < to) {
      if (to - at < 4) {
        throw bad(where, record, "a header field length is cut off", inChunk);
      }
      long len = Integer.toUnsignedLong(b.getInt(at));
      at += 4;
      if (len > to - at) {
        throw bad(
            where,
            record,
            "a header field of "
                + len
                + " bytes runs past the header ("
                + (to - at)
                + " bytes left)",
            inChunk);
      }
      int eq = -1;
      for (int i = at; i < at + len; i++) {
        if (b.get(i) == '=') {
          eq = i;
          break;
        }
      }
      if (eq > at) {
        String name = ascii(b, at, eq - at);
        int vAt = eq + 1;
        int vLen = at + (int) len - vAt;
        switch (name) {
          case "op" -> f.op = vLen >= 1 ? b.get(vAt) & 0xff : -1;
          case "count" -> f.count = u32(b, vAt, vLen);
          case "size" -> f.size = u32(b, vAt, vLen);
          case "conn_count" -> f.connCount = u32(b, vAt, vLen);
          case "chunk_count" -> f.chunkCount = u32(b, vAt, vLen);
          case "compression" -> f.compression = ascii(b, vAt, Math.min(vLen, 16));
          default -> {}
        }
      }
      at += (int) len;
    }
    return f;
  }

  private static long u32(ByteBuffer b, int at, int len) {
    return len >= 4 ? Integer.toUnsignedLong(b.getInt(at)) : 0;
  }

  private static String ascii(ByteBuffer b, int at, int len) {
    byte[] s = new byte[Math.min(len, 64)];
    for (int i = 0; i < s.length; i++) {
      s[i] = b.get(at + i);
    }
    return new String(s, StandardCharsets.US_ASCII);
  }

  private static void check(
      boolean ok, DataLocation where, int record, String what, boolean inChunk)
      throws DemoDataException {
    if (!ok) {
      throw bad(where, record, what, inChunk);
    }
  }

  private static DemoDataException bad(
      DataLocation where, int record, String what, boolean inChunk) {
    return new DemoDataException(
        where,
        String.format(
            Locale.ROOT,
            "is corrupt: the record at byte %d%s: %s "
                + "(not a well-formed bag 2.0 file; `rosbag reindex` can repair an interrupted recording)",
            record,
            inChunk ? " (inside an uncompressed chunk)" : "",
            what));
  }
}
