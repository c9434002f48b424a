package org.diffeomotion.ros1;

import java.util.List;
import java.util.function.Supplier;

import org.diffeomotion.ros1.msg.Log;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs to SLF4J and, once the node is started, to /rosout as rosgraph_msgs/Log records, so that
 * rqt_console and {@code rostopic echo /rosout} see this node like any other.
 */
public final class RosLog {

    private final Logger slf4j;
    private final String nodeName;
    private final Clock clock;
    private final Supplier<List<String>> topics;
    private final Log record = new Log();
    private volatile Publisher<Log> rosout;

    RosLog(String nodeName, Clock clock, Supplier<List<String>> topics) {
        this.slf4j = LoggerFactory.getLogger("ros" + nodeName.replace('/', '.'));
        this.nodeName = nodeName;
        this.clock = clock;
        this.topics = topics;
    }

    void attach(Publisher<Log> publisher) {
        rosout = publisher;
    }

    public void debug(String msg) {
        slf4j.debug(msg);
        publish(Log.DEBUG, msg);
    }

    public void info(String msg) {
        slf4j.info(msg);
        publish(Log.INFO, msg);
    }

    public void warn(String msg) {
        slf4j.warn(msg);
        publish(Log.WARN, msg);
    }

    public void error(String msg) {
        slf4j.error(msg);
        publish(Log.ERROR, msg);
    }

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
