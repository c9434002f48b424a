package org.diffeomotion.ros1;

/**
 * Time set from outside, e.g. from /clock messages when {@code /use_sim_time} is true. Reads 0
 * until the first time is set, as roscpp and rospy do.
 */
public final class SimulatedClock implements Clock {

  private volatile long nanos;

  @Override
  public long nowNanos() {
    return nanos;
  }

  /** Sets the current time [ns since the epoch]; a time going backwards is accepted (bag loops). */
  public void set(long timeNanos) {
    nanos = timeNanos;
  }
}
