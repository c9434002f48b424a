package org.diffeomotion.ros1.msg;

/** Serialized bytes do not form a valid message of the expected type. */
public final class MessageFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MessageFormatException(String message) {
    super(message);
  }
}
