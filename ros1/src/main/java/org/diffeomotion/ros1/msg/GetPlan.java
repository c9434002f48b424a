package org.diffeomotion.ros1.msg;

import java.nio.ByteBuffer;

/**
 * nav_msgs/GetPlan: a plan (nav_msgs/Path) from a start pose to a goal pose, as global planners
 * serve it. {@code tolerance} [m] is how far the planner may relax the goal.
 */
public final class GetPlan {

  /** start, goal (geometry_msgs/PoseStamped) and tolerance (float32, m). */
  public static final class Request implements Message {
    public final PoseStamped start = new PoseStamped();
    public final PoseStamped goal = new PoseStamped();

    /** [m] (float32 on the wire). */
    public float tolerance;

    @Override
    public int serializedSize() {
      return start.serializedSize() + goal.serializedSize() + 4;
    }

    @Override
    public void encode(ByteBuffer out) {
      start.encode(out);
      goal.encode(out);
      out.putFloat(tolerance);
    }

    @Override
    public void decode(ByteBuffer in) {
      start.decode(in);
      goal.decode(in);
      Ser.need(in, 4, "tolerance");
      tolerance = in.getFloat();
    }
  }

  /** The plan. */
  public static final class Response implements Message {
    public final Path plan = new Path();

    @Override
    public int serializedSize() {
      return plan.serializedSize();
    }

    @Override
    public void encode(ByteBuffer out) {
      plan.encode(out);
    }

    @Override
    public void decode(ByteBuffer in) {
      plan.decode(in);
    }
  }

  public static final MessageType<Request> REQUEST =
      new MessageType<>("nav_msgs/GetPlanRequest", Request::new);
  public static final MessageType<Response> RESPONSE =
      new MessageType<>("nav_msgs/GetPlanResponse", Response::new);
  public static final ServiceType<Request, Response> TYPE =
      new ServiceType<>("nav_msgs/GetPlan", REQUEST, RESPONSE);

  private GetPlan() {}
}
