package org.diffeomotion.trainer.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The time policy of a stamped sample stream, independent of where it was read from: which clock to
 * use (header stamps unless all are zero, then record times; a mix is an error), where to split it
 * into demonstrations (gaps longer than a threshold, with a warning when no threshold is set but
 * the stream pauses like several demonstrations), and the demonstration's times relative to its
 * first sample, exact to 1 ns.
 */
final class SampleTimes {

  private static final Logger LOG = LoggerFactory.getLogger(SampleTimes.class);
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private SampleTimes() {}

  static int countZeroStamps(List<StampedSample> samples) {
    int n = 0;
    for (StampedSample s : samples) {
      if (s.stampNs() == 0) {
        n++;
      }
    }
    return n;
  }

  /** Header stamps unless all are zero; an error if only some are. */
  static boolean chooseTimeSource(List<StampedSample> samples, DataLocation where)
      throws DemoDataException {
    int zeros = countZeroStamps(samples);
    if (zeros == 0) {
      return false;
    }
    if (zeros == samples.size()) {
      LOG.warn(
          "{}: all {} header stamps are zero; using the bag's record times instead", where, zeros);
      return true;
    }
    int first = 0;
    while (samples.get(first).stampNs() != 0) {
      first++;
    }
    throw new DemoDataException(
        where.withField("header.stamp"),
        zeros
            + " of "
            + samples.size()
            + " messages have a zero stamp (first: message "
            + first
            + ")"
            + " and the others do not; cannot mix stamps with record times");
  }

  /**
   * The samples cut wherever consecutive times jump by more than gap [s]; gap 0: one list (with a
   * warning if the times pause like several demonstrations would).
   */
  static List<List<StampedSample>> splitAtGaps(
      List<StampedSample> samples, boolean useRecordTime, double gap, DataLocation where) {
    List<List<StampedSample>> out = new ArrayList<>();
    if (gap <= 0) {
      warnIfGapsLookLikeSeveralDemos(samples, useRecordTime, where);
      out.add(samples);
      return out;
    }
    long gapNs = Math.round(gap * NANOS_PER_SECOND);
    int start = 0;
    for (int i = 1; i < samples.size(); i++) {
      if (time(samples.get(i), useRecordTime) - time(samples.get(i - 1), useRecordTime) > gapNs) {
        out.add(samples.subList(start, i));
        start = i;
      }
    }
    out.add(samples.subList(start, samples.size()));
    return out;
  }

  /**
   * Forgetting the gap threshold on a bag of several demos would train on one long demo (and the
   * goal check cannot notice: one demo always agrees with itself), so say so when a pause is far
   * longer than the typical sample period.
   */
  private static void warnIfGapsLookLikeSeveralDemos(
      List<StampedSample> samples, boolean useRecordTime, DataLocation where) {
    int n = samples.size();
    if (n < 3) {
      return;
    }
    long[] dt = new long[n - 1];
    for (int i = 1; i < n; i++) {
      dt[i - 1] = time(samples.get(i), useRecordTime) - time(samples.get(i - 1), useRecordTime);
    }
    long[] sorted = dt.clone();
    Arrays.sort(sorted);
    long median = sorted[sorted.length / 2];
    long largest = sorted[sorted.length - 1];
    long threshold = Math.max(20 * median, NANOS_PER_SECOND / 2);
    int pauses = 0;
    for (long d : dt) {
      if (d > threshold) {
        pauses++;
      }
    }
    if (pauses > 0) {
      LOG.warn(
          "{}: read as one demonstration, but the stamps pause {} time(s), up to {} s"
              + " (typical period {} s); if the bag holds several demonstrations, set a gap"
              + " threshold",
          where,
          pauses,
          largest / 1e9,
          median / 1e9);
    }
  }

  private static long time(StampedSample s, boolean useRecordTime) {
    return useRecordTime ? s.recordNs() : s.stampNs();
  }

  /** Times relative to the first sample, from integer nanoseconds (exact to 1 ns). */
  static Demonstration toDemo(
      String name, String source, List<StampedSample> samples, boolean useRecordTime) {
    int n = samples.size();
    double[] t = new double[n];
    double[][] y = new double[n][];
    long t0 = time(samples.get(0), useRecordTime);
    for (int i = 0; i < n; i++) {
      t[i] = (time(samples.get(i), useRecordTime) - t0) / 1e9;
      y[i] = samples.get(i).values();
    }
    return new Demonstration(name, source, t, y);
  }
}
