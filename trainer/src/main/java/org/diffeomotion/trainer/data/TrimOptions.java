package org.diffeomotion.trainer.data;

/**
 * Removal of still phases at the start and end of each demonstration (the operator waiting before
 * moving, and after arriving). A phase is still where the speed, measured over a window so that
 * sensor noise does not count as motion, stays below a threshold; it is removed only if it lasts at
 * least {@code minDuration}. The trimmed demo starts at the first sample whose forward window shows
 * motion and ends at the last sample whose backward window does; both are still at rest (the window
 * reaches into the motion), so the demo keeps its start and its goal.
 *
 * @param speedThreshold below this speed a sample is still [state units/s], e.g. 0.02 m/s; the
 *     speed is the Euclidean norm over all state entries. 0 turns trimming off.
 * @param minDuration a still phase shorter than this is kept [s] (≥ 0)
 * @param speedWindow the speed at a sample is the displacement to the sample at least this much
 *     later (earlier at the end) divided by the time between them [s] (&gt; 0); 0.1 s averages out
 *     millimetre noise at typical rates
 */
public record TrimOptions(double speedThreshold, double minDuration, double speedWindow) {

  /** No trimming. */
  public static final TrimOptions NONE = new TrimOptions(0.0, 0.0, 0.1);

  public TrimOptions {
    if (!(speedThreshold >= 0) || !Double.isFinite(speedThreshold)) {
      throw new IllegalArgumentException(
          "trim speedThreshold must be finite and >= 0, got " + speedThreshold);
    }
    if (!(minDuration >= 0) || !Double.isFinite(minDuration)) {
      throw new IllegalArgumentException(
          "trim minDuration must be finite and >= 0 s, got " + minDuration);
    }
    if (!(speedWindow > 0) || !Double.isFinite(speedWindow)) {
      throw new IllegalArgumentException(
          "trim speedWindow must be finite and > 0 s, got " + speedWindow);
    }
  }

  /** Trimming with the default 0.1 s speed window. */
  public static TrimOptions of(double speedThreshold, double minDuration) {
    return new TrimOptions(speedThreshold, minDuration, 0.1);
  }

  /** Whether trimming is on. */
  public boolean enabled() {
    return speedThreshold > 0;
  }
}
