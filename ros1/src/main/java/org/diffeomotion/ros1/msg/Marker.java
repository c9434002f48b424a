package org.diffeomotion.ros1.msg;

import java.nio.ByteBuffer;

/**
 * visualization_msgs/Marker: a shape for rviz. All fields are encoded; the node uses an ARROW given
 * by two points. Reused without allocating: points and colours keep their objects, strings their
 * bytes.
 */
public final class Marker implements Message {

  public static final MessageType<Marker> TYPE =
      new MessageType<>("visualization_msgs/Marker", Marker::new);

  public static final int ARROW = 0;
  public static final int SPHERE = 2;
  public static final int LINE_STRIP = 4;
  public static final int ADD = 0;
  public static final int DELETE = 2;

  public final Header header = new Header();
  private final Ser.Str ns = new Ser.Str();
  public int id;
  public int type;
  public int action;
  public final Pose pose = new Pose();
  public final Vector3 scale = new Vector3();
  public final ColorRGBA color = new ColorRGBA();

  /** Lifetime [ns]; 0 = forever (duration on the wire). */
  public long lifetimeNanos;

  public boolean frameLocked;
  private Point[] points = new Point[0];
  private int pointCount;
  private ColorRGBA[] colors = new ColorRGBA[0];
  private int colorCount;
  private final Ser.Str text = new Ser.Str();
  private final Ser.Str meshResource = new Ser.Str();
  public boolean meshUseEmbeddedMaterials;

  public String ns() {
    return ns.get();
  }

  public Marker ns(String s) {
    ns.set(s);
    return this;
  }

  public String text() {
    return text.get();
  }

  public Marker text(String s) {
    text.set(s);
    return this;
  }

  public int pointCount() {
    return pointCount;
  }

  /** Point {@code i}, 0 ≤ i &lt; {@link #pointCount()}; owned by this message. */
  public Point point(int i) {
    if (i < 0 || i >= pointCount) {
      throw new IndexOutOfBoundsException("point " + i + " of " + pointCount);
    }
    return points[i];
  }

  /** Sets the number of points; existing point objects are kept and reused. */
  public Marker resizePoints(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("point count " + n);
    }
    if (n > points.length) {
      Point[] p = new Point[Math.max(n, 2 * points.length)];
      System.arraycopy(points, 0, p, 0, points.length);
      for (int i = points.length; i < p.length; i++) {
        p[i] = new Point();
      }
      points = p;
    }
    pointCount = n;
    return this;
  }

  public int colorCount() {
    return colorCount;
  }

  @Override
  public int serializedSize() {
    return header.serializedSize()
        + ns.size()
        + 12
        + pose.serializedSize()
        + scale.serializedSize()
        + 16
        + 8
        + 1
        + 4
        + 24 * pointCount
        + 4
        + 16 * colorCount
        + text.size()
        + meshResource.size()
        + 1;
  }

  @Override
  public void encode(ByteBuffer out) {
    header.encode(out);
    ns.encode(out);
    out.putInt(id).putInt(type).putInt(action);
    pose.encode(out);
    scale.encode(out);
    color.encode(out);
    out.putInt((int) (lifetimeNanos / 1_000_000_000L))
        .putInt((int) (lifetimeNanos % 1_000_000_000L));
    out.put((byte) (frameLocked ? 1 : 0));
    out.putInt(pointCount);
    for (int i = 0; i < pointCount; i++) {
      points[i].encode(out);
    }
    out.putInt(colorCount);
    for (int i = 0; i < colorCount; i++) {
      colors[i].encode(out);
    }
    text.encode(out);
    meshResource.encode(out);
    out.put((byte) (meshUseEmbeddedMaterials ? 1 : 0));
  }

  @Override
  public void decode(ByteBuffer in) {
    header.decode(in);
    ns.decode(in, "ns");
    Ser.need(in, 12, "id, type, action");
    id = in.getInt();
    type = in.getInt();
    action = in.getInt();
    pose.decode(in);
    scale.decode(in);
    color.decode(in);
    Ser.need(in, 9, "lifetime, frame_locked");
    long secs = in.getInt();
    long nsecs = in.getInt();
    lifetimeNanos = secs * 1_000_000_000L + nsecs;
    frameLocked = in.get() != 0;
    resizePoints(Ser.length(in, 24, "points"));
    for (int i = 0; i < pointCount; i++) {
      points[i].decode(in);
    }
    int nc = Ser.length(in, 16, "colors");
    if (nc > colors.length) {
      ColorRGBA[] c = new ColorRGBA[nc];
      System.arraycopy(colors, 0, c, 0, colors.length);
      for (int i = colors.length; i < nc; i++) {
        c[i] = new ColorRGBA();
      }
      colors = c;
    }
    colorCount = nc;
    for (int i = 0; i < nc; i++) {
      colors[i].decode(in);
    }
    text.decode(in, "text");
    meshResource.decode(in, "mesh_resource");
    Ser.need(in, 1, "mesh_use_embedded_materials");
    meshUseEmbeddedMaterials = in.get() != 0;
  }
}
