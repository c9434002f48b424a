package org.diffeomotion.trainer.data;

import java.util.Objects;

/**
 * Where in the input a problem is: the file, the topic, the demonstration and the field. Every part
 * but the source is optional (null). Immutable; the {@code with*} methods return copies.
 *
 * @param source the bag or CSV file (as given by the user), or a description of the data
 * @param topic the ROS topic, or null
 * @param demo the demonstration (index and/or name), or null
 * @param field the message field, CSV column/line, or dimension name, or null
 */
public record DataLocation(String source, String topic, String demo, String field) {

  public DataLocation {
    Objects.requireNonNull(source, "source");
  }

  /** A location that names only the source. */
  public static DataLocation of(String source) {
    return new DataLocation(source, null, null, null);
  }

  public DataLocation withTopic(String newTopic) {
    return new DataLocation(source, newTopic, demo, field);
  }

  public DataLocation withDemo(String newDemo) {
    return new DataLocation(source, topic, newDemo, field);
  }

  public DataLocation withField(String newField) {
    return new DataLocation(source, topic, demo, newField);
  }

  /** For example {@code data/a.bag, topic /pose, demo #2 (a.bag#2), field pose.position.x}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(source);
    if (topic != null) {
      sb.append(", topic ").append(topic);
    }
    if (demo != null) {
      sb.append(", demo ").append(demo);
    }
    if (field != null) {
      sb.append(", field ").append(field);
    }
    return sb.toString();
  }
}
