package org.diffeomotion.ros1;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * The seed of the randomised ros1 tests: fixed unless {@code -Dtest.seed=N} is given. Silent while
 * the tests pass; as an extension ({@code @ExtendWith(TestSeed.class)}) it names the seed in the
 * message of every failure, so that a failure can be replayed.
 */
public final class TestSeed implements TestExecutionExceptionHandler {

  public static final long SEED = Long.getLong("test.seed", 20261122L);

  /** "seed N (rerun with -Dtest.seed=N)". */
  public static String describe() {
    return "seed " + SEED + " (rerun with -Dtest.seed=" + SEED + ")";
  }

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable failure)
      throws Throwable {
    throw new AssertionError(failure + " [" + describe() + "]", failure);
  }
}
