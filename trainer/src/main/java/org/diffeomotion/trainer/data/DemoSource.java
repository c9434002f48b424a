package org.diffeomotion.trainer.data;

/**
 * Something demonstrations can be read from: ROS bags ({@link BagDemoReader}) or a CSV file ({@link
 * CsvDemoReader}). Implementations validate at this edge, so a returned set is well-formed (see
 * {@link DemonstrationSet#of}).
 */
public interface DemoSource {

  /**
   * Reads, segments, trims and validates the demonstrations.
   *
   * @throws DemoDataException if the input cannot be read or the data are unusable; the message
   *     names the file, topic, demo and field
   */
  DemonstrationSet read() throws DemoDataException;
}
