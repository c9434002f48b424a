package org.diffeomotion.ros1;

/**
 * The node's notion of time, so that simulated time (/clock) can replace wall time without touching
 * the code that stamps messages.
 */
@FunctionalInterface
public interface Clock {

  /** Current time since the Unix epoch [ns]. */
  long nowNanos();

  /** Wall-clock time from {@link System#currentTimeMillis()} refined by nanoTime. */
  static Clock wall() {
    long offset = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
    return () -> offset + System.nanoTime();
  }
}
