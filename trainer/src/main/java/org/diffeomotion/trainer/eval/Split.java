package org.diffeomotion.trainer.eval;

/** Which part of the data a demonstration was in. */
public enum Split {
  /** Trained on. */
  TRAIN("train"),
  /** Held out from training (PreparedData's validation split). */
  VALIDATION("validation"),
  /** Given to {@code evaluate}; the model may or may not have seen it. */
  EVALUATED("evaluated");

  private final String label;

  Split(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
