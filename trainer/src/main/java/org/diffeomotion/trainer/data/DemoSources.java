package org.diffeomotion.trainer.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Picks the reader for input files given on a command line: ROS bags or one CSV file. */
public final class DemoSources {

  private DemoSources() {}

  /**
   * @param inputs one or more {@code .bag} files, or exactly one {@code .csv} file
   * @param options bag options; for CSV only {@link BagReadOptions#trim()} applies
   * @return the reader
   * @throws DemoDataException if there are no inputs, an input has neither extension, or bags and
   *     CSV are mixed
   */
  public static DemoSource forPaths(List<Path> inputs, BagReadOptions options)
      throws DemoDataException {
    if (inputs.isEmpty()) {
      throw new DemoDataException(
          DataLocation.of("(inputs)"), "no demonstration files given (.bag or .csv)");
    }
    int bags = 0;
    int csvs = 0;
    for (Path p : inputs) {
      String name =
          p.getFileName() == null ? "" : p.getFileName().toString().toLowerCase(Locale.ROOT);
      if (name.endsWith(".bag")) {
        bags++;
      } else if (name.endsWith(".csv")) {
        csvs++;
      } else {
        throw new DemoDataException(
            DataLocation.of(p.toString()),
            "is neither a ROS bag" + " (.bag) nor a CSV file (.csv)");
      }
    }
    if (csvs > 0 && (bags > 0 || csvs > 1)) {
      throw new DemoDataException(
          DataLocation.of(inputs.toString()),
          "give either ROS bags"
              + " or a single CSV file (put all demos of a CSV data set in one file)");
    }
    if (csvs == 1) {
      if (options.pose()) {
        throw new DemoDataException(
            DataLocation.of(inputs.get(0).toString()),
            "the pose option reads orientations from ROS bags (geometry_msgs/PoseStamped,"
                + " geometry_msgs/TransformStamped, nav_msgs/Odometry, nav_msgs/Path); a CSV file"
                + " gives position or joint demonstrations only");
      }
      // A CSV file names its demos and columns itself: bag-only options are refused, not ignored.
      DataLocation csv = DataLocation.of(inputs.get(0).toString());
      if (options.topic() != null) {
        throw new DemoDataException(
            csv, "a CSV file has no topics; the topic option applies to ROS bags only");
      }
      if (options.gapThreshold() > 0) {
        throw new DemoDataException(
            csv,
            "a CSV file names each sample's demo in its first column; the gap threshold applies"
                + " to ROS bags only");
      }
      return new CsvDemoReader(inputs.get(0), options.trim(), options.dimensions());
    }
    return new BagDemoReader(inputs, options);
  }
}
