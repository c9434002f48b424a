package org.diffeomotion.trainer.data;

/**
 * Demonstration data that cannot be used: unreadable files, missing topics, bad values, demos that
 * do not share a goal. The message starts with the {@link DataLocation} (file, topic, demo, field)
 * and then says what is wrong and, where there is one, what to do about it; it is meant to be shown
 * to the user as is.
 */
public final class DemoDataException extends Exception {

  private static final long serialVersionUID = 1L;

  private final transient DataLocation location;
  private final String problem;

  /**
   * @param location where the problem is. Not modified.
   * @param problem what is wrong, as a sentence without the location
   */
  public DemoDataException(DataLocation location, String problem) {
    this(location, problem, null);
  }

  /**
   * @param location where the problem is. Not modified.
   * @param problem what is wrong, as a sentence without the location
   * @param cause the underlying exception, or null
   */
  public DemoDataException(DataLocation location, String problem, Throwable cause) {
    super(location + ": " + problem, cause);
    this.location = location;
    this.problem = problem;
  }

  /** Where the problem is. */
  public DataLocation location() {
    return location;
  }

  /** What is wrong, without the location. */
  public String problem() {
    return problem;
  }
}
