package org.diffeomotion.ros1;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.diffeomotion.ros1.msg.ClockMsg;
import org.diffeomotion.ros1.msg.DynamicReconfigure;
import org.diffeomotion.ros1.msg.GetPlan;
import org.diffeomotion.ros1.msg.Header;
import org.diffeomotion.ros1.msg.JointState;
import org.diffeomotion.ros1.msg.JointTrajectory;
import org.diffeomotion.ros1.msg.JointTrajectoryPoint;
import org.diffeomotion.ros1.msg.Log;
import org.diffeomotion.ros1.msg.MessageType;
import org.diffeomotion.ros1.msg.Path;
import org.diffeomotion.ros1.msg.Point;
import org.diffeomotion.ros1.msg.PointStamped;
import org.diffeomotion.ros1.msg.Pose;
import org.diffeomotion.ros1.msg.PoseStamped;
import org.diffeomotion.ros1.msg.Quaternion;
import org.diffeomotion.ros1.msg.Trigger;
import org.diffeomotion.ros1.msg.Twist;
import org.diffeomotion.ros1.msg.TwistStamped;
import org.diffeomotion.ros1.msg.Vector3;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Our md5sums (computed from the definitions) against what {@code rosmsg md5} and {@code rossrv
 * md5} print.
 */
@Tag("integration")
class RosmsgMd5Test {

  @Test
  void everyMd5MatchesTheRealTools() throws Exception {
    Map<String, String> ours = new LinkedHashMap<>();
    for (MessageType<?> t :
        new MessageType<?>[] {
          Header.TYPE,
          Point.TYPE,
          Quaternion.TYPE,
          Pose.TYPE,
          PoseStamped.TYPE,
          PointStamped.TYPE,
          Vector3.TYPE,
          Twist.TYPE,
          TwistStamped.TYPE,
          Path.TYPE,
          JointState.TYPE,
          JointTrajectory.TYPE,
          JointTrajectoryPoint.TYPE,
          Log.TYPE,
          ClockMsg.TYPE,
          DynamicReconfigure.Config.TYPE,
          org.diffeomotion.ros1.msg.Marker.TYPE,
          org.diffeomotion.ros1.msg.ColorRGBA.TYPE,
          DynamicReconfigure.ConfigDescription.TYPE
        }) {
      ours.put(t.name(), t.md5());
    }
    StringBuilder script = new StringBuilder();
    for (String t : ours.keySet()) {
      script.append("echo \"").append(t).append(" $(rosmsg md5 ").append(t).append(")\"\n");
    }
    script.append("echo \"std_srvs/Trigger $(rossrv md5 std_srvs/Trigger)\"\n");
    ours.put("std_srvs/Trigger", Trigger.TYPE.md5());
    script.append("echo \"nav_msgs/GetPlan $(rossrv md5 nav_msgs/GetPlan)\"\n");
    ours.put("nav_msgs/GetPlan", GetPlan.TYPE.md5());
    script.append(
        "echo \"dynamic_reconfigure/Reconfigure $(rossrv md5 dynamic_reconfigure/Reconfigure)\"\n");
    ours.put("dynamic_reconfigure/Reconfigure", DynamicReconfigure.Reconfigure.TYPE.md5());
    try (RosTools ros = new RosTools()) {
      RosTools.Result r = ros.run(60_000, "bash", "-c", script.toString());
      assertEquals(0, r.exitCode(), r.output());
      Map<String, String> theirs = new LinkedHashMap<>();
      for (String line : r.output().strip().split("\n")) {
        String[] p = line.strip().split(" ");
        theirs.put(p[0], p.length > 1 ? p[1] : "(none)");
      }
      assertEquals(ours, theirs);
    }
  }
}
