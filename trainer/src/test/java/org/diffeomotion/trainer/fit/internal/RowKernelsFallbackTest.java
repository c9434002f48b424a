package org.diffeomotion.trainer.fit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.diffeomotion.model.testing.ChildJvm;
import org.junit.jupiter.api.Test;

/**
 * A JVM started without {@code --add-modules jdk.incubator.vector} still trains, on the scalar row
 * kernels, with the same flow: checked in a child JVM started without the flag.
 */
class RowKernelsFallbackTest {

  /** Entry point of the child JVM: prints the kernels chosen and F of one point. */
  public static void main(String[] args) {
    double[] y = forwardOfOnePoint(new ScalarFlow(layout()));
    System.out.println(RowKernels.bestName() + " " + y[0] + " " + y[1]);
  }

  private static FlowLayout layout() {
    return new FlowLayout(2, 0, 3, 16, 1, 0.05, 2.0, 1L);
  }

  private static double[] forwardOfOnePoint(ScalarFlow flow) {
    FlowLayout lay = layout();
    SplittableRandom rng = new SplittableRandom(11);
    double[] th = new double[lay.size];
    for (int i = 0; i < th.length; i++) {
      th[i] = 0.5 * rng.nextGaussian();
    }
    ScalarFlow.Pass p = new ScalarFlow.Pass(lay, 1);
    p.state[0][0][0] = 0.3;
    p.state[0][0][1] = -0.7;
    flow.forward(th, p);
    return p.state[lay.blocks][0];
  }

  @Test
  void withoutTheVectorModuleTheScalarKernelsRunAndAgree() throws Exception {
    String outText = ChildJvm.run(RowKernelsFallbackTest.class);
    String[] parts = outText.split(" ");
    assertEquals("scalar", parts[0], "row kernels chosen without the module: " + outText);
    double[] y = forwardOfOnePoint(new ScalarFlow(layout(), RowKernels.named("vector")));
    assertEquals(Double.parseDouble(parts[1]), y[0], 1e-13, outText);
    assertEquals(Double.parseDouble(parts[2]), y[1], 1e-13, outText);
  }
}
