package org.diffeomotion.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Whole-file replacement that never leaves a half-written file: the bytes go to a temporary
 * file in the target's folder, are synced to disk, and the temporary file is renamed over the
 * target. A crash leaves the old file or the new one. Used for model files, checkpoints,
 * reports and plots alike.
 *
 * <p>Permissions: a replaced file keeps its permissions; a new file gets the process umask's
 * (like any file the user creates), not the owner-only mode of {@code Files.createTempFile}, so
 * a node running as another user can read the model a trainer wrote.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Replaces {@code file} with {@code bytes} (temp + fsync + atomic rename). */
  public static void write(Path file, byte[] bytes) throws IOException {
    Path abs = file.toAbsolutePath();
    Path dir = abs.getParent();
    Files.createDirectories(dir);
    Path tmp = null;
    FileChannel ch = null;
    for (int attempt = 0; ch == null; attempt++) {
      tmp = dir.resolve("." + abs.getFileName() + "."
          + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
      try {
        ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      } catch (FileAlreadyExistsException e) {
        if (attempt > 100) {
          throw e;
        }
      }
    }
    try {
      try (FileChannel c = ch) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
          c.write(buf);
        }
        c.force(true);
      }
      PosixFileAttributeView posix = Files.getFileAttributeView(abs, PosixFileAttributeView.class);
      if (posix != null && Files.exists(abs)) {
        Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(abs));
      }
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        // Some file systems cannot rename atomically; a plain replace is the best left.
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
