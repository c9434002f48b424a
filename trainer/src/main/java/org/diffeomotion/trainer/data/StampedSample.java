package org.diffeomotion.trainer.data;

/**
 * One state sample of a stamped message stream: header stamp and record time [ns since the epoch],
 * values. Package-private: what the readers hand to {@link SampleTimes}.
 */
record StampedSample(long stampNs, long recordNs, double[] values) {}
