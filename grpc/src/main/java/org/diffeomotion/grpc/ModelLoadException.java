package org.diffeomotion.grpc;

import java.io.IOException;

/**
 * A model file could not be loaded; nothing was replaced. {@link #reason()} says why, so that the
 * service can map it to a gRPC status; the message names the path (and, for an invalid file, the
 * field).
 */
public final class ModelLoadException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Why a load failed. */
  public enum Reason {
    /** The request itself is malformed (empty path, bad name, unknown model to reload). */
    INVALID_REQUEST,
    /** The path leaves the model directory (absolute, "..", or a symbolic link out of it). */
    OUTSIDE_DIRECTORY,
    /** No such regular file. */
    NOT_FOUND,
    /** The file exists but does not read or validate as a model (or is not a regular file). */
    INVALID_MODEL,
    /** The file is larger than {@code ModelArtifacts.MAX_FILE_BYTES}; refused before reading. */
    TOO_LARGE,
  }

  private final Reason reason;

  public ModelLoadException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public ModelLoadException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
