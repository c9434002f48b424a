package org.diffeomotion.model;

/**
 * Result codes of the allocation-free evaluation calls ({@code tryRollout}, {@code tryVelocity}):
 * {@link #OK} or a fixed negative code. The throwing variants turn a code into an {@link
 * IllegalArgumentException} whose message names the field and value.
 */
public final class Status {
  public static final int OK = 0;

  /** An input array has the wrong length for the model's state dimension. */
  public static final int ERR_DIMENSION = -1;

  /** A state or time is NaN or infinite. */
  public static final int ERR_NON_FINITE_INPUT = -2;

  /** A time is negative. */
  public static final int ERR_NEGATIVE_TIME = -3;

  /** Times are not sorted in non-decreasing order. */
  public static final int ERR_UNSORTED_TIMES = -4;

  /** More points than the evaluator was sized for. */
  public static final int ERR_TOO_MANY_POINTS = -5;

  /** The result overflowed (a state far outside anything the model was trained on). */
  public static final int ERR_NON_FINITE_RESULT = -6;

  /** An output array is too small for the requested points. */
  public static final int ERR_OUTPUT_TOO_SMALL = -7;

  /** The evaluator was closed ({@link ParallelRollouts#close}). */
  public static final int ERR_CLOSED = -8;

  /** Another thread is using the evaluator ({@link ParallelRollouts}): compute elsewhere. */
  public static final int ERR_BUSY = -9;

  private Status() {}

  /** Short constant description of a code. */
  public static String describe(int code) {
    switch (code) {
      case OK:
        return "ok";
      case ERR_DIMENSION:
        return "wrong dimension";
      case ERR_NON_FINITE_INPUT:
        return "non-finite input";
      case ERR_NEGATIVE_TIME:
        return "negative time";
      case ERR_UNSORTED_TIMES:
        return "unsorted times";
      case ERR_TOO_MANY_POINTS:
        return "too many points";
      case ERR_NON_FINITE_RESULT:
        return "non-finite result";
      case ERR_OUTPUT_TOO_SMALL:
        return "output array too small";
      case ERR_CLOSED:
        return "closed";
      case ERR_BUSY:
        return "busy";
      default:
        return "unknown status " + code;
    }
  }
}
