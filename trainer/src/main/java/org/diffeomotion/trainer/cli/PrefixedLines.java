package org.diffeomotion.trainer.cli;

import java.io.PrintWriter;
import java.io.Writer;

/**
 * A writer that forwards whole lines to a shared {@link PrintWriter}, each with a prefix, so that
 * two trainings printing at once (--funnel prefer) interleave by line, never within one. A carriage
 * return (a terminal redraw) is dropped; an unfinished last line goes out on close.
 */
final class PrefixedLines extends Writer {

  private final PrintWriter out;
  private final String prefix;
  private final StringBuilder line = new StringBuilder();

  private PrefixedLines(PrintWriter out, String prefix) {
    this.out = out;
    this.prefix = prefix;
  }

  /** An auto-flushing PrintWriter onto {@code out} (which it locks per line). */
  static PrintWriter of(PrintWriter out, String prefix) {
    return new PrintWriter(new PrefixedLines(out, prefix), true);
  }

  @Override
  public synchronized void write(char[] c, int off, int len) {
    for (int i = off; i < off + len; i++) {
      char ch = c[i];
      if (ch == '\n') {
        emit();
      } else if (ch != '\r') {
        line.append(ch);
      }
    }
  }

  private void emit() {
    synchronized (out) {
      out.print(prefix);
      out.println(line);
      out.flush();
    }
    line.setLength(0);
  }

  @Override
  public void flush() {}

  @Override
  public synchronized void close() {
    if (line.length() > 0) {
      emit();
    }
  }
}
