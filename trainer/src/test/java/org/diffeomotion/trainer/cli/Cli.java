package org.diffeomotion.trainer.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** Runs the command line in process and keeps what it printed. */
final class Cli {

  final int code;
  final String out;
  final String err;

  private Cli(int code, String out, String err) {
    this.code = code;
    this.out = out;
    this.err = err;
  }

  static Cli run(String... args) {
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    int code = DiffeoCli.execute(args, new PrintWriter(o, true), new PrintWriter(e, true), false);
    return new Cli(code, o.toString(), e.toString());
  }

  /** data/sample/NAME; tests run with the trainer module as working directory. */
  static Path sample(String name) {
    for (Path p : new Path[] {Path.of("..", "data", "sample"), Path.of("data", "sample")}) {
      if (Files.isDirectory(p)) {
        return p.resolve(name).normalize();
      }
    }
    throw new IllegalStateException("data/sample not found from " + Path.of("").toAbsolutePath());
  }

  @Override
  public String toString() {
    return "exit " + code + "\n--- out:\n" + out + "--- err:\n" + err;
  }
}
