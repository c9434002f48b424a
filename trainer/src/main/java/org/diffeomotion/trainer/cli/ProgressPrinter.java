package org.diffeomotion.trainer.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.diffeomotion.trainer.fit.Progress;
import org.diffeomotion.trainer.fit.ProgressListener;

/**
 * Training progress on the terminal: every {@code every} iterations (and at the last one) a line
 * with the iteration, loss, the latest held-out MSE, the time per iteration over the last {@code
 * every} iterations and the ETA. On an interactive terminal the line is rewritten in place
 * (carriage return); otherwise (logs, pipes) each report is its own line.
 */
final class ProgressPrinter implements ProgressListener {

  private final PrintWriter out;
  private final long every;
  private final boolean terminal;
  private double lastValidation = Double.NaN;
  private double windowMs;
  private long windowIters;
  private int lastWidth;

  ProgressPrinter(PrintWriter out, long every, boolean terminal) {
    this.out = out;
    this.every = every;
    this.terminal = terminal;
  }

  @Override
  public void onProgress(Progress p) {
    if (Double.isFinite(p.validationMse())) {
      lastValidation = p.validationMse();
    }
    windowMs += p.msPerIteration();
    windowIters++;
    boolean last = p.iteration() >= p.iterations();
    if (every <= 0 || (p.iteration() % every != 0 && !last)) {
      return;
    }
    int w = Long.toString(p.iterations()).length();
    String line =
        String.format(
            Locale.ROOT,
            "  iter %" + w + "d/%d  loss %.4e  held-out %s  %6.2f ms/iter  ETA %s",
            p.iteration(),
            p.iterations(),
            p.loss(),
            Double.isFinite(lastValidation)
                ? String.format(Locale.ROOT, "%.4e", lastValidation)
                : "     -    ",
            windowMs / windowIters,
            eta(windowMs / windowIters * (p.iterations() - p.iteration()) / 1e3));
    windowMs = 0;
    windowIters = 0;
    if (terminal) {
      String pad = line.length() < lastWidth ? " ".repeat(lastWidth - line.length()) : "";
      out.print("\r" + line + pad);
      if (last) {
        out.println();
      }
      lastWidth = line.length();
    } else {
      out.println(line);
    }
    out.flush();
  }

  private static String eta(double s) {
    if (!Double.isFinite(s)) {
      return "?";
    }
    if (s < 60) {
      return String.format(Locale.ROOT, "%.0f s", s);
    }
    return String.format(Locale.ROOT, "%d min %02d s", (long) s / 60, (long) s % 60);
  }
}
