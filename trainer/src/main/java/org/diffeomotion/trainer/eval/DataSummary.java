package org.diffeomotion.trainer.eval;

import java.util.ArrayList;
import java.util.List;
import org.diffeomotion.trainer.data.PreparedData;

/**
 * What a report says about the data: where they came from, how they were read and prepared, and the
 * task coordinates g, sigma, tau.
 *
 * @param source the inputs (files and topic).
 * @param reading how they were read and prepared, in words (gap threshold, trimming, grid, split).
 * @param samples samples read, over all demos, before resampling.
 * @param data the prepared data.
 */
public record DataSummary(String source, String reading, int samples, PreparedData data) {

  /** Per-demo durations [s]. */
  public List<Double> durations() {
    List<Double> l = new ArrayList<>();
    for (int i = 0; i < data.demoCount(); i++) {
      l.add(data.duration(i));
    }
    return l;
  }
}
