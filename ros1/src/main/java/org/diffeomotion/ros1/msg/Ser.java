package org.diffeomotion.ros1.msg;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Wire-format helpers shared by the hand-written serializers. */
final class Ser {

  private Ser() {}

  /**
   * A string field together with its UTF-8 bytes, so that encoding the same String twice and
   * decoding the same bytes twice allocate nothing (frame ids and joint names rarely change).
   */
  static final class Str {
    private String value = "";
    private byte[] bytes = new byte[0];

    String get() {
      return value;
    }

    void set(String s) {
      if (s == null) {
        throw new NullPointerException("ROS strings cannot be null");
      }
      if (s != value) {
        value = s;
        bytes = s.getBytes(StandardCharsets.UTF_8);
      }
    }

    int size() {
      return 4 + bytes.length;
    }

    void encode(ByteBuffer out) {
      out.putInt(bytes.length);
      out.put(bytes);
    }

    void decode(ByteBuffer in, String field) {
      int n = length(in, 1, field);
      if (n == bytes.length && equalsAt(in, bytes)) {
        in.position(in.position() + n);
        return;
      }
      byte[] b = new byte[n];
      in.get(b);
      bytes = b;
      value = new String(b, StandardCharsets.UTF_8);
    }

    private static boolean equalsAt(ByteBuffer in, byte[] b) {
      int p = in.position();
      for (int i = 0; i < b.length; i++) {
        if (in.get(p + i) != b[i]) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * Reads a uint32 length prefix and checks it against the bytes left, so that a corrupt or hostile
   * length fails here instead of triggering a huge allocation.
   */
  static int length(ByteBuffer in, int minElementBytes, String field) {
    if (in.remaining() < 4) {
      throw new MessageFormatException("truncated before the length of '" + field + "'");
    }
    int n = in.getInt();
    if (n < 0 || (long) n * minElementBytes > in.remaining()) {
      throw new MessageFormatException(
          "length "
              + Integer.toUnsignedLong(n)
              + " of '"
              + field
              + "' exceeds the "
              + in.remaining()
              + " bytes left");
    }
    return n;
  }

  static void need(ByteBuffer in, int bytes, String field) {
    if (in.remaining() < bytes) {
      throw new MessageFormatException(
          "truncated in '" + field + "': need " + bytes + " bytes, have " + in.remaining());
    }
  }

  static double[] doubles(ByteBuffer in, double[] reuse, String field) {
    int n = length(in, 8, field);
    double[] a = reuse != null && reuse.length == n ? reuse : new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = in.getDouble();
    }
    return a;
  }

  static void putDoubles(ByteBuffer out, double[] a) {
    out.putInt(a.length);
    for (double v : a) {
      out.putDouble(v);
    }
  }

  static Str[] strings(ByteBuffer in, Str[] reuse, String field) {
    int n = length(in, 4, field);
    Str[] a = reuse;
    if (a == null || a.length != n) {
      a = new Str[n];
      for (int i = 0; i < n; i++) {
        a[i] = reuse != null && i < reuse.length ? reuse[i] : new Str();
      }
    }
    for (int i = 0; i < n; i++) {
      a[i].decode(in, field);
    }
    return a;
  }

  static int stringsSize(Str[] a) {
    int s = 4;
    for (Str x : a) {
      s += x.size();
    }
    return s;
  }

  static void putStrings(ByteBuffer out, Str[] a) {
    out.putInt(a.length);
    for (Str x : a) {
      x.encode(out);
    }
  }

  static Str[] toStrs(String[] names, Str[] reuse) {
    Str[] a = reuse != null && reuse.length == names.length ? reuse : new Str[names.length];
    for (int i = 0; i < names.length; i++) {
      if (a[i] == null) {
        a[i] = new Str();
      }
      a[i].set(names[i]);
    }
    return a;
  }

  static String[] fromStrs(Str[] a) {
    String[] out = new String[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i].get();
    }
    return out;
  }
}
