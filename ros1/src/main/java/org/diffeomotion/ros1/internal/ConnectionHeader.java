package org.diffeomotion.ros1.internal;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * TCPROS connection header (wiki.ros.org/ROS/Connection Header): a uint32 total length, then fields
 * each as uint32 length + "key=value". A value may itself contain '=' (message definitions do), so
 * each field is split on its first '='.
 */
public final class ConnectionHeader {

  /** Largest header accepted [bytes]; message definitions of big types are a few tens of KiB. */
  public static final int MAX_BYTES = 1 << 20;

  private ConnectionHeader() {}

  /** Encodes the fields, length prefix included. */
  public static byte[] encode(Map<String, String> fields) {
    int total = 0;
    byte[][] parts = new byte[fields.size()][];
    int i = 0;
    for (Map.Entry<String, String> e : fields.entrySet()) {
      if (e.getKey().isEmpty() || e.getKey().contains("=")) {
        throw new IllegalArgumentException("bad connection header key '" + e.getKey() + "'");
      }
      parts[i] = (e.getKey() + "=" + e.getValue()).getBytes(StandardCharsets.UTF_8);
      total += 4 + parts[i].length;
      i++;
    }
    ByteBuffer b = ByteBuffer.allocate(4 + total).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(total);
    for (byte[] p : parts) {
      b.putInt(p.length);
      b.put(p);
    }
    return b.array();
  }

  /** Decodes a header body (without the total-length prefix). */
  public static Map<String, String> decode(byte[] body, String peer) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
    Map<String, String> out = new LinkedHashMap<>();
    while (b.hasRemaining()) {
      if (b.remaining() < 4) {
        throw new IOException("connection header from " + peer + ": truncated field length");
      }
      int n = b.getInt();
      if (n < 0 || n > b.remaining()) {
        throw new IOException(
            "connection header from "
                + peer
                + ": field length "
                + Integer.toUnsignedLong(n)
                + " exceeds the "
                + b.remaining()
                + " bytes left");
      }
      String field = new String(body, b.position(), n, StandardCharsets.UTF_8);
      b.position(b.position() + n);
      int eq = field.indexOf('=');
      if (eq <= 0) {
        throw new IOException(
            "connection header from "
                + peer
                + ": field without key=value: '"
                + (field.length() > 60 ? field.substring(0, 60) + "..." : field)
                + "'");
      }
      out.put(field.substring(0, eq), field.substring(eq + 1));
    }
    return out;
  }

  /** Reads a length-prefixed header from a stream. */
  public static Map<String, String> read(InputStream in, String peer) throws IOException {
    DataInputStream d = new DataInputStream(in);
    int n = Integer.reverseBytes(d.readInt());
    if (n < 0 || n > MAX_BYTES) {
      throw new IOException(
          "connection header from "
              + peer
              + ": length "
              + Integer.toUnsignedLong(n)
              + " exceeds "
              + MAX_BYTES
              + " bytes");
    }
    byte[] body = new byte[n];
    d.readFully(body);
    return decode(body, peer);
  }

  /** Writes a header and flushes. */
  public static void write(OutputStream out, Map<String, String> fields) throws IOException {
    out.write(encode(fields));
    out.flush();
  }
}
