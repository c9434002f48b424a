package org.diffeomotion.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Two trainings printing at once (--funnel prefer): whole lines, each with its prefix. */
class PrefixedLinesTest {

  @Test
  void twoThreadsInterleaveByWholeLinesOnly() throws Exception {
    StringWriter sink = new StringWriter();
    PrintWriter shared = new PrintWriter(sink);
    List<Thread> threads = new ArrayList<>();
    for (String name : new String[] {"a", "b"}) {
      PrintWriter w = PrefixedLines.of(shared, "[" + name + "] ");
      Thread t =
          new Thread(
              () -> {
                for (int i = 0; i < 2000; i++) {
                  // printf in pieces, a carriage return as a terminal redraw would send
                  w.print("line ");
                  w.printf("%d of %s\r", i, name);
                  w.println();
                }
                w.print("unfinished");
                w.close();
              });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    shared.flush();
    String[] lines = sink.toString().split("\n", -1);
    assertEquals(2 * 2001 + 1, lines.length, "lines and the final empty piece");
    int[] next = new int[2];
    for (int k = 0; k < lines.length - 1; k++) {
      String l = lines[k];
      int who = l.startsWith("[a] ") ? 0 : 1;
      String name = who == 0 ? "a" : "b";
      assertTrue(l.startsWith("[" + name + "] "), l);
      String expected =
          next[who] < 2000
              ? "[" + name + "] line " + next[who] + " of " + name
              : "[" + name + "] unfinished";
      assertEquals(expected, l, "line " + k);
      next[who]++;
    }
    assertEquals(2001, next[0]);
    assertEquals(2001, next[1]);
  }
}
