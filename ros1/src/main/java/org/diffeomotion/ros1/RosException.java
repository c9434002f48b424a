package org.diffeomotion.ros1;

/** A ROS call or connection failed; the message names the call, its subject and the peer. */
public class RosException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RosException(String message) {
    super(message);
  }

  public RosException(String message, Throwable cause) {
    super(message, cause);
  }
}
