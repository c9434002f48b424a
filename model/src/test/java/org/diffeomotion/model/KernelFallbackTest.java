package org.diffeomotion.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.diffeomotion.model.testing.ChildJvm;
import org.diffeomotion.model.testing.ModelFactory;
import org.diffeomotion.model.testing.ModelSpec;
import org.junit.jupiter.api.Test;

/**
 * A JVM started without {@code --add-modules jdk.incubator.vector} still runs the model, on the
 * scalar kernels, with the same numbers: checked in a child JVM started without the flag.
 */
class KernelFallbackTest {

  /** Entry point of the child JVM: prints the kernels chosen and one rollout value. */
  public static void main(String[] args) {
    MotionModel m = ModelFactory.random(new ModelSpec().stateDim(2).blocks(3).hidden(16), 5);
    Rollout r = new Rollout(m, 10);
    double[] y = r.rollout(new double[] {0.5, -0.5}, RolloutTest.uniformTimes(10, 2));
    Rollout rf = new Rollout(m, 10, Precision.FLOAT);
    double[] yf = rf.rollout(new double[] {0.5, -0.5}, RolloutTest.uniformTimes(10, 2));
    System.out.println(
        r.kernels() + " " + Double.toString(y[19]) + " " + rf.kernels() + " " + yf[19]);
  }

  @Test
  void withoutTheVectorModuleTheScalarKernelsRunAndAgree() throws Exception {
    String outText = ChildJvm.run(KernelFallbackTest.class);
    String[] parts = outText.split(" ");
    assertEquals("scalar", parts[0], "kernels chosen without the module: " + outText);
    MotionModel m = ModelFactory.random(new ModelSpec().stateDim(2).blocks(3).hidden(16), 5);
    double[] y =
        new Rollout(m, 10, "vector")
            .rollout(new double[] {0.5, -0.5}, RolloutTest.uniformTimes(10, 2));
    assertEquals(Double.parseDouble(parts[1]), y[19], 1e-13);
    // Float without the module: the scalar float kernels, the same network bits as the vector
    // ones (the double parts agree to ~1e-15).
    assertEquals("scalar+float-scalar", parts[2], outText);
    double[] yf =
        new Rollout(m, 10, "vector", Precision.FLOAT)
            .rollout(new double[] {0.5, -0.5}, RolloutTest.uniformTimes(10, 2));
    assertEquals(Double.parseDouble(parts[3]), yf[19], 1e-13);
  }
}
