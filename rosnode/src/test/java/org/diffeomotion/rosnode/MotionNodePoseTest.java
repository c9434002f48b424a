package org.diffeomotion.rosnode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Random;
import org.diffeomotion.model.ModelArtifacts;
import org.diffeomotion.model.MotionModel;
import org.diffeomotion.model.PoseMap;
import org.diffeomotion.model.Rollout;
import org.diffeomotion.model.So3;
import org.diffeomotion.model.TimeGrids;
import org.diffeomotion.model.VelocityField;
import org.diffeomotion.model.testing.ModelFactory;
import org.diffeomotion.model.testing.ModelSpec;
import org.diffeomotion.ros1.ServiceHandler;
import org.diffeomotion.ros1.msg.GetPlan;
import org.diffeomotion.ros1.msg.PointStamped;
import org.diffeomotion.ros1.msg.PoseStamped;
import org.diffeomotion.ros1.msg.Trigger;
import org.diffeomotion.ros1.msg.TwistStamped;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The motion node serving a full-pose model (issue 12): plans with the rolled-out orientations,
 * commands with the angular velocity, goal poses, bad orientations refused, reloads between pose
 * and position-only models. Expected values come from the model's own closed form ({@link PoseMap},
 * {@link Rollout}, {@link VelocityField}), driven through a {@link FakeRosNode}.
 */
class MotionNodePoseTest {
  static final long SEED = 1212L;
  static final double[] GOAL_Q = {0.2, -0.3, 0.5, 0.7857};

  @TempDir Path dir;

  static MotionModel poseModel(long seed) {
    return ModelFactory.random(
        new ModelSpec()
            .pose(GOAL_Q)
            .blocks(3)
            .hidden(16)
            .goal(0.4, -0.1, 0.3, 0, 0, 0)
            .scale(0.1, 0.1, 0.1, 0.8, 0.8, 0.8)
            .timeScale(0.7)
            .frameId("map")
            .name("pose" + seed),
        seed);
  }

  /** A pose near the goal position, its orientation {@code angle} rad from the goal's. */
  static double[] randomPose(Random rnd, double angle) {
    double[] axis = {rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()};
    double n = Math.sqrt(axis[0] * axis[0] + axis[1] * axis[1] + axis[2] * axis[2]);
    double[] r = {angle * axis[0] / n, angle * axis[1] / n, angle * axis[2] / n};
    double[] q = new double[4];
    So3.exp(r, 0, q, 0);
    double[] g = GOAL_Q.clone();
    double gn = So3.norm(g, 0);
    for (int i = 0; i < 4; i++) {
      g[i] /= gn;
    }
    double[] out = new double[7];
    out[0] = 0.4 + 0.1 * rnd.nextGaussian();
    out[1] = -0.1 + 0.1 * rnd.nextGaussian();
    out[2] = 0.3 + 0.1 * rnd.nextGaussian();
    So3.multiply(g, 0, q, 0, out, 3);
    return out;
  }

  static PoseStamped msg(String frame, double[] pose) {
    PoseStamped p = new PoseStamped();
    p.header.frameId(frame);
    p.header.seq = 3;
    p.header.stampNanos(2_000_000_000_000L);
    p.pose.position.set(pose[0], pose[1], pose[2]);
    p.pose.orientation.set(pose[3], pose[4], pose[5], pose[6]);
    return p;
  }

  static double[] of(PoseStamped p) {
    return new double[] {
      p.pose.position.x,
      p.pose.position.y,
      p.pose.position.z,
      p.pose.orientation.x,
      p.pose.orientation.y,
      p.pose.orientation.z,
      p.pose.orientation.w
    };
  }

  private Path write(MotionModel m, String name) throws Exception {
    Path f = dir.resolve(name);
    ModelArtifacts.write(m, f);
    return f;
  }

  /**
   * A started node without the background warm-up (~warmup 0): these tests check outputs, and the
   * allocation gates measure the state after warm-up, which a running warm-up is not (its
   * recompiles can send the serving thread through lower-tier kernel code for a moment).
   */
  private MotionNode node(FakeRosNode port, MotionModel m, MotionNodeConfig.Builder cfg)
      throws Exception {
    MotionNode n =
        new MotionNode(
            port, cfg.model(write(m, "model.dmm")).errorLogPeriod(3600).warmup(0).build(), m);
    n.start();
    return n;
  }

  private static org.diffeomotion.ros1.msg.Path plan(FakeRosNode port) {
    return port.<org.diffeomotion.ros1.msg.Path>pub("~plan").last;
  }

  /**
   * The closed-form plan poses (n x 7) from {@code start} at {@code t}, goal pose in {@code map}.
   */
  static double[] expectedPoses(
      MotionModel m, PoseMap map, double[] goal, double[] start, double[] t) {
    double[] y0 = new double[6];
    map.toState(start, 0, y0, 0);
    Rollout r = new Rollout(m, t.length);
    r.setGoal(goal);
    double[] states = r.rollout(y0, t);
    double[] poses = new double[7 * t.length];
    for (int j = 0; j < t.length; j++) {
      map.toPose(states, 6 * j, poses, 7 * j);
    }
    return poses;
  }

  static void assertPlanEquals(double[] expect, org.diffeomotion.ros1.msg.Path path, String what) {
    assertEquals(expect.length / 7, path.size(), what);
    for (int j = 0; j < path.size(); j++) {
      double[] got = of(path.pose(j));
      for (int i = 0; i < 7; i++) {
        assertEquals(expect[7 * j + i], got[i], 1e-12, what + ": pose " + j + " value " + i);
      }
    }
  }

  @Test
  void planPosesAreTheClosedFormRolloutAndReachTheGoalOrientation() throws Exception {
    MotionModel m = poseModel(SEED);
    assertEquals(MotionNode.Space.CARTESIAN, MotionNode.spaceOf(m));
    FakeRosNode port = new FakeRosNode();
    double horizon = 60 * m.timeScale();
    MotionNode n = node(port, m, MotionNodeConfig.builder().points(121).horizon(horizon));
    assertEquals(PoseStamped.TYPE, port.subTypes.get("~goal"), "a pose model's goal is a pose");
    Random rnd = new Random(SEED);
    double[] t = new double[121];
    TimeGrids.fillUniformCount(t, 121, horizon);
    PoseMap map = new PoseMap(m);
    for (int k = 0; k < 5; k++) {
      double[] start = randomPose(rnd, 0.3 + 2.6 * rnd.nextDouble());
      port.send("~start", msg("map", start));
      org.diffeomotion.ros1.msg.Path path = plan(port);
      double[] expect = expectedPoses(m, map, m.goal(), start, t);
      assertPlanEquals(expect, path, "seed " + SEED + " start " + k);
      assertEquals("map", path.header.frameId());
      assertEquals(3, path.header.seq);
      assertEquals(2_000_000_000_000L + (long) (t[60] * 1e9), path.pose(60).header.stampNanos());
      double[] first = of(path.pose(0));
      assertTrue(
          So3.angleBetween(first, 3, start, 3) <= 1e-12,
          "seed " + SEED + ": the plan starts at the start orientation");
      double[] last = of(path.pose(120));
      double angle = So3.angleBetween(last, 3, m.goalOrientation(), 0);
      assertTrue(angle <= 1e-6, "seed " + SEED + " start " + k + ": ends " + angle + " rad off");
      for (int i = 0; i < 3; i++) {
        assertEquals(m.goal()[i], last[i], 1e-9, "seed " + SEED + ": ends at the goal position");
      }
    }
    // ~plan_poses: the same poses as a geometry_msgs/PoseArray (its md5 as ROS derives it).
    assertEquals("916c28c5764443f268b296bb671b9d97", PoseArray.TYPE.md5());
    PoseArray poses = port.<PoseArray>pub("~plan_poses").last;
    assertEquals(121, poses.size());
    assertEquals("map", poses.header.frameId());
    assertEquals(plan(port).header.stampNanos(), poses.header.stampNanos());
    for (int j = 0; j < 121; j++) {
      org.diffeomotion.ros1.msg.Pose a = poses.pose(j);
      double[] b = of(plan(port).pose(j));
      double[] got = {
        a.position.x,
        a.position.y,
        a.position.z,
        a.orientation.x,
        a.orientation.y,
        a.orientation.z,
        a.orientation.w
      };
      assertArrayEquals(b, got, 0.0, "PoseArray pose " + j);
    }
    java.nio.ByteBuffer buf =
        java.nio.ByteBuffer.allocate(poses.serializedSize())
            .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    poses.encode(buf);
    assertEquals(0, buf.remaining(), "serializedSize = encoded bytes");
    buf.flip();
    PoseArray back = new PoseArray();
    back.decode(buf);
    assertEquals(poses.pose(77).orientation.z, back.pose(77).orientation.z, 0.0);
    // A default plan (until arrival) arrives too.
    FakeRosNode port2 = new FakeRosNode();
    MotionNode n2 = node(port2, m, MotionNodeConfig.builder());
    port2.send("~start", msg("map", randomPose(rnd, 2.0)));
    assertEquals(1, n2.plansArrived(), port2.infos.toString());
    assertTrue(port.errors.isEmpty() && port2.errors.isEmpty(), port.errors.toString());
    assertEquals(5, n.plansPublished());
  }

  @Test
  void commandCarriesTheLinearAndAngularVelocityOfTheField() throws Exception {
    MotionModel m = poseModel(SEED + 1);
    FakeRosNode port = new FakeRosNode();
    node(port, m, MotionNodeConfig.builder());
    PoseMap map = new PoseMap(m);
    VelocityField f = new VelocityField(m);
    Random rnd = new Random(SEED + 1);
    FakeRosNode.Pub<TwistStamped> cmd = port.pub("~cmd_vel");
    double[] y = new double[6];
    double[] v = new double[6];
    double[] w = new double[3];
    for (int k = 0; k < 20; k++) {
      double[] state = randomPose(rnd, 3.0 * rnd.nextDouble());
      port.send("~state", msg("map", state));
      map.toState(state, 0, y, 0);
      f.velocity(y, v);
      map.angularVelocity(y, 0, v, 0, w, 0);
      TwistStamped c = cmd.last;
      String s = "seed " + (SEED + 1) + " state " + k;
      assertEquals(v[0], c.twist.linear.x, 1e-12, s);
      assertEquals(v[1], c.twist.linear.y, 1e-12, s);
      assertEquals(v[2], c.twist.linear.z, 1e-12, s);
      assertEquals(w[0], c.twist.angular.x, 1e-12, s);
      assertEquals(w[1], c.twist.angular.y, 1e-12, s);
      assertEquals(w[2], c.twist.angular.z, 1e-12, s);
      assertEquals("map", c.header.frameId(), "the twist is in the frame of the state");
      assertEquals(3, c.header.seq);
    }
    assertEquals(20, cmd.count);
    // At the goal pose the command is zero, linear and angular.
    double[] goalPose = {0.4, -0.1, 0.3, 0, 0, 0, 0};
    System.arraycopy(m.goalOrientation(), 0, goalPose, 3, 4);
    port.send("~state", msg("map", goalPose));
    TwistStamped c = cmd.last;
    double[] all = {
      c.twist.linear.x,
      c.twist.linear.y,
      c.twist.linear.z,
      c.twist.angular.x,
      c.twist.angular.y,
      c.twist.angular.z
    };
    for (double a : all) {
      assertEquals(0, a, 1e-12, "the goal pose is the equilibrium");
    }
  }

  @Test
  void velocityLimitBoundsTheLinearSpeedAndScalesTheAngularPartAlike() throws Exception {
    MotionModel m = poseModel(SEED + 2);
    FakeRosNode port = new FakeRosNode();
    node(port, m, MotionNodeConfig.builder().velocityLimit(0.01));
    PoseMap map = new PoseMap(m);
    VelocityField f = new VelocityField(m);
    double[] state = randomPose(new Random(SEED + 2), 2.0);
    state[0] += 0.3;
    port.send("~state", msg("map", state));
    double[] y = new double[6];
    double[] v = new double[6];
    double[] w = new double[3];
    map.toState(state, 0, y, 0);
    f.velocity(y, v);
    map.angularVelocity(y, 0, v, 0, w, 0);
    double speed = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
    assertTrue(speed > 0.01, "the test needs a state faster than the limit: " + speed);
    double k = 0.01 / speed;
    TwistStamped c = port.<TwistStamped>pub("~cmd_vel").last;
    assertEquals(k * v[0], c.twist.linear.x, 1e-12);
    assertEquals(k * w[1], c.twist.angular.y, 1e-12);
    assertEquals(
        0.01,
        Math.sqrt(
            c.twist.linear.x * c.twist.linear.x
                + c.twist.linear.y * c.twist.linear.y
                + c.twist.linear.z * c.twist.linear.z),
        1e-12);
  }

  @Test
  void goalPoseMovesWherePlansEndAndCommandsStop() throws Exception {
    MotionModel m = poseModel(SEED + 3);
    FakeRosNode port = new FakeRosNode();
    double horizon = 200 * m.timeScale(); // the slowest mode of this seed needs more than 60 tau
    MotionNode n = node(port, m, MotionNodeConfig.builder().points(61).horizon(horizon));
    FakeRosNode.Pub<PoseStamped> current = port.pub("~current_goal_pose");
    assertEquals(1, current.count, "the model's goal pose is announced at start");
    assertEquals(0, So3.angleBetween(of(current.last), 3, m.goalOrientation(), 0), 1e-15);
    double[] goal = {0.45, -0.05, 0.25, 0, 0, Math.sin(0.6), Math.cos(0.6)};
    port.send("~goal", msg("map", goal));
    assertTrue(port.errors.isEmpty(), port.errors.toString());
    assertArrayEquals(new double[] {0.45, -0.05, 0.25, 0, 0, 0}, n.goal());
    assertArrayEquals(
        new double[] {0, 0, Math.sin(0.6), Math.cos(0.6)}, n.goalOrientation(), 1e-15);
    assertEquals(2, current.count);
    assertArrayEquals(goal, of(current.last), 1e-15, "~current_goal_pose follows ~goal");
    assertEquals(0.45, port.<PointStamped>pub("~current_goal").last.point.x);

    double[] start = randomPose(new Random(SEED + 3), 2.2);
    port.send("~start", msg("map", start));
    PoseMap map = new PoseMap(m);
    double[] goalState = map.setGoalPose(goal, 0);
    double[] t = new double[61];
    TimeGrids.fillUniformCount(t, 61, horizon);
    assertPlanEquals(expectedPoses(m, map, goalState, start, t), plan(port), "to the moved goal");
    double[] last = of(plan(port).pose(60));
    double angle = So3.angleBetween(last, 3, goal, 3);
    assertTrue(angle <= 1e-6, "seed " + (SEED + 3) + ": ends " + angle + " rad off the new goal");
    assertEquals(0.25, last[2], 1e-9);

    port.send("~state", msg("map", goal));
    TwistStamped c = port.<TwistStamped>pub("~cmd_vel").last;
    assertEquals(0, c.twist.angular.z, 1e-12, "the new goal pose is the equilibrium");
    assertEquals(0, c.twist.linear.x, 1e-12);

    // Bad goal orientations are refused naming the field; the goal pose stays.
    double[] zero = {0.5, 0, 0.3, 0, 0, 0, 0};
    port.send("~goal", msg("map", zero));
    double[] longQ = {0.5, 0, 0.3, 0, 0, 0, 1.2};
    port.send("~goal", msg("map", longQ));
    assertArrayEquals(new double[] {0.45, -0.05, 0.25, 0, 0, 0}, n.goal());
    assertArrayEquals(
        new double[] {0, 0, Math.sin(0.6), Math.cos(0.6)}, n.goalOrientation(), 1e-15);
    assertEquals(1, port.errors.size(), "throttled: " + port.errors);
    assertTrue(
        port.errors.get(0).contains("~goal: pose.orientation is all zeros (left unset?)"),
        port.errors.toString());
    assertTrue(port.errors.get(0).contains("goal ignored"), port.errors.toString());
  }

  @Test
  void badOrientationsAreRefusedThrottledAndTheNodeKeepsServing() throws Exception {
    MotionModel m = poseModel(SEED + 4);
    FakeRosNode port = new FakeRosNode();
    MotionNode n = node(port, m, MotionNodeConfig.builder().points(20).horizon(1));
    double[] good = randomPose(new Random(SEED + 4), 1.0);
    double[][] bad = {
      {0.4, 0, 0.3, 0, 0, 0, 0}, // unset: what rostopic pub sends without orientation
      {0.4, 0, 0.3, Double.NaN, 0, 0, 1},
      {0.4, 0, 0.3, 0, 0, 0, 1.05},
      {0.4, 0, 0.3, 0, Double.POSITIVE_INFINITY, 0, 1}
    };
    for (int i = 0; i < 100; i++) {
      for (double[] b : bad) {
        port.send("~start", msg("map", b));
        port.send("~state", msg("map", b));
      }
    }
    assertEquals(0, port.pub("~plan").count);
    assertEquals(0, port.pub("~cmd_vel").count);
    assertEquals(800, n.rejected());
    assertEquals(2, port.errors.size(), "one per kind: " + port.errors);
    assertTrue(
        port.errors.get(0).startsWith("~start: pose.orientation is all zeros (left unset?)"),
        port.errors.get(0));
    assertTrue(port.errors.get(0).endsWith("; no plan"), port.errors.get(0));
    assertTrue(
        port.errors.get(1).startsWith("~state: pose.orientation is all zeros"), port.errors.get(1));
    // The messages name the field and the problem for each kind of bad quaternion.
    assertTrue(
        NodeContext.orientationProblem("pose.orientation", msg("", bad[1]).pose.orientation)
            .startsWith("pose.orientation.x is NaN, must be finite"));
    assertTrue(
        NodeContext.orientationProblem("pose.orientation", msg("", bad[2]).pose.orientation)
            .startsWith("pose.orientation has norm 1.05: not a unit quaternion"));
    // Still serving; a quaternion within 1 % of unit is normalised and accepted.
    double[] nearUnit = good.clone();
    for (int i = 3; i < 7; i++) {
      nearUnit[i] *= 1.005;
    }
    port.send("~start", msg("map", nearUnit));
    port.send("~state", msg("map", nearUnit));
    assertEquals(1, port.pub("~plan").count);
    assertEquals(1, port.pub("~cmd_vel").count);
    assertTrue(So3.angleBetween(of(plan(port).pose(0)), 3, good, 3) <= 1e-12);
    // Wrong frame and NaN positions as for position models.
    port.send("~start", msg("odom", good));
    double[] nanP = good.clone();
    nanP[1] = Double.NaN;
    port.send("~state", msg("map", nanP));
    assertEquals(4, port.errors.size(), port.errors.toString());
    assertTrue(port.errors.get(2).contains("frame 'odom' is not the node's frame 'map'"));
    assertTrue(port.errors.get(3).contains("NaN"), port.errors.get(3));
  }

  @Test
  @SuppressWarnings("unchecked")
  void getPlanCarriesOrientationsToTheRequestedGoalPose() throws Exception {
    MotionModel m = poseModel(SEED + 5);
    FakeRosNode port = new FakeRosNode();
    double horizon = 60 * m.timeScale();
    MotionNode n = node(port, m, MotionNodeConfig.builder().points(41).horizon(horizon));
    ServiceHandler<GetPlan.Request, GetPlan.Response> getPlan =
        (ServiceHandler<GetPlan.Request, GetPlan.Response>) port.services.get("~get_plan");
    double[] start = randomPose(new Random(SEED + 5), 2.5);
    double[] goal = {0.35, -0.15, 0.35, Math.sin(0.4), 0, 0, Math.cos(0.4)};
    GetPlan.Request req = new GetPlan.Request();
    req.start.header.frameId("map");
    req.start.pose.position.set(start[0], start[1], start[2]);
    req.start.pose.orientation.set(start[3], start[4], start[5], start[6]);
    req.goal.header.frameId("");
    req.goal.pose.position.set(goal[0], goal[1], goal[2]);
    req.goal.pose.orientation.set(goal[3], goal[4], goal[5], goal[6]);
    GetPlan.Response res = new GetPlan.Response();
    getPlan.handle(req, res);
    PoseMap map = new PoseMap(m);
    double[] goalState = map.setGoalPose(goal, 0);
    double[] t = new double[41];
    TimeGrids.fillUniformCount(t, 41, horizon);
    assertPlanEquals(expectedPoses(m, map, goalState, start, t), res.plan, "~get_plan");
    assertTrue(So3.angleBetween(of(res.plan.pose(40)), 3, goal, 3) <= 1e-6);
    assertEquals(
        0,
        So3.angleBetween(n.goalOrientation(), 0, m.goalOrientation(), 0),
        0.0,
        "the goal pose was for that call only");

    req.goal.pose.orientation.set(0, 0, 0, 0);
    assertMessage(() -> getPlan.handle(req, res), "goal: pose.orientation is all zeros");
    req.goal.pose.orientation.set(goal[3], goal[4], goal[5], goal[6]);
    req.start.pose.orientation.set(0, 0, 0, 2);
    assertMessage(() -> getPlan.handle(req, res), "start: pose.orientation has norm 2.0");
    req.start.pose.orientation.set(start[3], start[4], start[5], start[6]);
    req.start.header.frameId("odom");
    assertMessage(() -> getPlan.handle(req, res), "start: frame 'odom' is not the node's frame");
  }

  @Test
  @SuppressWarnings("unchecked")
  void reloadSwitchesBetweenPoseAndPositionModels() throws Exception {
    MotionModel pose = poseModel(SEED + 6);
    MotionModel position = MotionNodeTest.cartesian(3, 21);
    FakeRosNode port = new FakeRosNode();
    MotionNode n = node(port, pose, MotionNodeConfig.builder().points(30).horizon(2));
    ServiceHandler<Trigger.Request, Trigger.Response> reload =
        (ServiceHandler<Trigger.Request, Trigger.Response>) port.services.get("~reload");
    double[] goal = {0.45, -0.05, 0.25, 0, 0, Math.sin(0.6), Math.cos(0.6)};
    port.send("~goal", msg("map", goal));
    double[] start = randomPose(new Random(SEED + 6), 1.5);
    port.send("~state", msg("map", start)); // the command path sizes itself for d = 6

    port.params.put("~model", write(position, "position.dmm").toString());
    Trigger.Response res = new Trigger.Response();
    reload.handle(new Trigger.Request(), res);
    assertTrue(res.success, res.message());
    assertEquals(3, n.goal().length);
    assertNull(n.goalOrientation());
    port.send("~start", msg("map", start));
    org.diffeomotion.ros1.msg.Path p = plan(port);
    double[] t = new double[30];
    TimeGrids.fillUniformCount(t, 30, 2);
    double[] expect =
        new Rollout(position, 30).rollout(new double[] {start[0], start[1], start[2]}, t);
    assertEquals(expect[3 * 29 + 2], p.pose(29).pose.position.z, 1e-12);
    assertEquals(
        start[6], p.pose(29).pose.orientation.w, "position model: the start's orientation");
    port.send("~state", msg("map", start));
    TwistStamped c = port.<TwistStamped>pub("~cmd_vel").last;
    double[] v = new double[3];
    new VelocityField(position).velocity(new double[] {start[0], start[1], start[2]}, v);
    assertEquals(v[2], c.twist.linear.z, 1e-12);
    assertEquals(0, c.twist.angular.x, 0.0, "no angular part for a position model");
    assertEquals(0, c.twist.angular.z, 0.0);
    // ~goal stays a PoseStamped; its position moves a position model's goal, as ~goal does.
    port.send("~goal", msg("map", new double[] {0.1, 0.2, 0.3, 0, 0, 0, 0}));
    assertArrayEquals(new double[] {0.1, 0.2, 0.3}, n.goal());

    // Back to the pose model: its own goal pose again (the moved one is reset).
    port.params.put("~model", write(pose, "pose.dmm").toString());
    reload.handle(new Trigger.Request(), res);
    assertTrue(res.success, res.message());
    assertTrue(res.message().contains("goal orientation to the model's"), res.message());
    assertArrayEquals(pose.goal(), n.goal());
    assertEquals(0, So3.angleBetween(n.goalOrientation(), 0, pose.goalOrientation(), 0), 0.0);
    port.send("~start", msg("map", start));
    PoseMap map = new PoseMap(pose);
    assertPlanEquals(expectedPoses(pose, map, pose.goal(), start, t), plan(port), "after reload");
    assertTrue(port.errors.isEmpty(), port.errors.toString());

    // A node started with a position model serves a reloaded pose model; ~goal (a PointStamped)
    // then moves the position and keeps the model's goal orientation.
    FakeRosNode port2 = new FakeRosNode();
    MotionNode n2 = node(port2, position, MotionNodeConfig.builder().points(30).horizon(2));
    ServiceHandler<Trigger.Request, Trigger.Response> reload2 =
        (ServiceHandler<Trigger.Request, Trigger.Response>) port2.services.get("~reload");
    port2.params.put("~model", dir.resolve("pose.dmm").toString());
    reload2.handle(new Trigger.Request(), res);
    assertTrue(res.success, res.message());
    assertTrue(res.message().contains("moves the position only"), res.message());
    PointStamped g = new PointStamped();
    g.header.frameId("map");
    g.point.set(0.45, -0.05, 0.25);
    port2.send("~goal", g);
    assertArrayEquals(new double[] {0.45, -0.05, 0.25, 0, 0, 0}, n2.goal());
    port2.send("~start", msg("map", start));
    double[] moved = {0.45, -0.05, 0.25, 0, 0, 0};
    assertPlanEquals(expectedPoses(pose, map, moved, start, t), plan(port2), "position node");
    port2.send("~state", msg("map", start));
    assertFalse(port2.<TwistStamped>pub("~cmd_vel").last.twist.angular.z == 0);

    // Position models of another dimension are still refused, as before.
    port2.params.put("~model", write(MotionNodeTest.cartesian(2, 22), "planar.dmm").toString());
    reload2.handle(new Trigger.Request(), res);
    assertTrue(res.success, "pose (6) -> planar (2) is a pose swap: " + res.message());
    port2.params.put("~model", dir.resolve("position.dmm").toString());
    reload2.handle(new Trigger.Request(), res);
    assertFalse(res.success, "planar (2) -> 3-D is not: " + res.message());
    assertTrue(res.message().contains("state dimension 3 differs from 2"), res.message());
  }

  @Test
  void aShortPlanIsReportedInMetresAndRadians() throws Exception {
    MotionModel m = poseModel(SEED + 9);
    FakeRosNode port = new FakeRosNode();
    MotionNode n = node(port, m, MotionNodeConfig.builder().horizon(0.05 * m.timeScale()));
    port.send("~start", msg("map", randomPose(new Random(SEED + 9), 2.0)));
    assertEquals(1, n.plansNotArrived());
    String warn =
        port.infos.stream().filter(x -> x.startsWith("WARN ~plan from")).findFirst().orElse("");
    assertTrue(
        warn.matches(".* m and \\S+ rad from the goal, moving at \\S+ m/s and \\S+ rad/s .*"),
        warn);
  }

  @Test
  void poseModelNeedsPoseInput() throws Exception {
    MotionModel m = poseModel(SEED + 7);
    Path f = write(m, "pose.dmm");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new MotionNode(
                    new FakeRosNode(),
                    MotionNodeConfig.builder()
                        .model(f)
                        .inputType(MotionNodeConfig.InputType.POINT)
                        .build(),
                    m));
    assertTrue(e.getMessage().startsWith("~input_type point: the model 'pose"), e.getMessage());
  }

  private static void assertMessage(org.junit.jupiter.api.function.Executable call, String part) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }

  // Tag "isolated": a JVM of its own, as MotionNodeTest's gates.
  @Test
  @Tag("isolated")
  void poseStateToCommandAllocatesNothingPerMessage() throws Exception {
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    FakeRosNode port = new FakeRosNode();
    node(port, poseModel(SEED + 8), MotionNodeConfig.builder().velocityLimit(0.1));
    PoseStamped s = msg("map", randomPose(new Random(SEED + 8), 1.0));
    PoseStamped bad = msg("map", new double[] {0.4, 0, 0.3, 0, 0, 0, 0});
    for (int i = 0; i < 20_000; i++) {
      s.pose.position.x = 0.4 + 1e-6 * i;
      port.send("~state", s);
      port.send("~state", bad);
    }
    long bytes = Long.MAX_VALUE;
    // The smallest of three rounds: one-off JIT work (3.2 kB once under load 5) is not per message.
    for (int round = 0; round < 3; round++) {
      long before = mx.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < 100_000; i++) {
        s.pose.position.x = 0.4 - 1e-7 * i;
        port.send("~state", s);
        port.send("~state", bad); // throttled: no string is built
      }
      bytes = Math.min(bytes, mx.getCurrentThreadAllocatedBytes() - before);
    }
    assertEquals(320_000, port.pub("~cmd_vel").count);
    assertTrue(bytes <= 2000, bytes + " bytes allocated by 100k good + 100k bad pose states");
  }
}
