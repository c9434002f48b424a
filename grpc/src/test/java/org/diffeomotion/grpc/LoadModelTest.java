package org.diffeomotion.grpc;

import static org.diffeomotion.grpc.GrpcFixture.expectStatus;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status.Code;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.diffeomotion.model.ModelArtifacts;
import org.diffeomotion.model.MotionModel;
import org.diffeomotion.model.Rollout;
import org.diffeomotion.model.testing.ModelFactory;
import org.diffeomotion.model.testing.ModelSpec;
import org.diffeomotion.proto.motion.v1.LoadModelRequest;
import org.diffeomotion.proto.motion.v1.LoadModelResponse;
import org.diffeomotion.proto.motion.v1.ReloadModelRequest;
import org.diffeomotion.proto.motion.v1.RolloutRequest;
import org.diffeomotion.proto.motion.v1.RolloutResponse;
import org.diffeomotion.proto.motion.v1.TimeGrid;
import org.diffeomotion.proto.motion.v1.UniformCount;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** LoadModel / ReloadModel: confinement to the model directory, validation, hot swap. */
class LoadModelTest {
  private long seed;
  private Path root;
  private Path dir;
  private GrpcFixture fx;

  @BeforeEach
  void start() throws Exception {
    seed = GrpcFixture.seed("LoadModelTest");
    root = Files.createTempDirectory("motion-grpc-load");
    dir = Files.createDirectories(root.resolve("models"));
    GrpcFixture.writeModels(dir, seed);
    fx = GrpcFixture.start(GrpcFixture.Transport.NETTY, dir, ServiceLimits.defaults());
  }

  @AfterEach
  void stop() throws Exception {
    if (fx != null) {
      fx.close();
    }
    TestFiles.deleteTree(root);
  }

  private LoadModelResponse load(String path, String name) {
    return fx.stub().loadModel(LoadModelRequest.newBuilder().setPath(path).setName(name).build());
  }

  @Test
  void pathsOutsideTheDirectoryAreRefused() throws Exception {
    // A valid model just outside the directory: reachable only by escaping.
    ModelArtifacts.write(GrpcFixture.reference(seed + 100), root.resolve("outside.dmm"));
    Files.createSymbolicLink(dir.resolve("escape.dmm"), root.resolve("outside.dmm"));
    Files.createSymbolicLink(dir.resolve("up"), root);
    Files.createDirectories(dir.resolve("sub"));
    Files.createSymbolicLink(dir.resolve("sub/inside.dmm"), dir.resolve("ref.dmm"));

    expectStatus(Code.PERMISSION_DENIED, () -> load("../outside.dmm", ""), "contains '..'");
    expectStatus(Code.PERMISSION_DENIED, () -> load("sub/../../outside.dmm", ""), "contains '..'");
    expectStatus(
        Code.PERMISSION_DENIED,
        () -> load(root.resolve("outside.dmm").toString(), ""),
        "is absolute");
    expectStatus(Code.PERMISSION_DENIED, () -> load("escape.dmm", ""), "symbolic link");
    expectStatus(Code.PERMISSION_DENIED, () -> load("up/outside.dmm", ""), "symbolic link");
    expectStatus(Code.INVALID_ARGUMENT, () -> load("", ""), "path: must name a model file");
    expectStatus(Code.INVALID_ARGUMENT, () -> load("a\0b.dmm", ""), "not a valid file path");
    expectStatus(Code.NOT_FOUND, () -> load("missing.dmm", ""), "missing.dmm does not exist");
    expectStatus(
        Code.FAILED_PRECONDITION,
        () -> load("sub", ""),
        "path: sub is a directory, not a model file");
    // 300 MB (sparse: no disk used) is over the 256 MiB limit: refused before reading.
    try (java.io.RandomAccessFile f =
        new java.io.RandomAccessFile(dir.resolve("huge.dmm").toFile(), "rw")) {
      f.setLength(300L << 20);
    }
    expectStatus(
        Code.RESOURCE_EXHAUSTED,
        () -> load("huge.dmm", ""),
        "path: huge.dmm is 314572800 bytes, larger than the 268435456-byte limit");
    Files.delete(dir.resolve("huge.dmm"));
    assertEquals(List.of("arm3", "aug", "ref"), fx.registry.names(), "nothing was added");

    // A link that stays inside the directory is fine.
    LoadModelResponse r = load("sub/inside.dmm", "ref_copy");
    assertEquals("ref_copy", r.getModel().getName());
    assertEquals("sub/inside.dmm", r.getModel().getPath());
    assertFalse(r.getReplaced());
    // So is a detour through a link whose real path ends inside again.
    assertEquals("up/models/ref.dmm", load("up/models/ref.dmm", "via_up").getModel().getPath());
  }

  @Test
  void invalidFileKeepsTheServedModel() throws Exception {
    ServedModel before = fx.registry.get("ref");
    byte[] good = Files.readAllBytes(dir.resolve("ref.dmm"));
    byte[] bad = good.clone();
    bad[bad.length / 2] ^= 0x5a;
    Files.write(dir.resolve("ref.dmm"), bad);
    expectStatus(
        Code.FAILED_PRECONDITION,
        () -> fx.stub().reloadModel(ReloadModelRequest.newBuilder().setModel("ref").build()),
        "path: ref.dmm is not a valid model",
        "served model, if any, is unchanged");
    assertSame(before, fx.registry.get("ref"));
    Files.write(dir.resolve("junk.dmm"), new byte[] {1, 2, 3});
    expectStatus(Code.FAILED_PRECONDITION, () -> load("junk.dmm", "ref"), "junk.dmm");
    assertSame(before, fx.registry.get("ref"));
    expectStatus(
        Code.INVALID_ARGUMENT,
        () -> fx.stub().reloadModel(ReloadModelRequest.newBuilder().setModel("nope").build()),
        "model: \"nope\" is not served");
    expectStatus(
        Code.INVALID_ARGUMENT,
        () -> load("arm3.dmm", "bad name!"),
        "name: \"bad name!\" is not a valid model name");
    // Served requests still use the old model.
    Files.write(dir.resolve("ref.dmm"), good);
    LoadModelResponse r =
        fx.stub().reloadModel(ReloadModelRequest.newBuilder().setModel("ref").build());
    assertTrue(r.getReplaced());
    assertEquals(before.generation(), r.getReplacedGeneration());
    assertTrue(r.getModel().getGeneration() > before.generation());
  }

  private static double maxDiff(double[] a, double[] b) {
    if (a.length != b.length) {
      return Double.POSITIVE_INFINITY;
    }
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }

  /**
   * N clients issue rollouts while the model file is rewritten (alternating between two models) and
   * reloaded repeatedly: no request fails, and every answer is exactly the old or the new model's
   * rollout, matching the generation it reports.
   */
  @Test
  void reloadUnderConcurrentLoadLosesNothing() throws Exception {
    // The expectations come from the files, as the server reads them.
    Path aFile = root.resolve("a.dmm");
    Path bFile = root.resolve("b.dmm");
    Files.copy(dir.resolve("ref.dmm"), aFile);
    ModelArtifacts.write(
        ModelFactory.random(
            new ModelSpec().name("ref").stateDim(2).blocks(8).hidden(64), seed + 1000),
        bFile);
    MotionModel a = ModelArtifacts.read(aFile);
    MotionModel b = ModelArtifacts.read(bFile);
    double[] y0 = {1.5, -0.5};
    int n = 200;
    double[] times = new double[n];
    for (int i = 0; i < n; i++) {
      times[i] = i * 5.0 / (n - 1);
    }
    double[] wantA = new Rollout(a, n).rollout(y0, times);
    double[] wantB = new Rollout(b, n).rollout(y0, times);
    assertNotEquals(wantA[2 * n - 1], wantB[2 * n - 1]);
    RolloutRequest req =
        RolloutRequest.newBuilder()
            .setModel("ref")
            .addStart(y0[0])
            .addStart(y0[1])
            .setTimes(
                TimeGrid.newBuilder()
                    .setUniformCount(UniformCount.newBuilder().setCount(n).setDuration(5.0)))
            .build();

    int clients = 4;
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong answers = new AtomicLong();
    AtomicLong sawA = new AtomicLong();
    AtomicLong sawB = new AtomicLong();
    List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    // generation -> which model the file held when that load happened
    java.util.Map<Long, Character> loaded = new java.util.concurrent.ConcurrentHashMap<>();
    loaded.put(fx.registry.get("ref").generation(), 'A');
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        fs.add(
            pool.submit(
                () -> {
                  while (!stop.get()) {
                    try {
                      RolloutResponse r = fx.stub().rollout(req);
                      double[] got = new double[r.getStatesCount()];
                      for (int i = 0; i < got.length; i++) {
                        got[i] = r.getStates(i);
                      }
                      double dA = maxDiff(got, wantA);
                      double dB = maxDiff(got, wantB);
                      boolean isA = dA <= 1e-12;
                      boolean isB = dB <= 1e-12;
                      if (!isA && !isB) {
                        failures.add(
                            "generation "
                                + r.getGeneration()
                                + ": neither model's answer ("
                                + "max difference "
                                + dA
                                + " from A, "
                                + dB
                                + " from B)");
                      }
                      (isA ? sawA : sawB).incrementAndGet();
                      Character which = loaded.get(r.getGeneration());
                      if (which != null && which != (isA ? 'A' : 'B')) {
                        failures.add(
                            "generation " + r.getGeneration() + " answered as the other model");
                      }
                      answers.incrementAndGet();
                    } catch (RuntimeException e) {
                      failures.add(e.toString());
                    }
                  }
                }));
      }
      for (int k = 0; k < 20; k++) {
        boolean useB = k % 2 == 0;
        org.diffeomotion.model.AtomicFiles.write(
            dir.resolve("ref.dmm"), Files.readAllBytes(useB ? bFile : aFile));
        LoadModelResponse r =
            fx.stub().reloadModel(ReloadModelRequest.newBuilder().setModel("ref").build());
        loaded.put(r.getModel().getGeneration(), useB ? 'B' : 'A');
        Thread.sleep(15);
      }
      stop.set(true);
      for (Future<?> f : fs) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      stop.set(true);
      pool.shutdownNow();
      assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }
    assertEquals(List.of(), failures);
    assertTrue(answers.get() > 100, "answers: " + answers.get());
    assertTrue(sawA.get() > 0 && sawB.get() > 0, "saw A " + sawA + ", B " + sawB);
    // Within 1e-12, not bit for bit: the model's kernels can differ in the last bit between
    // JIT tiers (see grpc/README.md).
    assertArrayEquals(
        wantA,
        new Rollout(fx.registry.get("ref").model(), n).rollout(y0, times),
        1e-12,
        "the last reload (k = 19) installed A");
  }
}
