package org.diffeomotion.ros1.internal;

import java.util.List;
import java.util.function.Supplier;
import org.diffeomotion.ros1.Clock;
import org.diffeomotion.ros1.Publisher;
import org.diffeomotion.ros1.RosLog;
import org.diffeomotion.ros1.msg.Log;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link RosLog} to SLF4J (logger {@code ros.<node name with dots>}) and, once {@link #attach}ed to
 * the node's /rosout publisher, to /rosout as rosgraph_msgs/Log records naming the caller's file,
 * method and line and the node's published topics.
 */
public final class RosoutLog implements RosLog {

  private final Logger slf4j;
  private final String nodeName;
  private final Clock clock;
  private final Supplier<List<String>> topics;
  private final Log record = new Log();
  private volatile Publisher<Log> rosout;

  public RosoutLog(String nodeName, Clock clock, Supplier<List<String>> topics) {
    this.slf4j = LoggerFactory.getLogger("ros" + nodeName.replace('/', '.'));
    this.nodeName = nodeName;
    this.clock = clock;
    this.topics = topics;
  }

  /** From now on records go to /rosout too. */
  public void attach(Publisher<Log> publisher) {
    rosout = publisher;
  }

  @Override
  public void debug(String msg) {
    slf4j.debug(msg);
    publish(Log.DEBUG, msg);
  }

  @Override
  public void info(String msg) {
    slf4j.info(msg);
    publish(Log.INFO, msg);
  }

  @Override
  public void warn(String msg) {
    slf4j.warn(msg);
    publish(Log.WARN, msg);
  }

  @Override
  public void error(String msg) {
    slf4j.error(msg);
    publish(Log.ERROR, msg);
  }

  @Override
  public void fatal(String msg) {
    slf4j.error("FATAL: {}", msg);
    publish(Log.FATAL, msg);
  }

  private void publish(byte level, String msg) {
    Publisher<Log> p = rosout;
    if (p == null) {
      return;
    }
    StackTraceElement caller = callerFrame();
    synchronized (record) {
      record.header.stampNanos(clock.nowNanos());
      record.level = level;
      record.name(nodeName).msg(msg);
      record.file(caller == null || caller.getFileName() == null ? "" : caller.getFileName());
      record.function(caller == null ? "" : caller.getMethodName());
      record.line = caller == null ? 0 : Math.max(0, caller.getLineNumber());
      record.topics(topics.get().toArray(new String[0]));
      p.publish(record);
    }
  }

  private static StackTraceElement callerFrame() {
    // Frame 0 is callerFrame, 1 publish, 2 info/warn/..., 3 the caller.
    StackTraceElement[] st = new Throwable().getStackTrace();
    return st.length > 3 ? st[3] : null;
  }
}
