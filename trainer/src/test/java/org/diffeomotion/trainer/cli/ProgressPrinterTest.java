package org.diffeomotion.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.diffeomotion.trainer.fit.Progress;
import org.junit.jupiter.api.Test;

class ProgressPrinterTest {

  private static String run(boolean terminal) {
    StringWriter s = new StringWriter();
    ProgressPrinter p = new ProgressPrinter(new PrintWriter(s), 2, terminal);
    for (int i = 1; i <= 5; i++) {
      p.onProgress(
          new Progress(i, 5, 1.0 / i, i == 4 ? 0.125 : Double.NaN, 10.0 * i, 0, 0, Double.NaN));
    }
    return s.toString();
  }

  @Test
  void linesEveryNIterationsAndAtTheEnd() {
    String out = run(false);
    String[] lines = out.split("\n");
    assertEquals(3, lines.length, out);
    assertTrue(
        lines[0].contains("iter 2/5")
            && lines[0].contains("loss 5.0000e-01")
            && lines[0].contains("15.00 ms/iter")
            && lines[0].contains("ETA 0 s"),
        lines[0]);
    // The held-out MSE of iteration 4 stays on later lines.
    assertTrue(lines[1].contains("iter 4/5") && lines[1].contains("held-out 1.2500e-01"), lines[1]);
    assertTrue(lines[2].contains("iter 5/5") && lines[2].contains("held-out 1.2500e-01"), lines[2]);
  }

  @Test
  void oneRewrittenLineOnATerminal() {
    String out = run(true);
    assertEquals(3, out.chars().filter(c -> c == '\r').count(), out);
    assertTrue(out.endsWith("\n") && out.indexOf('\n') == out.length() - 1, out);
  }
}
