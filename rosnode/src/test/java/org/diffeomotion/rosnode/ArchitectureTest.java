package org.diffeomotion.rosnode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The module arrows of DESIGN.md §3, checked on the sources of the whole tree (main and test):
 *
 * <pre>
 *   proto  ←  model  ←  trainer
 *                    ←  grpc     ←  rosnode  →  ros1
 * </pre>
 *
 * <p>A plain scan rather than a bytecode tool: every reference to a project package, in an import
 * or written out in full, names its module by its second package segment ({@code
 * org.diffeomotion.<module>...}), so a regex over the sources sees every arrow, including those of
 * test sources that no single module's class path would show. It lives in the module at the top of
 * the serving tree only because a test must live somewhere; it reads the sources of every module
 * from the repository root.
 */
class ArchitectureTest {

  /** What each module may reference besides itself (its Maven dependencies, transitively). */
  private static final Map<String, Set<String>> ALLOWED =
      Map.of(
          "proto", Set.of(),
          "model", Set.of("proto"),
          "trainer", Set.of("model", "proto"),
          "ros1", Set.of(),
          "grpc", Set.of("model", "proto"),
          "rosnode", Set.of("model", "proto", "ros1", "grpc"));

  /** A reference to a project package: group 1 = module, the rest = the package path. */
  private static final Pattern REFERENCE =
      Pattern.compile("\\borg\\.diffeomotion\\.([a-z0-9]+)((?:\\.[a-z][a-z0-9_]*)*)");

  private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
  private static final Pattern DEPENDENCY =
      Pattern.compile("<artifactId>diffeo-motion-([a-z0-9]+)</artifactId>");

  private static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("rosnode/pom.xml"))) {
      dir = dir.getParent();
    }
    assertTrue(dir != null, "repository root (the folder holding rosnode/pom.xml) not found");
    return dir;
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Path> javaSources(Path module) {
    Path src = module.resolve("src");
    if (!Files.isDirectory(src)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(src)) {
      return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void everyModuleOfTheBuildHasItsArrows() {
    Set<String> modules = new TreeSet<>();
    Matcher m = MODULE.matcher(read(root().resolve("pom.xml")));
    while (m.find()) {
      modules.add(m.group(1));
    }
    assertEquals(
        new TreeSet<>(ALLOWED.keySet()),
        modules,
        "the modules of pom.xml and the arrows of this test (DESIGN.md §3) differ");
  }

  @Test
  void mavenDependenciesFollowTheArrows() {
    List<String> broken = new ArrayList<>();
    for (String module : ALLOWED.keySet()) {
      String pom = read(root().resolve(module).resolve("pom.xml"));
      // The module's own artifactId is not a dependency.
      pom = pom.replaceFirst("<artifactId>diffeo-motion-" + module + "</artifactId>", "");
      Matcher m = DEPENDENCY.matcher(pom.substring(pom.indexOf("</parent>")));
      while (m.find()) {
        if (!ALLOWED.get(module).contains(m.group(1))) {
          broken.add(module + "/pom.xml depends on " + m.group(1));
        }
      }
    }
    assertTrue(
        broken.isEmpty(), "dependencies against DESIGN.md §3:\n  " + String.join("\n  ", broken));
  }

  @Test
  void sourcesReferenceOnlyWhatTheirModuleMayAndNoOtherModulesInternals() {
    Path root = root();
    List<String> broken = new ArrayList<>();
    int files = 0;
    for (String module : ALLOWED.keySet()) {
      for (Path file : javaSources(root.resolve(module))) {
        files++;
        String text = read(file);
        Matcher m = REFERENCE.matcher(text);
        Set<String> seen = new TreeSet<>();
        while (m.find()) {
          String target = m.group(1);
          String pkg = m.group(1) + m.group(2);
          if (!seen.add(pkg)) {
            continue;
          }
          String where = root.relativize(file) + ": " + "org.diffeomotion." + pkg;
          if (!target.equals(module) && !ALLOWED.get(module).contains(target)) {
            broken.add(where + " (" + module + " may not depend on " + target + ")");
          } else if (!target.equals(module) && (m.group(2) + ".").contains(".internal.")) {
            broken.add(where + " (an internal package of " + target + ")");
          }
        }
      }
    }
    assertTrue(files > 100, "scanned only " + files + " source files under " + root);
    assertTrue(
        broken.isEmpty(), "references against DESIGN.md §3:\n  " + String.join("\n  ", broken));
  }
}
