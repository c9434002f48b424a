package org.diffeomotion.grpc;

/**
 * Size and rate limits of the motion service, checked before any work starts. Requests over a limit
 * get {@code RESOURCE_EXHAUSTED} with a message that names the field, the value and the limit.
 * Immutable; start from {@link #defaults()} and override with the {@code with*} methods.
 */
public final class ServiceLimits {
  private final int maxPointsPerRollout;
  private final long maxResponseValues;
  private final int maxInboundMessageBytes;
  private final double maxStreamRateHz;
  private final long maxStreamPoints;
  private final int maxConcurrentStreams;
  private final org.diffeomotion.model.Workspace workspace;
  private final org.diffeomotion.model.Arrival arrival;

  private ServiceLimits(
      int maxPointsPerRollout,
      long maxResponseValues,
      int maxInboundMessageBytes,
      double maxStreamRateHz,
      long maxStreamPoints,
      int maxConcurrentStreams,
      org.diffeomotion.model.Workspace workspace,
      org.diffeomotion.model.Arrival arrival) {
    this.workspace = java.util.Objects.requireNonNull(workspace, "workspace");
    this.arrival = java.util.Objects.requireNonNull(arrival, "arrival");
    this.maxPointsPerRollout = positive("maxPointsPerRollout", maxPointsPerRollout);
    this.maxResponseValues = positive("maxResponseValues", maxResponseValues);
    this.maxInboundMessageBytes = positive("maxInboundMessageBytes", maxInboundMessageBytes);
    if (!(maxStreamRateHz > 0) || !Double.isFinite(maxStreamRateHz)) {
      throw new IllegalArgumentException(
          "maxStreamRateHz must be finite and > 0, got " + maxStreamRateHz);
    }
    this.maxStreamRateHz = maxStreamRateHz;
    this.maxStreamPoints = positive("maxStreamPoints", maxStreamPoints);
    this.maxConcurrentStreams = positive("maxConcurrentStreams", maxConcurrentStreams);
  }

  /**
   * 100 000 points per rollout; 500 000 doubles (4 MB) per response, so that answers fit the 4 MiB
   * default inbound limit of gRPC clients; 4 MiB per request; streams up to 10 kHz and 36 000 000
   * setpoints (one hour at 10 kHz); 64 concurrent streams; the default workspace (100 sigma around
   * the goal, durations up to 1000 tau).
   */
  public static ServiceLimits defaults() {
    return new ServiceLimits(
        100_000,
        500_000,
        4 << 20,
        10_000,
        36_000_000,
        64,
        org.diffeomotion.model.Workspace.defaults(),
        org.diffeomotion.model.Arrival.defaults());
  }

  /** Most output times of one trajectory (Rollout, RolloutBatch) [points]. */
  public int maxPointsPerRollout() {
    return maxPointsPerRollout;
  }

  /** Most doubles in one response (times, states and velocities) [values]. */
  public long maxResponseValues() {
    return maxResponseValues;
  }

  /** Largest request message the server accepts [bytes]. */
  public int maxInboundMessageBytes() {
    return maxInboundMessageBytes;
  }

  /** Highest setpoint rate of StreamSetpoints [Hz]. */
  public double maxStreamRateHz() {
    return maxStreamRateHz;
  }

  /** Most setpoints in one stream [points]. */
  public long maxStreamPoints() {
    return maxStreamPoints;
  }

  /** Most StreamSetpoints calls running at once. */
  public int maxConcurrentStreams() {
    return maxConcurrentStreams;
  }

  public ServiceLimits withMaxPointsPerRollout(int v) {
    return new ServiceLimits(
        v,
        maxResponseValues,
        maxInboundMessageBytes,
        maxStreamRateHz,
        maxStreamPoints,
        maxConcurrentStreams,
        workspace,
        arrival);
  }

  public ServiceLimits withMaxResponseValues(long v) {
    return new ServiceLimits(
        maxPointsPerRollout,
        v,
        maxInboundMessageBytes,
        maxStreamRateHz,
        maxStreamPoints,
        maxConcurrentStreams,
        workspace,
        arrival);
  }

  public ServiceLimits withMaxInboundMessageBytes(int v) {
    return new ServiceLimits(
        maxPointsPerRollout,
        maxResponseValues,
        v,
        maxStreamRateHz,
        maxStreamPoints,
        maxConcurrentStreams,
        workspace,
        arrival);
  }

  public ServiceLimits withMaxStreamRateHz(double v) {
    return new ServiceLimits(
        maxPointsPerRollout,
        maxResponseValues,
        maxInboundMessageBytes,
        v,
        maxStreamPoints,
        maxConcurrentStreams,
        workspace,
        arrival);
  }

  public ServiceLimits withMaxStreamPoints(long v) {
    return new ServiceLimits(
        maxPointsPerRollout,
        maxResponseValues,
        maxInboundMessageBytes,
        maxStreamRateHz,
        v,
        maxConcurrentStreams,
        workspace,
        arrival);
  }

  public ServiceLimits withMaxConcurrentStreams(int v) {
    return new ServiceLimits(
        maxPointsPerRollout,
        maxResponseValues,
        maxInboundMessageBytes,
        maxStreamRateHz,
        maxStreamPoints,
        v,
        workspace,
        arrival);
  }

  /**
   * The states, goals, durations and time scales requests may use (INVALID_ARGUMENT outside, naming
   * the field); default {@link org.diffeomotion.model.Workspace#defaults()}.
   */
  public org.diffeomotion.model.Workspace workspace() {
    return workspace;
  }

  public ServiceLimits withWorkspace(org.diffeomotion.model.Workspace v) {
    return new ServiceLimits(
        maxPointsPerRollout,
        maxResponseValues,
        maxInboundMessageBytes,
        maxStreamRateHz,
        maxStreamPoints,
        maxConcurrentStreams,
        v,
        arrival);
  }

  /**
   * When a trajectory has arrived at the goal (the responses' {@code arrival}, the {@code
   * until_arrival} time grid); default {@link org.diffeomotion.model.Arrival#defaults()}. Not a
   * limit, but a setting of the service like the workspace.
   */
  public org.diffeomotion.model.Arrival arrival() {
    return arrival;
  }

  public ServiceLimits withArrival(org.diffeomotion.model.Arrival v) {
    return new ServiceLimits(
        maxPointsPerRollout,
        maxResponseValues,
        maxInboundMessageBytes,
        maxStreamRateHz,
        maxStreamPoints,
        maxConcurrentStreams,
        workspace,
        v);
  }

  @Override
  public String toString() {
    return "ServiceLimits{maxPointsPerRollout="
        + maxPointsPerRollout
        + ", maxResponseValues="
        + maxResponseValues
        + ", maxInboundMessageBytes="
        + maxInboundMessageBytes
        + ", maxStreamRateHz="
        + maxStreamRateHz
        + ", maxStreamPoints="
        + maxStreamPoints
        + ", maxConcurrentStreams="
        + maxConcurrentStreams
        + ", "
        + workspace
        + ", arrival within "
        + arrival.distance()
        + " sigma and "
        + arrival.speed()
        + " sigma/tau}";
  }

  private static int positive(String name, int v) {
    if (v <= 0) {
      throw new IllegalArgumentException(name + " must be > 0, got " + v);
    }
    return v;
  }

  private static long positive(String name, long v) {
    if (v <= 0) {
      throw new IllegalArgumentException(name + " must be > 0, got " + v);
    }
    return v;
  }
}
