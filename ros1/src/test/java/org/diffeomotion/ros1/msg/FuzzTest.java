package org.diffeomotion.ros1.msg;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.diffeomotion.ros1.TestSeed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Mutated and truncated bytes fed to every decoder: the only failure allowed is a {@link
 * MessageFormatException} (no underflow, negative sizes or huge allocations), so that a subscriber
 * can drop the message and keep the connection.
 */
@ExtendWith(TestSeed.class)
class FuzzTest {

  private static final long SEED = TestSeed.SEED;

  @Test
  void decodersFailOnlyWithMessageFormatException() {
    Random r = new Random(SEED);
    List<Supplier<Message>> samples =
        List.of(
            () -> {
              JointState j = new JointState().names("a", "bb", "ccc");
              j.position = new double[] {1, 2, 3};
              j.header.frameId("base");
              return j;
            },
            () -> {
              Path p = new Path().resize(3);
              p.header.frameId("map");
              p.pose(1).header.frameId("odom");
              return p;
            },
            () -> {
              JointTrajectory t = new JointTrajectory().jointNames("j1", "j2").resize(2);
              t.point(0).positions = new double[] {1, 2};
              t.point(1).velocities = new double[] {3, 4};
              return t;
            },
            () -> new Log().name("/n").msg("hello").file("F.java").function("f").topics("/a", "/b"),
            () -> new Trigger.Response().message("ok"),
            TwistStamped::new,
            PoseStamped::new,
            PointStamped::new,
            ClockMsg::new);
    List<Supplier<Message>> fresh =
        List.of(
            JointState::new,
            Path::new,
            JointTrajectory::new,
            Log::new,
            Trigger.Response::new,
            TwistStamped::new,
            PoseStamped::new,
            PointStamped::new,
            ClockMsg::new);
    int rejected = 0;
    int accepted = 0;
    for (int k = 0; k < samples.size(); k++) {
      Message m = samples.get(k).get();
      ByteBuffer b = ByteBuffer.allocate(m.serializedSize()).order(ByteOrder.LITTLE_ENDIAN);
      m.encode(b);
      byte[] good = b.array();
      Message target = fresh.get(k).get();
      for (int i = 0; i < 5000; i++) {
        byte[] bad = good.clone();
        int len = bad.length;
        switch (r.nextInt(3)) {
          case 0 -> bad[r.nextInt(bad.length)] = (byte) r.nextInt(256);
          case 1 -> {
            int at = r.nextInt(Math.max(1, bad.length - 3)) & ~3;
            ByteBuffer.wrap(bad)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(Math.min(at, bad.length - 4), r.nextBoolean() ? -1 : r.nextInt());
          }
          default -> len = r.nextInt(bad.length + 1);
        }
        try {
          target.decode(ByteBuffer.wrap(bad, 0, len).order(ByteOrder.LITTLE_ENDIAN));
          accepted++;
        } catch (MessageFormatException e) {
          rejected++;
        }
      }
    }
    // Any other exception type has failed the test already; check both paths were exercised.
    assertTrue(
        rejected > 1000 && accepted > 1000, "rejected " + rejected + ", accepted " + accepted);
  }
}
