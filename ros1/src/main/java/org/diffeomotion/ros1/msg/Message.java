package org.diffeomotion.ros1.msg;

import java.nio.ByteBuffer;

/**
 * A ROS message with a hand-written serializer in ROS1 wire format (little-endian, strings and
 * variable arrays prefixed by a uint32 length).
 *
 * <p>Encoding and decoding reuse the object and its arrays: decoding into an instance whose arrays
 * already have the right lengths, and whose strings equal the incoming ones, allocates nothing. The
 * buffers passed in must be {@link java.nio.ByteOrder#LITTLE_ENDIAN}.
 */
public interface Message {

  /** Bytes {@link #encode} will write, without the 4-byte TCPROS length prefix [bytes]. */
  int serializedSize();

  /**
   * Writes this message at the buffer's position.
   *
   * @param out little-endian buffer with at least {@link #serializedSize()} bytes remaining.
   *     Modified.
   */
  void encode(ByteBuffer out);

  /**
   * Reads this message from the buffer's position, replacing every field.
   *
   * @param in little-endian buffer. Modified (position advances).
   * @throws MessageFormatException if the bytes are truncated or a length is impossible
   */
  void decode(ByteBuffer in);
}
