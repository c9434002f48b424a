package org.diffeomotion.ros1.msg;

import java.util.function.Supplier;

/**
 * Identity of a ROS message type on the wire: name, md5sum and full definition (both derived from
 * the definition text by {@link Definitions}), plus a factory for reusable instances.
 *
 * @param <T> the Java message class
 */
public final class MessageType<T extends Message> {

  private final String name;
  private final String md5;
  private final String definition;
  private final Supplier<T> factory;

  MessageType(String name, Supplier<T> factory) {
    this.name = name;
    this.md5 = Definitions.md5(name);
    this.definition = Definitions.fullText(name);
    this.factory = factory;
  }

  /**
   * The type of an application's own message: {@code text} is its .msg file's content (see {@link
   * Definitions#define}, which it registers), {@code factory} makes a zeroed instance whose {@link
   * Message#encode} writes the fields in the order of the text.
   *
   * @throws IllegalArgumentException as {@link Definitions#define}, or for a null factory
   */
  public static <T extends Message> MessageType<T> define(
      String name, String text, Supplier<T> factory) {
    if (factory == null) {
      throw new IllegalArgumentException("factory of " + name + " is null");
    }
    Definitions.define(name, text);
    return new MessageType<>(name, factory);
  }

  /** "pkg/Name", e.g. {@code geometry_msgs/TwistStamped}. */
  public String name() {
    return name;
  }

  /** The md5sum, 32 lowercase hex digits. */
  public String md5() {
    return md5;
  }

  /** The full definition text for the {@code message_definition} header field. */
  public String definition() {
    return definition;
  }

  /** A new, zeroed message. */
  public T newMessage() {
    return factory.get();
  }

  @Override
  public String toString() {
    return name + "[" + md5 + "]";
  }
}
