package org.diffeomotion.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.diffeomotion.model.testing.ModelFactory;
import org.diffeomotion.model.testing.ModelSpec;
import org.diffeomotion.proto.model.v1.Mode;
import org.diffeomotion.proto.model.v1.Model;
import org.diffeomotion.proto.model.v1.ModelFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ModelArtifactsTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "spec {0}")
  @MethodSource("org.diffeomotion.model.Seeds#specIndices")
  void roundTripIsBitExact(int specIndex) throws Exception {
    long seed = Seeds.base("roundTrip");
    Random rnd = new Random(seed + 1_000_003L * specIndex);
    ModelSpec spec = Seeds.specs()[specIndex];
    MotionModel model = ModelFactory.random(spec, rnd.nextLong());
    Path file = dir.resolve("m.dmm");
    ModelArtifacts.write(model, file);
    MotionModel back = ModelArtifacts.read(file);
    assertEquals(model.toProto(), back.toProto());
    byte[] first = Files.readAllBytes(file);
    assertArrayEquals(first, ModelArtifacts.serialize(back), "re-serialised bytes differ");
    // Every double survives bit for bit (above), so the two evaluate alike. Not bit for bit: the
    // vector kernels' lane sum (DoubleVector.reduceLanes(ADD)) has an unspecified order, and
    // interpreted and JIT-compiled code add the lanes differently (seen: 1 ulp at index 36 in a
    // clean-clone run), so the same model can differ in the last bits between two calls.
    double[] t = RolloutTest.uniformTimes(20, 3);
    double[] y0 = model.goal();
    y0[0] += 1;
    double[] a = new Rollout(model, 20).rollout(y0, t);
    double[] b = new Rollout(back, 20).rollout(y0, t);
    assertEquals(a.length, b.length);
    for (int i = 0; i < a.length; i++) {
      double tol = 64 * Math.ulp(Math.max(Math.abs(a[i]), 1.0));
      assertEquals(a[i], b[i], tol, "rollout value " + i + " (seed " + seed + ")");
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(1, files.count(), "no temporary files may be left behind");
    }
  }

  @Test
  void writeReplacesAnExistingFileAtomically() throws Exception {
    Path file = dir.resolve("m.dmm");
    ModelArtifacts.write(ModelFactory.random(new ModelSpec(), 1), file);
    MotionModel second = ModelFactory.random(new ModelSpec().name("second"), 2);
    ModelArtifacts.write(second, file);
    assertEquals("second", ModelArtifacts.read(file).name());
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(1, files.count());
    }
  }

  @Test
  void writtenFilesAreReadableLikeAnyOtherFileAndKeepTheirPermissions() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
    // A new file gets what the umask gives any new file (not the temp file's owner-only mode).
    Path plain = Files.createFile(dir.resolve("plain.txt"));
    Path file = dir.resolve("m.dmm");
    ModelArtifacts.write(ModelFactory.random(new ModelSpec().blocks(1), 8), file);
    assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(file));
    // A replaced file keeps its permissions.
    var groupWritable = java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-r--");
    Files.setPosixFilePermissions(file, groupWritable);
    ModelArtifacts.write(ModelFactory.random(new ModelSpec().blocks(1), 9), file);
    assertEquals(groupWritable, Files.getPosixFilePermissions(file));
  }

  @Test
  void everyFlippedByteIsRejected() throws Exception {
    long seed = Seeds.base("flippedBytes");
    Random rnd = new Random(seed);
    byte[] good =
        ModelArtifacts.serialize(ModelFactory.random(new ModelSpec().blocks(2).hidden(8), seed));
    int rejected = 0;
    for (int pos = 0; pos < good.length; pos++) {
      byte[] bad = good.clone();
      bad[pos] ^= (byte) (1 << rnd.nextInt(8));
      try {
        ModelArtifacts.parse(bad);
      } catch (ModelFormatException e) {
        rejected++;
        continue;
      }
      throw new AssertionError(
          "a flipped bit at byte " + pos + " of " + good.length + " was not detected");
    }
    assertEquals(good.length, rejected);
  }

  @Test
  void checksumMismatchIsNamed() {
    byte[] good = ModelArtifacts.serialize(ModelFactory.random(new ModelSpec().blocks(1), 3));
    byte[] bad = good.clone();
    bad[bad.length - 40] ^= 1; // inside the model payload, before the trailing hash
    ModelFormatException e =
        assertThrows(ModelFormatException.class, () -> ModelArtifacts.parse(bad));
    assertTrue(
        e.getMessage().contains("model_sha256: checksum mismatch")
            || e.getMessage().contains("truncated or corrupt"),
        e.getMessage());
  }

  @Test
  void truncatedFilesAreRejected() throws Exception {
    byte[] good = ModelArtifacts.serialize(ModelFactory.random(new ModelSpec().blocks(2), 4));
    for (int len : new int[] {0, 1, 10, good.length / 2, good.length - 1}) {
      Path file = dir.resolve("t" + len + ".dmm");
      Files.write(file, Arrays.copyOf(good, len));
      ModelFormatException e =
          assertThrows(ModelFormatException.class, () -> ModelArtifacts.read(file));
      assertTrue(
          e.getMessage().startsWith(file + ": "),
          "message names the file first: " + e.getMessage());
      assertEquals(
          e.getMessage().indexOf(file.toString()), e.getMessage().lastIndexOf(file.toString()));
    }
  }

  @Test
  void wrongMagicAndVersionAreRejected() throws Exception {
    byte[] good = ModelArtifacts.serialize(ModelFactory.random(new ModelSpec().blocks(1), 5));
    ModelFile env = ModelFile.parseFrom(good);
    expect(
        env.toBuilder().setFormatVersion(3).build().toByteArray(),
        "format_version: is 3; this build reads versions 1 and 2");
    expect(
        env.toBuilder().setFormatVersion(2).build().toByteArray(),
        "format_version: is 2 but the model has no pose layout");
    expect(
        env.toBuilder().setMagic("something-else").build().toByteArray(),
        "magic: is 'something-else'");
  }

  @Test
  void inconsistentOrUnsafeModelsAreRejectedNamingTheField() throws Exception {
    Model good = ModelFactory.randomProto(new ModelSpec().stateDim(2).blocks(2).hidden(4), 6);
    expectInvalid(
        good,
        m ->
            m.toBuilder()
                .setBlocks(
                    1,
                    m.getBlocks(1).toBuilder()
                        .setNetA(
                            m.getBlocks(1).getNetA().toBuilder()
                                .setLayers(
                                    0,
                                    m.getBlocks(1).getNetA().getLayers(0).toBuilder()
                                        .setWeights(3, Double.NaN))))
                .build(),
        "blocks[1].net_a.layers[0].weights[3]: is NaN");
    expectInvalid(
        good,
        m ->
            m.toBuilder()
                .setBlocks(
                    0,
                    m.getBlocks(0).toBuilder()
                        .setNetB(
                            m.getBlocks(0).getNetB().toBuilder()
                                .setLayers(
                                    1,
                                    m.getBlocks(0).getNetB().getLayers(1).toBuilder()
                                        .setBias(0, Double.POSITIVE_INFINITY))))
                .build(),
        "blocks[0].net_b.layers[1].bias[0]: is Infinity");
    expectInvalid(
        good,
        m -> m.toBuilder().setBase(m.getBase().toBuilder().setEpsilon(0)).build(),
        "base.epsilon: must be > 0 and >= 1.0E-6");
    expectInvalid(
        good,
        m ->
            m.toBuilder()
                .setBase(
                    m.getBase().toBuilder()
                        .setEpsilon(1e-300)
                        .setModes(0, m.getBase().getModes(0).toBuilder().setP(0)))
                .build(),
        "base.epsilon: must be > 0 and >= 1.0E-6");
    expectInvalid(
        good,
        m ->
            m.toBuilder()
                .setBase(
                    m.getBase().toBuilder()
                        .setEpsilon(1e-6)
                        .setModes(0, m.getBase().getModes(0).toBuilder().setP(0)))
                .build(),
        null); // the smallest epsilon with p = 0 is still stable: accepted
    expectInvalid(
        good,
        m ->
            m.toBuilder()
                .setBlocks(0, m.getBlocks(0).toBuilder().setClamp(Double.MIN_NORMAL))
                .build(),
        "blocks[0].clamp: must be > 0 and in [0.001, 20.0]");
    expectInvalid(
        good,
        m -> m.toBuilder().setBlocks(0, m.getBlocks(0).toBuilder().setClamp(1e300)).build(),
        "blocks[0].clamp: must be > 0 and in [0.001, 20.0]");
    expectInvalid(good, m -> m.toBuilder().setTimeScale(1e9).build(), "time_scale: must be in");
    expectInvalid(
        good,
        m ->
            m.toBuilder()
                .setBase(
                    m.getBase().toBuilder()
                        .setModes(0, m.getBase().getModes(0).toBuilder().setP(1e200)))
                .build(),
        "base.modes[0]: is not stable");
    expectInvalid(
        good,
        m ->
            m.toBuilder()
                .setBase(
                    m.getBase().toBuilder()
                        .setModes(0, Mode.newBuilder().setKind(Mode.Kind.REAL).setP(1)))
                .build(),
        "base.modes: cover 1 dimensions, expected D = state_dim + augment_dim = 2");
    expectInvalid(good, m -> m.toBuilder().setScale(1, -0.5).build(), "scale[1]: must be > 0");
    expectInvalid(good, m -> m.toBuilder().setTimeScale(0).build(), "time_scale: must be in");
    expectInvalid(
        good, m -> m.toBuilder().addGoal(1).build(), "goal: has 3 values, expected state_dim = 2");
    expectInvalid(
        good,
        m -> m.toBuilder().setBlocks(0, m.getBlocks(0).toBuilder().setPermutation(1, 0)).build(),
        "blocks[0].permutation[1]: = 0 makes it no permutation");
    expectInvalid(
        good,
        m -> m.toBuilder().setBlocks(0, m.getBlocks(0).toBuilder().setClamp(-1)).build(),
        "blocks[0].clamp: must be > 0 and in");
    expectInvalid(
        good,
        m ->
            m.toBuilder()
                .setBlocks(
                    0,
                    m.getBlocks(0).toBuilder()
                        .setNetA(
                            m.getBlocks(0).getNetA().toBuilder()
                                .setLayers(
                                    0, m.getBlocks(0).getNetA().getLayers(0).toBuilder().setIn(5))))
                .build(),
        "blocks[0].net_a.layers[0].in: = 5, expected 1");
    expectInvalid(
        good,
        m -> m.toBuilder().setDimensionNames(1, "x").build(),
        "dimension_names[1]: 'x' is repeated");
    expectInvalid(
        good,
        m -> m.toBuilder().setStateDim(1).setAugmentDim(0).build(),
        "augment_dim: a 1-D state needs augment_dim >= 1");
    expectInvalid(good, m -> m.toBuilder().clearBase().build(), "base: is missing");
  }

  @Test
  void modelsWhoseAnchorOverflowsAreRejected() throws Exception {
    // Block 0 moves the origin to ~1e308, block 1 scales it up by ~e^clamp: F(0) overflows.
    Model good = ModelFactory.randomProto(new ModelSpec().stateDim(2).blocks(2).hidden(4), 7);
    expectInvalid(
        good,
        m ->
            m.toBuilder()
                .setBlocks(
                    0,
                    m.getBlocks(0).toBuilder()
                        .setNetA(
                            m.getBlocks(0).getNetA().toBuilder()
                                .setLayers(
                                    1,
                                    m.getBlocks(0).getNetA().getLayers(1).toBuilder()
                                        .setBias(1, 1e308)))
                        .setNetB(
                            m.getBlocks(0).getNetB().toBuilder()
                                .setLayers(
                                    1,
                                    m.getBlocks(0).getNetB().getLayers(1).toBuilder()
                                        .setBias(1, 1e308))))
                .setBlocks(
                    1,
                    m.getBlocks(1).toBuilder()
                        .setNetA(
                            m.getBlocks(1).getNetA().toBuilder()
                                .setLayers(
                                    1,
                                    m.getBlocks(1).getNetA().getLayers(1).toBuilder()
                                        .setBias(0, 50))))
                .build(),
        "F(0) is not finite");
  }

  private static void expect(byte[] bytes, String part) {
    ModelFormatException e =
        assertThrows(ModelFormatException.class, () -> ModelArtifacts.parse(bytes));
    assertTrue(
        e.getMessage().contains(part), "message '" + e.getMessage() + "' lacks '" + part + "'");
  }

  /** Wraps the mutated model in a valid envelope, so that only the field check can object. */
  private static void expectInvalid(Model good, UnaryOperator<Model> mutate, String part)
      throws Exception {
    Model bad = mutate.apply(good);
    byte[] payload = bad.toByteArray();
    byte[] file =
        ModelFile.newBuilder()
            .setMagic(ModelArtifacts.MAGIC)
            .setFormatVersion(ModelArtifacts.FORMAT_VERSION)
            .setModel(ByteString.copyFrom(payload))
            .setModelSha256(ByteString.copyFrom(ModelArtifacts.sha256(payload)))
            .build()
            .toByteArray();
    if (part == null) {
      ModelArtifacts.parse(file);
      return;
    }
    expect(file, part);
  }
}
