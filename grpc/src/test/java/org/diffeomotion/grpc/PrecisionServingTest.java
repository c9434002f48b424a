package org.diffeomotion.grpc;

import static org.diffeomotion.grpc.GrpcFixture.expectStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status.Code;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.diffeomotion.model.ModelArtifacts;
import org.diffeomotion.model.MotionModel;
import org.diffeomotion.model.Precision;
import org.diffeomotion.proto.model.v1.Model;
import org.diffeomotion.proto.motion.v1.ExplicitTimes;
import org.diffeomotion.proto.motion.v1.LoadModelRequest;
import org.diffeomotion.proto.motion.v1.RolloutRequest;
import org.diffeomotion.proto.motion.v1.RolloutResponse;
import org.diffeomotion.proto.motion.v1.TimeGrid;
import org.diffeomotion.proto.motion.v1.VelocityRequest;
import org.diffeomotion.proto.motion.v1.VelocityResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code --precision float}: the same requests served in float and in double agree within the
 * model's stated float bound (1e-4 sigma for positions, FloatPrecisionTest), the goal is reached as
 * exactly as in double, and a model that cannot be evaluated in float is refused at load.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrecisionServingTest {
  /** The model module's bound for float positions within 3 sigma of the goal [sigma]. */
  static final double POSITION_BOUND = 1e-4;

  /** ... and for velocities [sigma/tau, relative to 1 + |v| tau / sigma]. */
  static final double VELOCITY_BOUND = 1e-4;

  private long seed;
  private Path dir;
  private GrpcFixture doubles;
  private GrpcFixture floatsInProcess;
  private GrpcFixture floatsNetty;

  @BeforeAll
  void start() throws Exception {
    seed = GrpcFixture.seed("PrecisionServingTest");
    dir = Files.createTempDirectory("motion-grpc-precision");
    GrpcFixture.writeModels(dir, seed);
    doubles = GrpcFixture.start(GrpcFixture.Transport.IN_PROCESS, dir, ServiceLimits.defaults());
    floatsInProcess =
        GrpcFixture.start(
            GrpcFixture.Transport.IN_PROCESS, dir, ServiceLimits.defaults(), Precision.FLOAT);
    floatsNetty =
        GrpcFixture.start(
            GrpcFixture.Transport.NETTY, dir, ServiceLimits.defaults(), Precision.FLOAT);
  }

  @AfterAll
  void stop() throws Exception {
    try {
      for (GrpcFixture f : new GrpcFixture[] {doubles, floatsInProcess, floatsNetty}) {
        if (f != null) {
          f.close();
        }
      }
    } finally {
      TestFiles.deleteTree(dir);
    }
  }

  private GrpcFixture floats(GrpcFixture.Transport t) {
    return t == GrpcFixture.Transport.IN_PROCESS ? floatsInProcess : floatsNetty;
  }

  private static double[] array(List<Double> values) {
    double[] a = new double[values.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = values.get(i);
    }
    return a;
  }

  @ParameterizedTest
  @EnumSource(GrpcFixture.Transport.class)
  void floatRolloutsAgreeWithDoubleAndEndAtTheGoal(GrpcFixture.Transport t) {
    assertEquals(Precision.FLOAT, floats(t).registry.precision());
    assertEquals(Precision.FLOAT, floats(t).registry.get("ref").precision());
    assertEquals(Precision.DOUBLE, doubles.registry.get("ref").precision());
    Random rnd = new Random(seed);
    for (String name : List.of("ref", "arm3", "aug")) {
      MotionModel m = doubles.registry.get(name).model();
      int d = m.stateDim();
      double[] sigma = m.scale();
      double[] goal = m.goal();
      int n = 201;
      ExplicitTimes.Builder times = ExplicitTimes.newBuilder();
      for (int i = 0; i < n - 1; i++) {
        times.addTimes(i * 6 * m.timeScale() / (n - 2));
      }
      times.addTimes(1000 * m.timeScale()); // the workspace's longest duration
      for (int trial = 0; trial <= 5; trial++) {
        RolloutRequest.Builder req =
            RolloutRequest.newBuilder()
                .setModel(name)
                .setTimes(TimeGrid.newBuilder().setExplicit(times))
                .setIncludeVelocities(true);
        for (int i = 0; i < d; i++) {
          // The last trial starts at the goal: the whole float trajectory must be the goal.
          req.addStart(trial == 5 ? goal[i] : goal[i] + sigma[i] * 3 * (2 * rnd.nextDouble() - 1));
        }
        RolloutResponse rd = doubles.stub().rollout(req.build());
        RolloutResponse rf = floats(t).stub().rollout(req.build());
        double[] yd = array(rd.getStatesList());
        double[] yf = array(rf.getStatesList());
        assertEquals(n * d, yf.length);
        for (int i = 0; i < yd.length; i++) {
          double err = Math.abs(yf[i] - yd[i]) / sigma[i % d];
          assertTrue(
              err <= POSITION_BOUND,
              name + " trial " + trial + ": float vs double " + err + " sigma at value " + i);
        }
        for (int i = 0; i < d; i++) {
          assertEquals(req.getStart(i), yf[i], 1e-9 * sigma[i], name + " y(0), dim " + i);
          // At 1000 tau exp(A s) x0 is below 1e-40 (the fixtures' epsilon is 0.1): F(0) - c.
          assertEquals(goal[i], yf[(n - 1) * d + i], 1e-12 * sigma[i], name + " goal, dim " + i);
          if (trial == 5) {
            for (int j = 0; j < n; j++) {
              assertEquals(goal[i], yf[j * d + i], 1e-12 * sigma[i], name + " at the goal, " + j);
            }
          }
        }
        assertEquals(rd.getArrival().getArrived(), rf.getArrival().getArrived(), name + " arrival");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(GrpcFixture.Transport.class)
  void floatVelocitiesAgreeWithDouble(GrpcFixture.Transport t) {
    Random rnd = new Random(seed + 1);
    MotionModel m = doubles.registry.get("ref").model();
    double[] sigma = m.scale();
    double tau = m.timeScale();
    VelocityRequest.Builder req = VelocityRequest.newBuilder().setModel("ref");
    for (int k = 0; k < 50; k++) {
      for (int i = 0; i < 2; i++) {
        req.addStates(m.goal()[i] + sigma[i] * 3 * (2 * rnd.nextDouble() - 1));
      }
    }
    for (int i = 0; i < 2; i++) {
      req.addStates(m.goal()[i]);
    }
    VelocityResponse vd = doubles.stub().velocity(req.build());
    VelocityResponse vf = floats(t).stub().velocity(req.build());
    double[] a = array(vd.getVelocitiesList());
    double[] b = array(vf.getVelocitiesList());
    for (int i = 0; i < a.length; i++) {
      double unit = sigma[i % 2] / tau;
      double err = Math.abs(b[i] - a[i]) / unit;
      assertTrue(
          err <= VELOCITY_BOUND * (1 + Math.abs(a[i]) / unit),
          "float vs double velocity " + err + " sigma/tau at " + i);
    }
    assertEquals(0.0, b[b.length - 2], 1e-12);
    assertEquals(0.0, b[b.length - 1], 1e-12);
  }

  @Test
  void aModelBeyondFloatRangeIsRefusedInFloatAndServedInDouble() throws Exception {
    Model.Builder p = GrpcFixture.reference(seed).toProto().toBuilder().setName("huge");
    // A first-layer weight: tanh saturates, so the double model is an ordinary one.
    p.getBlocksBuilder(0).getNetABuilder().getLayersBuilder(0).setWeights(0, 1e39);
    // Not *.dmm: the other tests' servers do not load it.
    ModelArtifacts.write(MotionModel.fromProto(p.build()), dir.resolve("sub-huge.bin"));
    LoadModelRequest load = LoadModelRequest.newBuilder().setPath("sub-huge.bin").build();
    try {
      expectStatus(
          Code.FAILED_PRECONDITION,
          () -> floatsInProcess.stub().loadModel(load),
          "sub-huge.bin",
          "cannot be served in precision float",
          "use precision double",
          "unchanged");
      assertEquals(null, floatsInProcess.registry.get("huge"));
      ModelLoadException e =
          assertThrows(
              ModelLoadException.class, () -> floatsNetty.registry.load("sub-huge.bin", ""));
      assertEquals(ModelLoadException.Reason.INVALID_MODEL, e.reason());
      // The double server takes it (under its own name, so that other tests do not see it).
      ModelRegistry own = ModelRegistry.open(dir);
      assertEquals("huge", own.load("sub-huge.bin", "").loaded().name());
    } finally {
      Files.delete(dir.resolve("sub-huge.bin"));
    }
  }

  @Test
  void precisionFlagParsesAndBadValuesAreUsageErrors() throws Exception {
    assertEquals(Precision.DOUBLE, MotionGrpcMain.precision(Map.of()));
    assertEquals(Precision.FLOAT, MotionGrpcMain.precision(Map.of("--precision", "float")));
    assertEquals(Precision.DOUBLE, MotionGrpcMain.precision(Map.of("--precision", "DOUBLE")));
    assertEquals(
        Map.of("--models", "m", "--precision", "float"),
        MotionGrpcMain.parse(new String[] {"--models", "m", "--precision=float"}));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                MotionGrpcMain.configure(
                    Map.of("--models", dir.toString(), "--precision", "half")));
    assertEquals("--precision = half is not a precision: expected double or float", e.getMessage());
    try (MotionGrpcServer s =
        MotionGrpcMain.configure(Map.of("--models", dir.toString(), "--precision", "float"))) {
      assertEquals(Precision.FLOAT, s.service().registry().precision());
      assertEquals(Precision.FLOAT, s.service().registry().get("ref").precision());
    }
    try (MotionGrpcServer s = MotionGrpcMain.configure(Map.of("--models", dir.toString()))) {
      assertEquals(Precision.DOUBLE, s.service().registry().precision());
    }
  }
}
