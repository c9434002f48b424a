package org.diffeomotion.ros1.msg;

import java.nio.ByteBuffer;

/** rosgraph_msgs/Log: one log record as published on /rosout. */
public final class Log implements Message {

  public static final MessageType<Log> TYPE = new MessageType<>("rosgraph_msgs/Log", Log::new);

  public static final byte DEBUG = 1;
  public static final byte INFO = 2;
  public static final byte WARN = 4;
  public static final byte ERROR = 8;
  public static final byte FATAL = 16;

  public final Header header = new Header();

  /** One of the level constants. */
  public byte level;

  private final Ser.Str name = new Ser.Str();
  private final Ser.Str msg = new Ser.Str();
  private final Ser.Str file = new Ser.Str();
  private final Ser.Str function = new Ser.Str();

  /** Source line (uint32). */
  public int line;

  private Ser.Str[] topics = new Ser.Str[0];

  public String name() {
    return name.get();
  }

  /** Sets the name of the logging node. */
  public Log name(String s) {
    name.set(s);
    return this;
  }

  public String msg() {
    return msg.get();
  }

  public Log msg(String s) {
    msg.set(s);
    return this;
  }

  public String file() {
    return file.get();
  }

  public Log file(String s) {
    file.set(s);
    return this;
  }

  public String function() {
    return function.get();
  }

  public Log function(String s) {
    function.set(s);
    return this;
  }

  /** Topics the node publishes (a new array). */
  public String[] topics() {
    return Ser.fromStrs(topics);
  }

  public Log topics(String... t) {
    topics = Ser.toStrs(t, topics);
    return this;
  }

  @Override
  public int serializedSize() {
    return header.serializedSize()
        + 1
        + name.size()
        + msg.size()
        + file.size()
        + function.size()
        + 4
        + Ser.stringsSize(topics);
  }

  @Override
  public void encode(ByteBuffer out) {
    header.encode(out);
    out.put(level);
    name.encode(out);
    msg.encode(out);
    file.encode(out);
    function.encode(out);
    out.putInt(line);
    Ser.putStrings(out, topics);
  }

  @Override
  public void decode(ByteBuffer in) {
    header.decode(in);
    Ser.need(in, 1, "level");
    level = in.get();
    name.decode(in, "name");
    msg.decode(in, "msg");
    file.decode(in, "file");
    function.decode(in, "function");
    Ser.need(in, 4, "line");
    line = in.getInt();
    topics = Ser.strings(in, topics, "topics");
  }
}
