package org.diffeomotion.ros1;

/**
 * A node's log: each record goes to SLF4J and, once the node is started, to /rosout as a
 * rosgraph_msgs/Log record, so that rqt_console and {@code rostopic echo /rosout} see the node like
 * any other. Thread-safe.
 */
public interface RosLog {

  void debug(String msg);

  void info(String msg);

  void warn(String msg);

  void error(String msg);

  void fatal(String msg);
}
