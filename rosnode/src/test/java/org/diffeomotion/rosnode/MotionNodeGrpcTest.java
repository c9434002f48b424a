package org.diffeomotion.rosnode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.diffeomotion.model.ModelArtifacts;
import org.diffeomotion.model.MotionModel;
import org.diffeomotion.proto.motion.v1.ListModelsRequest;
import org.diffeomotion.proto.motion.v1.ListModelsResponse;
import org.diffeomotion.proto.motion.v1.MotionServiceGrpc;
import org.diffeomotion.proto.motion.v1.RolloutRequest;
import org.diffeomotion.proto.motion.v1.RolloutResponse;
import org.diffeomotion.proto.motion.v1.TimeGrid;
import org.diffeomotion.proto.motion.v1.UniformCount;
import org.diffeomotion.ros1.ServiceHandler;
import org.diffeomotion.ros1.msg.PoseStamped;
import org.diffeomotion.ros1.msg.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The motion node's embedded gRPC server (~grpc_port) on a real loopback port. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MotionNodeGrpcTest {

  @TempDir Path dir;

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static RolloutResponse rollout(
      MotionServiceGrpc.MotionServiceBlockingStub stub, String model, double horizon) {
    return stub.withDeadlineAfter(5, TimeUnit.SECONDS)
        .rollout(
            RolloutRequest.newBuilder()
                .setModel(model)
                .addStart(1.5)
                .addStart(-0.75)
                .setTimes(
                    TimeGrid.newBuilder()
                        .setUniformCount(
                            UniformCount.newBuilder().setCount(200).setDuration(horizon)))
                .build());
  }

  @Test
  @SuppressWarnings("unchecked")
  void grpcServesTheNodesModelAndFollowsReloads() throws Exception {
    MotionModel m = MotionNodeTest.cartesian(2, 21);
    Path file = dir.resolve("first.dmm");
    ModelArtifacts.write(m, file);
    int port = freePort();
    FakeRosNode ros = new FakeRosNode();
    MotionNode node =
        new MotionNode(ros, MotionNodeConfig.builder().model(file).grpcPort(port).build(), m);
    ManagedChannel ch =
        Grpc.newChannelBuilderForAddress("127.0.0.1", port, InsecureChannelCredentials.create())
            .build();
    try {
      node.start();
      assertEquals(port, node.grpcPort());
      MotionServiceGrpc.MotionServiceBlockingStub stub = MotionServiceGrpc.newBlockingStub(ch);
      ListModelsResponse list =
          stub.withDeadlineAfter(5, TimeUnit.SECONDS)
              .listModels(ListModelsRequest.getDefaultInstance());
      assertEquals(1, list.getModelsCount());
      assertEquals("m21", list.getModels(0).getName());
      assertEquals("first.dmm", list.getModels(0).getPath());

      // The gRPC rollout equals the ROS plan from the same start (same model, same times).
      PoseStamped start = new PoseStamped();
      start.header.frameId("map");
      start.pose.position.set(1.5, -0.75, 0);
      ros.send("~start", start);
      org.diffeomotion.ros1.msg.Path plan = ros.<org.diffeomotion.ros1.msg.Path>pub("~plan").last;
      RolloutResponse r = rollout(stub, "m21", MotionNodeTest.defaultHorizon(m, 1.5, -0.75));
      assertEquals(200, r.getPointCount());
      for (int j = 0; j < 200; j += 13) {
        assertEquals(plan.pose(j).pose.position.x, r.getStates(2 * j), 1e-12);
        assertEquals(plan.pose(j).pose.position.y, r.getStates(2 * j + 1), 1e-12);
      }

      // A ROS reload of another file in the same directory reaches the gRPC side under the same
      // name.
      MotionModel other = MotionNodeTest.cartesian(2, 22);
      Path second = dir.resolve("second.dmm");
      ModelArtifacts.write(other, second);
      ros.params.put("~model", second.toString());
      Trigger.Response res = new Trigger.Response();
      ((ServiceHandler<Trigger.Request, Trigger.Response>) ros.services.get("~reload"))
          .handle(new Trigger.Request(), res);
      assertTrue(res.success, res.message());
      list =
          stub.withDeadlineAfter(5, TimeUnit.SECONDS)
              .listModels(ListModelsRequest.getDefaultInstance());
      assertEquals("second.dmm", list.getModels(0).getPath());
      ros.send("~start", start);
      RolloutResponse r2 = rollout(stub, "m21", MotionNodeTest.defaultHorizon(other, 1.5, -0.75));
      assertEquals(
          plan.pose(100).pose.position.x,
          r2.getStates(200),
          1e-12,
          "plan object reused: the new plan");
      assertTrue(r2.getGeneration() > r.getGeneration());
    } finally {
      node.close();
    }
    assertEquals(0, node.grpcPort());
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                MotionServiceGrpc.newBlockingStub(ch)
                    .withDeadlineAfter(2, TimeUnit.SECONDS)
                    .listModels(ListModelsRequest.getDefaultInstance()));
    assertEquals(io.grpc.Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.toString());
    ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void aPortInUseFailsTheStartNamingThePort() throws Exception {
    MotionModel m = MotionNodeTest.cartesian(2, 23);
    Path file = dir.resolve("m.dmm");
    ModelArtifacts.write(m, file);
    try (ServerSocket busy = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      FakeRosNode ros = new FakeRosNode();
      MotionNode node =
          new MotionNode(
              ros, MotionNodeConfig.builder().model(file).grpcPort(busy.getLocalPort()).build(), m);
      java.io.IOException e = assertThrows(java.io.IOException.class, node::start);
      assertTrue(e.getMessage().contains("~grpc_port " + busy.getLocalPort()), e.getMessage());
      assertTrue(ros.pubs.isEmpty(), "nothing advertised");
      node.close();
    }
  }
}
