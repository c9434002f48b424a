package org.diffeomotion.model;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.diffeomotion.proto.model.v1.Model;
import org.diffeomotion.proto.model.v1.ModelFile;

/**
 * Reads and writes model files: a {@code ModelFile} envelope (magic, format version, the serialized
 * {@code Model} and its SHA-256). Writes are atomic (temporary file in the same folder, fsync,
 * rename), so a reader never sees a half-written model; reads check the checksum, the version and
 * every field before a model is returned.
 */
public final class ModelArtifacts {
  public static final String MAGIC = "diffeo-motion-model";
  public static final int FORMAT_VERSION = 1;

  /**
   * The version written for full-pose models (and read by this build): a reader that knows only
   * version 1 refuses them rather than serving the rotation vector as three more positions.
   */
  public static final int POSE_FORMAT_VERSION = 2;

  /** Files larger than this are refused before they are read [bytes]. */
  public static final long MAX_FILE_BYTES = 256L << 20;

  private ModelArtifacts() {}

  /** Reads, checks and validates a model file. */
  public static MotionModel read(Path file) throws IOException {
    if (Files.isDirectory(file)) {
      throw new java.nio.file.FileSystemException(
          file.toString(), null, "is a directory, not a model file");
    }
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      throw new java.nio.file.FileSystemException(
          file.toString(),
          null,
          "is not a regular file (a FIFO, socket or device), not a model file");
    }
    long size = Files.size(file);
    if (size > MAX_FILE_BYTES) {
      throw new ModelFormatException(
          "",
          file
              + " is "
              + size
              + " bytes, larger than the "
              + MAX_FILE_BYTES
              + "-byte limit for model files");
    }
    byte[] bytes = Files.readAllBytes(file);
    try {
      return parse(bytes);
    } catch (ModelFormatException e) {
      throw e.in(file.toString());
    }
  }

  /** Checks and validates the bytes of a model file. */
  public static MotionModel parse(byte[] bytes) throws ModelFormatException {
    ModelFile env;
    try {
      env = ModelFile.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new ModelFormatException(
          "", "not a readable model file (truncated or corrupt: " + e.getMessage() + ")", e);
    }
    if (!MAGIC.equals(env.getMagic())) {
      throw new ModelFormatException(
          "magic",
          "is '"
              + abbreviate(env.getMagic())
              + "', expected '"
              + MAGIC
              + "': not a diffeo-motion model file (or corrupt)");
    }
    if (env.getFormatVersion() != FORMAT_VERSION && env.getFormatVersion() != POSE_FORMAT_VERSION) {
      throw new ModelFormatException(
          "format_version",
          "is "
              + Integer.toUnsignedString(env.getFormatVersion())
              + "; this build reads versions "
              + FORMAT_VERSION
              + " and "
              + POSE_FORMAT_VERSION);
    }
    byte[] payload = env.getModel().toByteArray();
    byte[] want = env.getModelSha256().toByteArray();
    byte[] got = sha256(payload);
    if (!MessageDigest.isEqual(want, got)) {
      throw new ModelFormatException(
          "model_sha256",
          "checksum mismatch: the file says "
              + hex(want)
              + ", the model bytes hash to "
              + hex(got)
              + " (corrupt file)");
    }
    Model model;
    try {
      model = Model.parseFrom(payload);
    } catch (InvalidProtocolBufferException e) {
      throw new ModelFormatException("model", "does not parse: " + e.getMessage(), e);
    }
    if (model.hasPose() != (env.getFormatVersion() == POSE_FORMAT_VERSION)) {
      throw new ModelFormatException(
          "format_version",
          "is "
              + env.getFormatVersion()
              + (model.hasPose()
                  ? " but the model has a pose layout (pose models are version "
                  : " but the model has no pose layout (version ")
              + (model.hasPose()
                  ? POSE_FORMAT_VERSION
                  : POSE_FORMAT_VERSION + " is for pose models")
              + ")");
    }
    return MotionModel.fromProto(model);
  }

  /** The bytes of a model file for {@code model}. */
  public static byte[] serialize(MotionModel model) {
    byte[] payload = model.toProto().toByteArray();
    return ModelFile.newBuilder()
        .setMagic(MAGIC)
        .setFormatVersion(model.isPose() ? POSE_FORMAT_VERSION : FORMAT_VERSION)
        .setModel(ByteString.copyFrom(payload))
        .setModelSha256(ByteString.copyFrom(sha256(payload)))
        .build()
        .toByteArray();
  }

  /**
   * Writes {@code model} to {@code file} atomically: a temporary file in the same folder is written
   * and synced, then renamed over the target. A crash leaves either the old file or the new one,
   * never a mix.
   */
  public static void write(MotionModel model, Path file) throws IOException {
    AtomicFiles.write(file, serialize(model));
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder(b.length * 2);
    for (byte x : b) {
      sb.append(Character.forDigit((x >> 4) & 15, 16)).append(Character.forDigit(x & 15, 16));
    }
    return sb.length() == 0 ? "(none)" : sb.toString();
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
