package org.diffeomotion.ros1.msg;

import java.nio.ByteBuffer;

/**
 * trajectory_msgs/JointTrajectoryPoint: joint targets reached {@code time_from_start} after the
 * header stamp.
 */
public final class JointTrajectoryPoint implements Message {

  public static final MessageType<JointTrajectoryPoint> TYPE =
      new MessageType<>("trajectory_msgs/JointTrajectoryPoint", JointTrajectoryPoint::new);

  /** [rad or m] */
  public double[] positions = new double[0];

  /** [rad/s or m/s] */
  public double[] velocities = new double[0];

  /** [rad/s² or m/s²] */
  public double[] accelerations = new double[0];

  /** [N·m or N] */
  public double[] effort = new double[0];

  /** time_from_start seconds part (int32) [s]. */
  public int timeFromStartSecs;

  /** time_from_start nanoseconds part (int32) [ns]. */
  public int timeFromStartNsecs;

  /** Sets time_from_start from nanoseconds [ns]. */
  public JointTrajectoryPoint timeFromStartNanos(long nanos) {
    timeFromStartSecs = (int) Math.floorDiv(nanos, 1_000_000_000L);
    timeFromStartNsecs = (int) Math.floorMod(nanos, 1_000_000_000L);
    return this;
  }

  @Override
  public int serializedSize() {
    return 16
        + 8 * (positions.length + velocities.length + accelerations.length + effort.length)
        + 8;
  }

  @Override
  public void encode(ByteBuffer out) {
    Ser.putDoubles(out, positions);
    Ser.putDoubles(out, velocities);
    Ser.putDoubles(out, accelerations);
    Ser.putDoubles(out, effort);
    out.putInt(timeFromStartSecs);
    out.putInt(timeFromStartNsecs);
  }

  @Override
  public void decode(ByteBuffer in) {
    positions = Ser.doubles(in, positions, "positions");
    velocities = Ser.doubles(in, velocities, "velocities");
    accelerations = Ser.doubles(in, accelerations, "accelerations");
    effort = Ser.doubles(in, effort, "effort");
    Ser.need(in, 8, "time_from_start");
    timeFromStartSecs = in.getInt();
    timeFromStartNsecs = in.getInt();
  }
}
