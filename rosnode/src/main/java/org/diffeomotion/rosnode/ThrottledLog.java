package org.diffeomotion.rosnode;

/**
 * Rate limit for error logs about bad input: at most one log per kind per period, with the count of
 * suppressed ones. Preallocated; {@link #ready} allocates nothing, so a flood of bad messages costs
 * a clock read each, and a message string is only built when a log is emitted.
 *
 * <p>Calls for one kind come from one subscription (serialized); different kinds may race
 * harmlessly.
 */
final class ThrottledLog {

  private final long periodNanos;
  private final long[] last;
  private final boolean[] used;
  private final long[] suppressed;

  /**
   * @param period shortest time between two logs of one kind [s]
   */
  ThrottledLog(double period) {
    int kinds = ErrorKind.values().length;
    this.periodNanos = (long) (period * 1e9);
    this.last = new long[kinds];
    this.used = new boolean[kinds];
    this.suppressed = new long[kinds];
  }

  /** Whether a log of this kind may be emitted now; counts it as suppressed if not. */
  boolean ready(ErrorKind k) {
    int kind = k.ordinal();
    long now = System.nanoTime();
    if (used[kind] && now - last[kind] < periodNanos) {
      suppressed[kind]++;
      return false;
    }
    used[kind] = true;
    last[kind] = now;
    return true;
  }

  /**
   * A suffix for the emitted log naming how many were suppressed since the last one; resets the
   * count.
   */
  String suppressedSuffix(ErrorKind k) {
    int kind = k.ordinal();
    long n = suppressed[kind];
    suppressed[kind] = 0;
    return n == 0 ? "" : " (" + n + " more like this suppressed)";
  }
}
