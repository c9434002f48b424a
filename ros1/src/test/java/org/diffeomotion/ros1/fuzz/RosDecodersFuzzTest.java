package org.diffeomotion.ros1.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.diffeomotion.ros1.internal.ConnectionHeader;
import org.diffeomotion.ros1.internal.XmlRpc;
import org.diffeomotion.ros1.msg.ClockMsg;
import org.diffeomotion.ros1.msg.DynamicReconfigure;
import org.diffeomotion.ros1.msg.GetPlan;
import org.diffeomotion.ros1.msg.Header;
import org.diffeomotion.ros1.msg.JointState;
import org.diffeomotion.ros1.msg.JointTrajectory;
import org.diffeomotion.ros1.msg.JointTrajectoryPoint;
import org.diffeomotion.ros1.msg.Log;
import org.diffeomotion.ros1.msg.Message;
import org.diffeomotion.ros1.msg.MessageFormatException;
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

/**
 * Coverage-guided fuzz tests (Jazzer) of every decoder of bytes from outside the process in the
 * ROS1 stack: XML-RPC calls (the slave API's server side) and responses (the master's and other
 * nodes' answers), the TCPROS connection header, and every message type. The contract: a decoder
 * fails only with its declared exception ({@link IOException} naming the problem, or {@link
 * MessageFormatException}); anything else (an unchecked exception, an error, a hang) is a finding.
 *
 * <p>In the test suite each method replays its committed corpus (regression mode: {@code
 * src/test/resources/org/diffeomotion/ros1/fuzz/RosDecodersFuzzTestInputs/<method>/}),
 * deterministic. {@code scripts/fuzz.sh} runs a campaign through the nested targets' {@code
 * fuzzerTestOneInput} with the Jazzer driver.
 */
class RosDecodersFuzzTest {

  @FuzzTest
  void xmlRpcCall(byte[] data) {
    XmlRpcCall.fuzzerTestOneInput(data);
  }

  @FuzzTest
  void xmlRpcResponse(byte[] data) {
    XmlRpcResponse.fuzzerTestOneInput(data);
  }

  @FuzzTest
  void connectionHeader(byte[] data) {
    TcprosHeader.fuzzerTestOneInput(data);
  }

  @FuzzTest
  void messages(byte[] data) {
    Messages.fuzzerTestOneInput(data);
  }

  /** XML-RPC method calls, as the node's slave API server receives them. */
  public static final class XmlRpcCall {
    public static void fuzzerTestOneInput(byte[] data) {
      try {
        XmlRpc.decodeCall(data);
      } catch (IOException expected) {
        // malformed: named and refused
      }
    }
  }

  /** XML-RPC responses (faults included), as the node's clients receive them. */
  public static final class XmlRpcResponse {
    public static void fuzzerTestOneInput(byte[] data) {
      try {
        XmlRpc.decodeResponse(data);
      } catch (IOException expected) {
        // malformed, or a fault (XmlRpc.Fault is an IOException)
      }
    }
  }

  /** The length-prefixed TCPROS connection header. */
  public static final class TcprosHeader {
    public static void fuzzerTestOneInput(byte[] data) {
      try {
        ConnectionHeader.read(new ByteArrayInputStream(data), "fuzz");
      } catch (IOException expected) {
        // truncated, too long, field without '=': named and refused
      }
    }
  }

  /** Every message type: the first byte picks the type, the rest is the serialized message. */
  public static final class Messages {
    static final List<MessageType<? extends Message>> TYPES =
        List.of(
            ClockMsg.TYPE,
            Header.TYPE,
            JointState.TYPE,
            JointTrajectory.TYPE,
            JointTrajectoryPoint.TYPE,
            Log.TYPE,
            Path.TYPE,
            Point.TYPE,
            PointStamped.TYPE,
            Pose.TYPE,
            PoseStamped.TYPE,
            Quaternion.TYPE,
            Trigger.REQUEST,
            Trigger.RESPONSE,
            Twist.TYPE,
            TwistStamped.TYPE,
            Vector3.TYPE,
            GetPlan.REQUEST,
            GetPlan.RESPONSE,
            DynamicReconfigure.Config.TYPE,
            DynamicReconfigure.ConfigDescription.TYPE,
            org.diffeomotion.ros1.msg.Marker.TYPE);

    public static void fuzzerTestOneInput(byte[] data) {
      if (data.length == 0) {
        return;
      }
      Message m = TYPES.get((data[0] & 0xff) % TYPES.size()).newMessage();
      ByteBuffer b = ByteBuffer.wrap(data, 1, data.length - 1).order(ByteOrder.LITTLE_ENDIAN);
      try {
        m.decode(b);
      } catch (MessageFormatException expected) {
        // truncated or inconsistent lengths: the subscriber drops the message
      }
    }
  }
}
