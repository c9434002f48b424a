package org.diffeomotion.rosnode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.diffeomotion.ros1.msg.JointState;
import org.diffeomotion.ros1.msg.JointTrajectory;
import org.diffeomotion.ros1.msg.Message;
import org.diffeomotion.ros1.msg.ServiceType;

/**
 * diffeo_motion/GetJointPlan, the package's own service (its definition is {@code
 * srv/GetJointPlan.srv} at the root of the ROS package, read from the class path so that this type
 * and the file cannot drift apart): the plan of a joint-space model from a start to a goal, as
 * {@code ~get_joint_plan} serves it. The joint-space counterpart of nav_msgs/GetPlan.
 */
public final class GetJointPlan {

  /** start and goal (sensor_msgs/JointState: names and positions; goal empty = goal in force). */
  public static final class Request implements Message {
    public final JointState start = new JointState();
    public final JointState goal = new JointState();

    @Override
    public int serializedSize() {
      return start.serializedSize() + goal.serializedSize();
    }

    @Override
    public void encode(ByteBuffer out) {
      start.encode(out);
      goal.encode(out);
    }

    @Override
    public void decode(ByteBuffer in) {
      start.decode(in);
      goal.decode(in);
    }
  }

  /** The plan (trajectory_msgs/JointTrajectory). */
  public static final class Response implements Message {
    public final JointTrajectory plan = new JointTrajectory();

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

  /** The .srv file's content, as shipped in srv/GetJointPlan.srv. */
  public static final String SRV_TEXT = resource("srv/GetJointPlan.srv");

  public static final ServiceType<Request, Response> TYPE =
      ServiceType.define("diffeo_motion/GetJointPlan", SRV_TEXT, Request::new, Response::new);

  private GetJointPlan() {}

  private static String resource(String name) {
    try (InputStream in = GetJointPlan.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(
            name + " is not on the class path next to " + GetJointPlan.class.getName());
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
