package org.diffeomotion.model;

import java.io.IOException;

/**
 * A model file or message that cannot be used: corrupt, truncated, of an unknown version, or
 * inconsistent. The message names the offending field, e.g. {@code
 * blocks[2].net_a.layers[0].weights[7] is NaN}.
 */
public class ModelFormatException extends IOException {
  private static final long serialVersionUID = 1L;
  private final String field;

  public ModelFormatException(String field, String message) {
    super(field.isEmpty() ? message : field + ": " + message);
    this.field = field;
  }

  public ModelFormatException(String field, String message, Throwable cause) {
    super(field.isEmpty() ? message : field + ": " + message, cause);
    this.field = field;
  }

  private ModelFormatException(String field, String message, Throwable cause, boolean raw) {
    super(message, cause);
    this.field = field;
  }

  /** The same problem reported for a named source: {@code "<source>: <field>: <problem>"}. */
  public ModelFormatException in(String source) {
    return new ModelFormatException(field, source + ": " + getMessage(), this, true);
  }

  /** The field path the problem is in, e.g. {@code base.modes[1].p}; empty for the whole file. */
  public String field() {
    return field;
  }
}
