package org.diffeomotion.trainer.fit;

/** Receives progress reports from {@link Trainer#fit}; called on the training thread. */
@FunctionalInterface
public interface ProgressListener {

  void onProgress(Progress progress);

  /** A listener that ignores every report. */
  static ProgressListener none() {
    return p -> {};
  }
}
