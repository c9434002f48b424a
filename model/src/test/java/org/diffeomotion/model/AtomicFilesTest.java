package org.diffeomotion.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes through symbolic links, refuses non-regular targets, cleans up dead writers' leftovers.
 */
class AtomicFilesTest {
  @TempDir Path dir;

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private List<String> names() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aSymbolicLinkIsWrittenThroughAndKept() throws Exception {
    Path v7 = dir.resolve("v7.dmm");
    Files.write(v7, bytes("old"));
    Path current = dir.resolve("current.dmm");
    Files.createSymbolicLink(current, Path.of("v7.dmm"));
    // A chain: latest -> current -> v7.
    Path latest = dir.resolve("latest.dmm");
    Files.createSymbolicLink(latest, current);

    AtomicFiles.write(latest, bytes("new"));
    assertTrue(Files.isSymbolicLink(current), "the link stays a link");
    assertTrue(Files.isSymbolicLink(latest));
    assertEquals(Path.of("v7.dmm"), Files.readSymbolicLink(current));
    assertArrayEquals(bytes("new"), Files.readAllBytes(v7));
    assertEquals(List.of("current.dmm", "latest.dmm", "v7.dmm"), names(), "no temp files left");

    // A dangling link gets its target created.
    Path dangling = dir.resolve("next.dmm");
    Files.createSymbolicLink(dangling, Path.of("v8.dmm"));
    AtomicFiles.write(dangling, bytes("v8"));
    assertArrayEquals(bytes("v8"), Files.readAllBytes(dir.resolve("v8.dmm")));
    assertTrue(Files.isSymbolicLink(dangling));
  }

  @Test
  void aLinkLoopIsRefused() throws Exception {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    Files.createSymbolicLink(a, b);
    Files.createSymbolicLink(b, a);
    FileSystemException e =
        assertThrows(FileSystemException.class, () -> AtomicFiles.write(a, bytes("x")));
    assertTrue(e.getMessage().contains("symbolic links"), e.getMessage());
  }

  @Test
  void nonRegularTargetsAreRefusedNotReplaced() throws Exception {
    Path sub = dir.resolve("sub");
    Files.createDirectory(sub);
    FileSystemException e =
        assertThrows(FileSystemException.class, () -> AtomicFiles.write(sub, bytes("x")));
    assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
    assertTrue(Files.isDirectory(sub));

    // A link to a directory: refused too, naming both.
    Path link = dir.resolve("to-sub");
    Files.createSymbolicLink(link, sub);
    e = assertThrows(FileSystemException.class, () -> AtomicFiles.write(link, bytes("x")));
    assertTrue(e.getMessage().contains("to-sub") && e.getMessage().contains("sub"), e.getMessage());

    // A FIFO (mkfifo is in coreutils on every Linux this runs on).
    Path fifo = dir.resolve("pipe");
    Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assumeTrue(p.waitFor() == 0, "mkfifo unavailable");
    e = assertThrows(FileSystemException.class, () -> AtomicFiles.write(fifo, bytes("x")));
    assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
    assertFalse(Files.isRegularFile(fifo), "the FIFO is still a FIFO");
    assertTrue(Files.exists(fifo));

    // A device node, where one is there to try: refused, not replaced.
    Path devNull = Path.of("/dev/null");
    if (Files.exists(devNull)) {
      assertThrows(FileSystemException.class, () -> AtomicFiles.write(devNull, bytes("x")));
      assertFalse(Files.isRegularFile(devNull));
    }
  }

  @Test
  void leftoversOfADeadWriterAreRemovedOnTheNextWrite() throws Exception {
    Path model = dir.resolve("model.dmm");
    // A process that has exited: its pid is free (or reused by someone else's process, which
    // the check cannot tell apart; then the leftover stays until the next write).
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    long dead = p.pid();
    Path leftover = dir.resolve(".model.dmm." + dead + "-1a2b3c" + AtomicFiles.TEMP_SUFFIX);
    Files.write(leftover, bytes("half"));
    // A live writer's temp file (ours, another thread) and unrelated files stay.
    Path live =
        dir.resolve(
            ".model.dmm." + ProcessHandle.current().pid() + "-99" + AtomicFiles.TEMP_SUFFIX);
    Files.write(live, bytes("in flight"));
    Path other = dir.resolve(".other.dmm." + dead + "-1" + AtomicFiles.TEMP_SUFFIX);
    Files.write(other, bytes("other file's"));
    Path user = dir.resolve(".model.dmm.notes" + AtomicFiles.TEMP_SUFFIX);
    Files.write(user, bytes("not ours"));

    AtomicFiles.write(model, bytes("model"));
    assumeTrue(ProcessHandle.of(dead).isEmpty(), "pid reused already");
    assertFalse(Files.exists(leftover), "dead writer's temp file removed");
    assertTrue(Files.exists(live));
    assertTrue(Files.exists(other));
    assertTrue(Files.exists(user));
    assertArrayEquals(bytes("model"), Files.readAllBytes(model));
  }

  @Test
  void readingADirectoryOrFifoAsAModelNamesIt() throws Exception {
    FileSystemException e = assertThrows(FileSystemException.class, () -> ModelArtifacts.read(dir));
    assertTrue(
        e.getMessage().contains(dir.toString()) && e.getMessage().contains("is a directory"),
        e.getMessage());
  }
}
