package org.diffeomotion.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Whole-file replacement that never leaves a half-written file: the bytes go to a temporary file in
 * the target's folder, are synced to disk, and the temporary file is renamed over the target. A
 * crash leaves the old file or the new one. Used for model files, checkpoints, reports and plots
 * alike.
 *
 * <p>Symbolic links are written <em>through</em>: the file a link (or a chain of links) points to
 * is replaced and the link stays, so a {@code current.dmm -> v7.dmm} link keeps working (a dangling
 * link gets its target created). Anything that exists and is not a regular file (a directory, FIFO,
 * socket or device) is refused with an {@link IOException} naming it, never replaced.
 *
 * <p>Temporary files are named {@code .<name>.<pid>-<random>.diffeo-tmp}, so that they are
 * recognisable; one left behind by a process that died (kill -9, power loss) is removed by the next
 * write of the same file on this machine.
 *
 * <p>Permissions: a replaced file keeps its permissions; a new file gets the process umask's (like
 * any file the user creates), not the owner-only mode of {@code Files.createTempFile}, so a node
 * running as another user can read the model a trainer wrote.
 */
public final class AtomicFiles {
  /** Suffix of every temporary file this class creates. */
  public static final String TEMP_SUFFIX = ".diffeo-tmp";

  /** Most symbolic links followed from the named file to its target (as Linux's MAXSYMLINKS). */
  static final int MAX_LINKS = 40;

  private AtomicFiles() {}

  /**
   * Replaces {@code file} (or, for a symbolic link, the file it leads to) with {@code bytes} (temp
   * + fsync + atomic rename).
   *
   * @throws IOException naming the file when it cannot be written or is not a regular file
   */
  public static void write(Path file, byte[] bytes) throws IOException {
    Path abs = target(file);
    Path dir = abs.getParent();
    Files.createDirectories(dir);
    removeLeftovers(dir, abs.getFileName().toString());
    Path tmp = null;
    FileChannel ch = null;
    long pid = ProcessHandle.current().pid();
    for (int attempt = 0; ch == null; attempt++) {
      tmp =
          dir.resolve(
              "."
                  + abs.getFileName()
                  + "."
                  + pid
                  + "-"
                  + Long.toHexString(ThreadLocalRandom.current().nextLong())
                  + TEMP_SUFFIX);
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

  /**
   * The file a write of {@code file} replaces: {@code file} itself, or the end of its chain of
   * symbolic links; refused when that exists and is not a regular file. Front ends call it to
   * refuse a bad output path before long work, not after it.
   *
   * @throws FileSystemException naming the file (and the link's target) and the problem
   */
  public static Path target(Path file) throws IOException {
    Path p = file.toAbsolutePath().normalize();
    for (int hops = 0; Files.isSymbolicLink(p); hops++) {
      if (hops >= MAX_LINKS) {
        throw new FileSystemException(
            file.toString(), null, "more than " + MAX_LINKS + " symbolic links (a loop?)");
      }
      Path link = Files.readSymbolicLink(p);
      p = p.resolveSibling(link).normalize();
    }
    if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)
        && !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
      String kind =
          Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
              ? "a directory"
              : "not a regular file (a FIFO, socket or device)";
      throw new FileSystemException(
          file.toString(),
          p.equals(file.toAbsolutePath().normalize()) ? null : p.toString(),
          "is " + kind + "; refusing to replace it (give the path of a " + "regular file)");
    }
    return p;
  }

  /**
   * Deletes temporary files of {@code name} in {@code dir} whose writing process is no longer
   * running. A temporary file of a live process (a concurrent write) is left alone.
   */
  static void removeLeftovers(Path dir, String name) {
    String prefix = "." + name + ".";
    try (DirectoryStream<Path> ds =
        Files.newDirectoryStream(
            dir,
            entry -> {
              String f = entry.getFileName().toString();
              return f.startsWith(prefix) && f.endsWith(TEMP_SUFFIX);
            })) {
      for (Path leftover : ds) {
        String f = leftover.getFileName().toString();
        String mid = f.substring(prefix.length(), f.length() - TEMP_SUFFIX.length());
        int dash = mid.indexOf('-');
        long pid;
        try {
          pid = Long.parseLong(dash > 0 ? mid.substring(0, dash) : "");
        } catch (NumberFormatException e) {
          continue; // not one of ours
        }
        if (pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).isEmpty()) {
          Files.deleteIfExists(leftover);
        }
      }
    } catch (IOException | RuntimeException e) {
      // Best effort: a leftover that cannot be listed or removed does not stop the write.
    }
  }
}
