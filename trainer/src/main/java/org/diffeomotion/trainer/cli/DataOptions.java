package org.diffeomotion.trainer.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.diffeomotion.trainer.data.BagReadOptions;
import org.diffeomotion.trainer.data.DemoDataException;
import org.diffeomotion.trainer.data.DemoSources;
import org.diffeomotion.trainer.data.DemonstrationSet;
import org.diffeomotion.trainer.data.PreprocessOptions;
import org.diffeomotion.trainer.data.TrimOptions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * How to read demonstrations: the options shared by {@code train} and {@code evaluate} (DATA.md).
 */
public final class DataOptions {

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--topic",
      paramLabel = "TOPIC",
      description = "Bag topic to read (default: the only topic of a supported type).")
  String topic;

  @Option(
      names = "--dims",
      paramLabel = "A,B,..",
      description =
          "State dimensions to keep, in order: a subset of x,y,z, or joint names (default: all).")
  String dimsText;

  @Option(
      names = "--pose",
      description =
          "Full poses: keep the orientation of PoseStamped, TransformStamped, Odometry or Path"
              + " messages; the model learns [x, y, z, r] with r the rotation vector relative to the"
              + " mean end orientation (default: position only).")
  boolean pose;

  @Option(
      names = "--gap-threshold",
      paramLabel = "SECONDS",
      defaultValue = "0",
      description =
          "Split a bag into demos where stamps are more than this apart [s]; 0 = one demo per bag "
              + "(default: ${DEFAULT-VALUE}).")
  double gapThreshold;

  @Option(
      names = "--trim",
      paramLabel = "SPEED,DURATION",
      converter = Numbers.Converter.class,
      description =
          "Trim still phases at the start and end of each demo: speed threshold [units/s] and "
              + "shortest still phase removed [s], e.g. 0.02,0.3 (default: no trimming).")
  Numbers trim;

  @Option(
      names = "--grid",
      paramLabel = "N",
      defaultValue = "100",
      description = "Points per demo after resampling (default: ${DEFAULT-VALUE}).")
  int grid;

  @Option(
      names = "--per-dimension-scale",
      description =
          "Normalise each dimension by its own range instead of one scale per unit (the default: "
              + "a unit of error weighs alike along every axis of that unit, as the DTW and a "
              + "tracking error do; per dimension, one that moves little, such as a nearly "
              + "straight stroke's sideways wobble, is magnified to the size of the motion).")
  boolean perDimensionScale;

  @Option(
      names = "--rotation-weight",
      paramLabel = "W",
      description =
          "With --pose: the weight of the orientation's error against the position's in the fit's"
              + " loss, each normalised by the demos' largest offset from the goal, in (0, 1e4]"
              + " (default: 1/4 = 0.25, measured on the pose benchmark: with 1 the fit traded"
              + " the positions for the orientation). Larger follows the orientation more closely.")
  Double rotationWeight;

  /** The preprocessing options these data options ask for, the {@code --grid} given. */
  PreprocessOptions preprocessOptions() {
    if (rotationWeight != null && !pose) {
      throw new ParameterException(
          spec.commandLine(),
          "--rotation-weight weighs the orientation of full poses; it needs --pose");
    }
    double w = rotationWeight == null ? PreprocessOptions.DEFAULT_ROTATION_WEIGHT : rotationWeight;
    if (!(w > 0 && w <= PreprocessOptions.MAX_ROTATION_WEIGHT)) {
      throw new ParameterException(
          spec.commandLine(),
          "--rotation-weight must be in (0, "
              + PreprocessOptions.MAX_ROTATION_WEIGHT
              + "], got "
              + w);
    }
    if (grid < 2 || grid > PreprocessOptions.MAX_GRID) {
      throw new ParameterException(
          spec.commandLine(),
          "--grid must be 2.." + PreprocessOptions.MAX_GRID + " points per demo, got " + grid);
    }
    return PreprocessOptions.defaults()
        .withGridSize(grid)
        .withSharedScale(!perDimensionScale)
        .withRotationWeight(w);
  }

  BagReadOptions bagOptions() {
    if (!(gapThreshold >= 0) || !Double.isFinite(gapThreshold)) {
      throw new ParameterException(
          spec.commandLine(), "--gap-threshold must be >= 0 [s], got " + gapThreshold);
    }
    if (grid < 2) {
      throw new ParameterException(spec.commandLine(), "--grid must be >= 2, got " + grid);
    }
    BagReadOptions o = BagReadOptions.defaults().withGapThreshold(gapThreshold);
    if (topic != null) {
      o = o.withTopic(topic);
    }
    if (pose && !dims().isEmpty()) {
      throw new ParameterException(
          spec.commandLine(),
          "--pose reads x, y, z and the orientation; it cannot be combined with --dims");
    }
    if (!dims().isEmpty()) {
      o = o.withDimensions(dims());
    }
    o = o.withPose(pose);
    if (trim != null) {
      if (trim.size() != 2) {
        throw new ParameterException(
            spec.commandLine(), "--trim takes SPEED,DURATION (two numbers), got " + trim.size());
      }
      try {
        o = o.withTrim(TrimOptions.of(trim.get(0), trim.get(1)));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--trim: " + e.getMessage());
      }
    }
    return o;
  }

  List<String> dims() {
    List<String> l = new ArrayList<>();
    if (dimsText != null) {
      for (String x : dimsText.split(",")) {
        if (!x.isBlank()) {
          l.add(x.strip());
        }
      }
    }
    return l;
  }

  DemonstrationSet read(List<Path> inputs) throws DemoDataException {
    return DemoSources.forPaths(inputs, bagOptions()).read();
  }

  /** The options in words, for reports and provenance. */
  String describe() {
    List<String> p = new ArrayList<>();
    if (topic != null) {
      p.add("topic " + topic);
    }
    if (!dims().isEmpty()) {
      p.add("dims " + String.join(",", dims()));
    }
    if (pose) {
      p.add("full poses");
    }
    p.add(gapThreshold > 0 ? "gap threshold " + gapThreshold + " s" : "one demo per bag");
    p.add(
        trim == null
            ? "no trimming"
            : String.format(
                Locale.ROOT,
                "still phases trimmed (speed < %s units/s " + "for >= %s s)",
                trim.get(0),
                trim.size() > 1 ? trim.get(1) : Double.NaN));
    p.add("grid " + grid);
    if (perDimensionScale) {
      p.add("one scale per dimension");
    }
    if (pose) {
      p.add(
          String.format(
              Locale.ROOT,
              "rotation weight %s",
              rotationWeight == null ? PreprocessOptions.DEFAULT_ROTATION_WEIGHT : rotationWeight));
    }
    return String.join(", ", p);
  }
}
