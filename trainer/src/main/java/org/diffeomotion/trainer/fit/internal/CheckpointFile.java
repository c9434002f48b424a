package org.diffeomotion.trainer.fit.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The full optimiser state on disk: a fingerprint of the run's configuration and data (so that a
 * checkpoint cannot be resumed into a different run), iteration, Adam step, seed, parameters and
 * both Adam moments, the best iterate and the re-aligned fit times as raw IEEE-754 bits (so that a
 * resume is bitwise exact), and a SHA-256 trailer over everything before it. Written to a temporary
 * file in the same directory, forced to disk, then renamed over the target.
 */
public final class CheckpointFile {

  private static final String MAGIC = "diffeo-motion-checkpoint";
  private static final int VERSION = 3;

  /** The saved state: the run's fingerprint and iteration, and each start's state. */
  public record State(
      String fingerprint, long iteration, long seed, java.util.List<RunState> runs) {}

  /** One start: optimiser, schedule, guard and best iterate (see {@link TrainingRun}). */
  public record RunState(
      long adamStep,
      double[] params,
      double[] m,
      double[] v,
      int window,
      double stageBestLoss,
      double[] stageBest,
      double bestLoss,
      long bestIteration,
      double[] best,
      double learningRateFactor,
      int rollbacks,
      boolean diverged,
      double[] alignedTimes) {}

  private CheckpointFile() {}

  public static void write(Path path, State s) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeUTF(MAGIC);
      out.writeInt(VERSION);
      out.writeUTF(s.fingerprint());
      out.writeLong(s.iteration());
      out.writeLong(s.seed());
      out.writeInt(s.runs().size());
      for (RunState r : s.runs()) {
        out.writeLong(r.adamStep());
        writeArray(out, r.params());
        writeArray(out, r.m());
        writeArray(out, r.v());
        out.writeInt(r.window());
        out.writeLong(Double.doubleToRawLongBits(r.stageBestLoss()));
        writeArray(out, r.stageBest());
        out.writeLong(Double.doubleToRawLongBits(r.bestLoss()));
        out.writeLong(r.bestIteration());
        writeArray(out, r.best());
        out.writeLong(Double.doubleToRawLongBits(r.learningRateFactor()));
        out.writeInt(r.rollbacks());
        out.writeBoolean(r.diverged());
        writeArray(out, r.alignedTimes());
      }
    }
    byte[] body = bytes.toByteArray();
    byte[] sum = sha256(body);
    byte[] file = Arrays.copyOf(body, body.length + sum.length);
    System.arraycopy(sum, 0, file, body.length, sum.length);
    org.diffeomotion.model.AtomicFiles.write(path, file);
  }

  public static State read(Path path) throws IOException {
    byte[] all = Files.readAllBytes(path);
    if (all.length < 32) {
      throw new IOException(path + ": not a checkpoint (" + all.length + " bytes)");
    }
    byte[] body = Arrays.copyOf(all, all.length - 32);
    if (!Arrays.equals(sha256(body), Arrays.copyOfRange(all, all.length - 32, all.length))) {
      throw new IOException(path + ": checkpoint checksum mismatch (truncated or corrupted)");
    }
    try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(body))) {
      String magic = in.readUTF();
      if (!MAGIC.equals(magic)) {
        throw new IOException(path + ": not a checkpoint (magic '" + magic + "')");
      }
      int version = in.readInt();
      if (version != VERSION) {
        throw new IOException(
            path + ": checkpoint version " + version + ", this build reads " + VERSION);
      }
      String fingerprint = in.readUTF();
      long iteration = in.readLong();
      long seed = in.readLong();
      int n = in.readInt();
      if (n < 1 || n > 64) {
        throw new IOException(path + ": checkpoint with " + n + " starts");
      }
      java.util.List<RunState> runs = new java.util.ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        runs.add(
            new RunState(
                in.readLong(),
                readArray(in),
                readArray(in),
                readArray(in),
                in.readInt(),
                Double.longBitsToDouble(in.readLong()),
                readArray(in),
                Double.longBitsToDouble(in.readLong()),
                in.readLong(),
                readArray(in),
                Double.longBitsToDouble(in.readLong()),
                in.readInt(),
                in.readBoolean(),
                readArray(in)));
      }
      return new State(fingerprint, iteration, seed, runs);
    }
  }

  private static void writeArray(DataOutputStream out, double[] a) throws IOException {
    out.writeInt(a.length);
    for (double x : a) {
      out.writeLong(Double.doubleToRawLongBits(x));
    }
  }

  private static double[] readArray(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > in.available() / 8) {
      throw new IOException("checkpoint array of " + n + " values in " + in.available() + " bytes");
    }
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = Double.longBitsToDouble(in.readLong());
    }
    return a;
  }

  static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
