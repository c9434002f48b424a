package org.diffeomotion.trainer.data;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the committed sample data set is (data/sample at the repository root). */
final class SampleData {

  private SampleData() {}

  /** The data/sample folder; tests run with the trainer module as working directory. */
  static Path dir() {
    for (Path p : new Path[] {Path.of("..", "data", "sample"), Path.of("data", "sample")}) {
      if (Files.isDirectory(p)) {
        return p.normalize();
      }
    }
    throw new IllegalStateException("data/sample not found from " + Path.of("").toAbsolutePath());
  }

  static Path file(String name) {
    return dir().resolve(name);
  }
}
