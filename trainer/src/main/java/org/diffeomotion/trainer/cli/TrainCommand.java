package org.diffeomotion.trainer.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.diffeomotion.model.ModelArtifacts;
import org.diffeomotion.model.MotionModel;
import org.diffeomotion.proto.model.v1.Model;
import org.diffeomotion.proto.model.v1.Provenance;
import org.diffeomotion.trainer.data.DemonstrationSet;
import org.diffeomotion.trainer.data.PreparedData;
import org.diffeomotion.trainer.data.PreprocessOptions;
import org.diffeomotion.trainer.data.Preprocessor;
import org.diffeomotion.trainer.eval.Coverage;
import org.diffeomotion.trainer.eval.DataSummary;
import org.diffeomotion.trainer.eval.Evaluation;
import org.diffeomotion.trainer.eval.FitCheck;
import org.diffeomotion.trainer.eval.ReportWriter;
import org.diffeomotion.trainer.eval.Split;
import org.diffeomotion.trainer.eval.TrainingCurve;
import org.diffeomotion.trainer.eval.TrainingSummary;
import org.diffeomotion.trainer.fit.Timing;
import org.diffeomotion.trainer.fit.TrainOptions;
import org.diffeomotion.trainer.fit.TrainResult;
import org.diffeomotion.trainer.fit.Trainer;
import org.diffeomotion.trainer.fit.TrainingSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code diffeo train}: demonstrations in, model file and report out. */
@Command(
    name = "train",
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Trains a stable motion model on demonstrations (ROS bags or one CSV file), writes the model "
          + "file after checking that the model module reproduces the trainer, and evaluates it "
          + "(metrics per demo; with --report, plots and report.md)."
    },
    mixinStandardHelpOptions = true)
final class TrainCommand implements Callable<Integer>, DiffeoCli.TerminalAware {

  @Spec CommandSpec spec;

  @Parameters(
      arity = "1..*",
      paramLabel = "INPUT",
      description = "Demonstrations: .bag files, or one .csv file.")
  List<Path> inputs;

  @Option(
      names = {"-o", "--out"},
      required = true,
      paramLabel = "MODEL",
      description = "Model file to write (atomically), e.g. model.dmm.")
  Path out;

  @Option(
      names = "--report",
      paramLabel = "DIR",
      description = "Write plots and report.md into DIR.")
  Path report;

  @Mixin DataOptions data = new DataOptions();

  @Option(
      names = "--validation-fraction",
      paramLabel = "F",
      defaultValue = "0.2",
      description =
          "Share of demos held out for validation, in [0, 1) (default: ${DEFAULT-VALUE}).")
  double validationFraction;

  @Option(
      names = "--split-seed",
      paramLabel = "S",
      defaultValue = "0",
      description = "Seed of the train/validation shuffle (default: ${DEFAULT-VALUE}).")
  long splitSeed;

  @Option(
      names = "--blocks",
      paramLabel = "K",
      defaultValue = "6",
      description = "Coupling blocks (default: ${DEFAULT-VALUE}).")
  int blocks;

  @Option(
      names = "--width",
      paramLabel = "W",
      defaultValue = "64",
      description = "Hidden units per layer of each coupling MLP (default: ${DEFAULT-VALUE}).")
  int width;

  @Option(
      names = "--hidden-layers",
      paramLabel = "L",
      defaultValue = "1",
      description = "Hidden layers per coupling MLP (default: ${DEFAULT-VALUE}).")
  int hiddenLayers;

  @Option(
      names = "--epsilon",
      paramLabel = "E",
      defaultValue = "0.05",
      description =
          "Lower bound on every decay rate of the base [1/normalised time] (default: ${DEFAULT-VALUE}).")
  double epsilon;

  @Option(
      names = "--clamp",
      paramLabel = "C",
      defaultValue = "2.0",
      description = "Soft clamp of the coupling log-scales (default: ${DEFAULT-VALUE}).")
  double clamp;

  @Option(
      names = "--iterations",
      paramLabel = "N",
      defaultValue = "2000",
      description =
          "Total Adam iterations, >= 1; the learning-rate schedule spans them (default: ${DEFAULT-VALUE}).")
  long iterations;

  @Option(
      names = "--lr",
      paramLabel = "R",
      defaultValue = "0.003",
      description =
          "Peak Adam learning rate, in (0, 1]: warm-up over the first 50 iterations, then cosine "
              + "decay to 5 %% of it (default: ${DEFAULT-VALUE}).")
  double learningRate;

  @Option(
      names = "--warmup",
      paramLabel = "N",
      defaultValue = "50",
      description = "Iterations of the linear learning-rate warm-up (default: ${DEFAULT-VALUE}).")
  long warmup;

  @Option(
      names = "--clip",
      paramLabel = "C",
      defaultValue = "1.0",
      description = "Clip the gradient to this global norm; 0 = off (default: ${DEFAULT-VALUE}).")
  double clip;

  @Option(
      names = "--starts",
      paramLabel = "N",
      defaultValue = "2",
      description =
          "Independent initialisations (start i: seed S + i x 0x9E3779B97F4A7C15) trained side by side on up to as many "
              + "cores; the one with the lowest training loss is exported (default: ${DEFAULT-VALUE}).")
  int starts;

  @Option(
      names = "--timing",
      paramLabel = "MODE",
      defaultValue = "progress",
      description =
          "progress: fit the demonstrated paths on the model's own speed profile (it starts at its "
              + "peak speed and decelerates into the goal; shape first); demo: fit the demonstrated times "
              + "(also their acceleration from rest; paths suffer). Default: ${DEFAULT-VALUE}.")
  String timing;

  @Option(
      names = "--realign-every",
      paramLabel = "N",
      defaultValue = "100",
      description =
          "Every N iterations (from --realign-from of the run on), re-time each training demo to the "
              + "model's own progress: the times at which its rollout from the demo's start passes "
              + "closest to the samples, in order; the loss then compares paths, not a guessed timing. "
              + "0 = never (default: ${DEFAULT-VALUE}).")
  long realignEvery;

  @Option(
      names = "--realign-from",
      paramLabel = "F",
      defaultValue = "0.25",
      description =
          "Share of the iterations before the first re-alignment, in [0, 1) (default: ${DEFAULT-VALUE}).")
  double realignFrom;

  @Option(
      names = "--feature-scale",
      paramLabel = "F",
      description =
          "Scale of the coupling nets' initial first-layer weights, in (0, 100]: how sharp a turn "
              + "the first steps can bend in (default: auto, 8 for demos that start close together down to 1 "
              + "for demos far apart).")
  Double featureScale;

  @Option(
      names = "--fit-points",
      paramLabel = "N",
      defaultValue = "50",
      description =
          "Samples per demo the training loss compares (each demo interpolated at N uniform "
              + "times; default: ${DEFAULT-VALUE}).")
  int fitPoints;

  @Option(
      names = "--windows",
      paramLabel = "L,..",
      split = ",",
      description =
          "Fit shooting windows of these lengths (samples) first, for --window-fraction of the "
              + "iterations (default: none; measured to hurt on the benchmark, TRAINING.md).")
  int[] windows;

  @Option(
      names = "--window-fraction",
      paramLabel = "F",
      defaultValue = "0.25",
      description = "Share of the iterations on --windows (default: ${DEFAULT-VALUE}).")
  double windowFraction;

  @Option(
      names = "--allow-poor-fit",
      description =
          "Write the model even when it fails the fit check (no better than the identity flow, "
              + "leaves the demonstrated region, far faster than the demos) or training diverged; the "
              + "model's provenance records it.")
  boolean allowPoorFit;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "1",
      description = "Seed of the initial parameters (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--init-decay",
      paramLabel = "RATE",
      description =
          "Initial decay rate of every base mode [1/normalised time] (default: the engine's "
              + "automatic value, 6 / median training-demo duration).")
  Double initDecay;

  @Option(
      names = "--blends",
      negatable = true,
      defaultValue = "true",
      description =
          "Also fit each training demo's blend with its nearest-start neighbour where their starts "
              + "lie at least 15%% of the extent apart and their paths stay alike; --no-blends: "
              + "the demos only (default: ${DEFAULT-VALUE}).")
  boolean blends;

  @Option(
      names = "--blend-choice",
      negatable = true,
      defaultValue = "true",
      description =
          "Export the start (of --starts) whose rollouts from between the training starts follow "
              + "the training demos' blends there best (a validation score never fitted); "
              + "--no-blend-choice: the start with the lowest training loss "
              + "(default: ${DEFAULT-VALUE}).")
  boolean blendChoice;

  /** The most augmentation dimensions --augment takes (each adds a latent dimension). */
  static final int MAX_AUGMENT = 8;

  @Option(
      names = "--augment",
      paramLabel = "A",
      description =
          "Zero-padded augmentation dimensions a (DESIGN.md section 2). 0 keeps the reactive "
              + "field defined everywhere, so the node serves plans and state feedback; a >= 1 "
              + "lets the model's paths cross and loop in the demonstrated space (demos that "
              + "cross each other, loops that pass near other demos' starts) at the price of "
              + "serving plans only: the node refuses state feedback for such a model. auto (the "
              + "default for d >= 2): a = 0, and only when that fit follows its training demos "
              + "loosely (training DTW above 3%% of the extent) also a = 1, keeping the one that "
              + "follows them more closely; the output says which (not with --checkpoint). Give "
              + "--augment 0 when the node must serve state feedback. Measured on the handwriting "
              + "benchmark in trainer/BENCHMARK.md. Default: 1 for a 1-D state; 0 for a pose "
              + "model or with --checkpoint; else auto.")
  String augment;

  @Option(
      names = "--init-omega",
      paramLabel = "W",
      description =
          "Highest initial mode frequency [rad per normalised time]; its sign is the initial "
              + "sense of rotation, 0 starts without rotation (default: the engine's automatic value, "
              + "2.5 / median training-demo duration). Oscillatory modes only: a planar model "
              + "with --funnel R > 0 has none.")
  Double initOmega;

  @Option(
      names = "--funnel",
      paramLabel = "R|auto|prefer",
      description =
          "Base of a planar model without augmentation (d = 2, a = 0): two real modes, the second "
              + "starting R times faster than the first, so that paths from nearby starts close "
              + "up onto one path and a start's offset from the demonstrated ones fades along the "
              + "way (TRAINING.md step 3); closer to held-out starts near the demos' on the "
              + "handwriting benchmark, but away from the demonstrated region the field can take "
              + "long detours (trainer/BENCHMARK.md, The funnel base). prefer (the default, not "
              + "with --checkpoint): where the demos start close together (mean distance to the "
              + "nearest other start at most 15 %% of the extent), R = 8 and the oscillatory base "
              + "trained side by side (twice the work: --starts starts each), the funnel fit kept when it passes the fit "
              + "check, follows its training demos closely and its field around the demos is "
              + "tame (far field not wild), else the oscillatory fit; the output says which and "
              + "why; where they start farther apart, the oscillatory base only. 0 (the default "
              + "with --checkpoint): one oscillatory mode turning the way the "
              + "demos do; 1..100 or 0: that base only. auto: R = 8, and when that fit follows "
              + "its training demos only loosely (loops) also the oscillatory base, keeping the "
              + "closer fit (not with --checkpoint). Other models keep their oscillatory modes.")
  String funnel;

  @Option(
      names = "--far-field",
      paramLabel = "W",
      description =
          "Weight of the far-field term (TRAINING.md step 12): rollouts from a grid of starts "
              + "around the demonstrated region (grown by a quarter of its size) are penalised "
              + "for getting farther from the goal than 1.25 times the larger of their start's "
              + "distance and the demos' (so the field does not race off away from the demos); "
              + "0 turns it off. For d = 1 to 3, not for poses. Default: ${DEFAULT-VALUE}.")
  double farField = TrainOptions.defaults().farField();

  @Option(
      names = "--far-speed",
      paramLabel = "R",
      description =
          "Speed cap of the far-field term: its rollouts are also penalised where they move "
              + "faster than R times the fitted demos' peak speed (near their starts, where a "
              + "fast base mode races); 0 turns it off; needs --far-field > 0. "
              + "Default: ${DEFAULT-VALUE}.")
  double farSpeed = TrainOptions.defaults().farSpeed();

  @Option(
      names = "--threads",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Native compute threads (ND4J, OpenBLAS); more pays only for wide models or large data "
              + "(default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(
      names = "--validate-every",
      paramLabel = "N",
      defaultValue = "50",
      description = "Compute the held-out MSE every N iterations (default: ${DEFAULT-VALUE}).")
  long validateEvery;

  @Option(
      names = "--checkpoint",
      paramLabel = "FILE",
      description =
          "Write the optimiser state to FILE (atomically) every --checkpoint-every iterations "
              + "and at the end.")
  Path checkpoint;

  @Option(
      names = "--checkpoint-every",
      paramLabel = "N",
      defaultValue = "100",
      description = "Iterations between checkpoints (default: ${DEFAULT-VALUE}).")
  long checkpointEvery;

  @Option(
      names = "--resume",
      description =
          "Continue from --checkpoint FILE if it exists (same data and options, "
              + "--iterations included: the schedule spans them).")
  boolean resume;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description = "Model name (default: the output file's name " + "without extension).")
  String name;

  @Option(
      names = "--progress-every",
      paramLabel = "N",
      defaultValue = "50",
      description = "Print progress every N iterations; 0 = quiet (default: ${DEFAULT-VALUE}).")
  long progressEvery;

  private boolean terminal;

  /** --augment auto in effect (given, or the default without --checkpoint). */
  private boolean autoAugment;

  /** --funnel auto given. */
  private boolean autoFunnel;

  /** --funnel prefer in effect (given, or the default without --checkpoint). */
  private boolean preferFunnel;

  @Override
  public void setTerminal(boolean terminal) {
    this.terminal = terminal;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter o = spec.commandLine().getOut();
    TrainOptions options = trainOptions();
    try {
      Trainer.rowKernels();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    if (resume && checkpoint == null) {
      throw new ParameterException(spec.commandLine(), "--resume needs --checkpoint FILE");
    }
    if ("auto".equals(augment) && checkpoint != null) {
      throw new ParameterException(
          spec.commandLine(),
          "--augment auto trains up to twice and cannot be combined with --checkpoint; give "
              + "--augment 0 or 1");
    }
    if ("auto".equals(funnel) && checkpoint != null) {
      throw new ParameterException(
          spec.commandLine(),
          "--funnel auto trains up to twice and cannot be combined with --checkpoint; give "
              + "--funnel 8 or 0");
    }
    if ("prefer".equals(funnel) && checkpoint != null) {
      throw new ParameterException(
          spec.commandLine(),
          "--funnel prefer trains two bases side by side and cannot be combined with "
              + "--checkpoint; give --funnel 8 or 0");
    }
    // The defaults are auto and prefer, except with a checkpoint: a checkpoint holds one run
    // (a = 0 and the oscillatory base then).
    autoAugment = "auto".equals(augment) || (augment == null && checkpoint == null);
    autoFunnel = "auto".equals(funnel);
    preferFunnel = "prefer".equals(funnel) || (funnel == null && checkpoint == null);
    Integer fixedAugment = augment == null || "auto".equals(augment) ? null : augmentValue();
    String modelName = modelName();
    PreprocessOptions prep;
    try {
      prep = data.preprocessOptions().withValidation(validationFraction, splitSeed);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    data.bagOptions(); // argument errors before reading anything
    // Output places before the (possibly long) training, not after it.
    if (Files.isDirectory(out)) {
      throw new ParameterException(
          spec.commandLine(), "--out " + out + " is a directory; give a file name");
    }
    try {
      // Through a symbolic link to its target; a FIFO or device is refused (AtomicFiles).
      org.diffeomotion.model.AtomicFiles.target(out);
    } catch (java.nio.file.FileSystemException e) {
      throw new ParameterException(spec.commandLine(), "--out " + e.getMessage());
    }
    Path outDir = out.toAbsolutePath().getParent();
    if (outDir != null) {
      Files.createDirectories(outDir);
    }
    if (report != null) {
      if (Files.exists(report) && !Files.isDirectory(report)) {
        throw new ParameterException(
            spec.commandLine(),
            "--report "
                + report
                + " exists and is not a directory; give a directory (created if needed)");
      }
      Files.createDirectories(report);
    }

    DemonstrationSet set = data.read(inputs);
    PreparedData prepared = Preprocessor.prepare(set, prep);
    Commands.printData(o, set, prepared, true);
    for (Coverage.FarStart f : Coverage.farHeldOutStarts(prepared)) {
      o.println("  note: " + f.describe());
    }

    int a = fixedAugment != null ? fixedAugment : prepared.dimension() == 1 ? 1 : 0;
    if (prepared.dimension() + a < 2) {
      throw new ParameterException(
          spec.commandLine(), "--augment: a 1-D state needs a >= 1 (the coupling needs D >= 2)");
    }
    if (a > 0 && prepared.isPose()) {
      throw new ParameterException(
          spec.commandLine(), "--augment: a pose model has no augmentation dimensions, got " + a);
    }
    String baseNote = "";
    Attempt at;
    boolean preferHere = preferFunnel && TrainOptions.funnelApplies(prepared.dimension(), a);
    double spacing = preferHere ? TrainingSet.from(prepared, 0).startSpacing() : Double.NaN;
    if (preferHere && !TrainOptions.funnelSuitsStarts(spacing)) {
      preferHere = false;
      o.printf(
          Locale.ROOT,
          "funnel prefer: the demos start %.0f%% of the extent from their nearest neighbour (mean), "
              + "more than the funnel's %.0f%%: the oscillatory base only%n",
          100 * spacing,
          100 * TrainOptions.FUNNEL_MAX_START_SPACING);
      baseNote = " (--funnel prefer: starts too far apart for the funnel)";
    }
    if (preferHere) {
      o.printf(
          "funnel prefer: training the funnel base (R = %s) and the oscillatory base side by "
              + "side, %d start%s each; lines marked [funnel] and [oscillatory]%n",
          TrainOptions.MEASURED_FUNNEL, starts, starts == 1 ? "" : "s");
      Attempt[] both =
          sideBySide(
              o,
              prepared,
              options.toBuilder().funnel(TrainOptions.MEASURED_FUNNEL).build(),
              options.toBuilder().funnel(0).build(),
              modelName);
      Attempt fun = both[0];
      Attempt turning = both[1];
      boolean keep =
          FitCheck.keepFunnel(
              fun.verdict(),
              fun.result().diverged(),
              turning.verdict(),
              turning.result().diverged());
      String declined = FitCheck.funnelDeclined(fun.verdict(), fun.result().diverged());
      boolean turningPasses = turning.verdict().passed() && !turning.result().diverged();
      if (keep && declined.isEmpty()) {
        baseNote =
            " (--funnel prefer: the funnel fit passed, follows the demos closely, tame far field)";
      } else if (keep && turningPasses) {
        baseNote =
            String.format(
                Locale.ROOT,
                " (--funnel prefer: %s, but the oscillatory fit's is as wild or wilder: farthest"
                    + " %.3g times the start's distance, peak speed %.3g times the demos')",
                declined,
                turning.verdict().farField().excursion(),
                turning.verdict().farField().speedRatio());
      } else if (keep) {
        baseNote =
            " (--funnel prefer: the oscillatory fit was refused; the funnel fit passed, but "
                + declined
                + ")";
      } else {
        baseNote = " (--funnel prefer: the funnel fit was not kept: " + declined + ")";
      }
      o.printf(
          Locale.ROOT,
          "funnel prefer: keeping the %s base (training DTW %.4g funnel, %.4g oscillatory)%s%n",
          keep ? "funnel" : "oscillatory",
          fun.verdict().trainDtw(),
          turning.verdict().trainDtw(),
          declined.isEmpty() ? "" : ": the funnel fit: " + declined);
      at = keep ? fun : turning;
    } else {
      at = attempt(o, prepared, options, a, modelName, terminal);
    }
    boolean keptOscillatory = false;
    if (autoFunnel && at.trainer().funnel() > 0 && at.verdict().loose()) {
      o.printf(
          Locale.ROOT,
          "funnel auto: the fit follows the training demos only to within %.3g (DTW, %.1f%% of "
              + "the extent); training again with one oscillatory mode%n",
          at.verdict().trainDtw(),
          100 * at.verdict().trainDtw() / at.verdict().extent());
      Attempt turning =
          attempt(o, prepared, options.toBuilder().funnel(0).build(), a, modelName, terminal);
      boolean better =
          FitCheck.keepSecond(
              turning.verdict(), turning.result().diverged(), at.verdict(), at.result().diverged());
      o.printf(
          Locale.ROOT,
          "funnel auto: keeping the %s base (training DTW %.4g oscillatory, %.4g funnel)%n",
          better ? "oscillatory" : "funnel",
          turning.verdict().trainDtw(),
          at.verdict().trainDtw());
      if (better) {
        at = turning;
        keptOscillatory = true;
      }
    }
    if (autoAugment
        && a == 0
        && !prepared.isPose()
        && prepared.dimension() >= 2
        && at.verdict().loose()) {
      o.printf(
          Locale.ROOT,
          "augment auto: the a = 0 fit follows the training demos only to within %.3g (DTW, %.1f%% "
              + "of the extent); training again with a = 1 (%d iterations, half the a = 0 "
              + "fit's)%n",
          at.verdict().trainDtw(),
          100 * at.verdict().trainDtw() / at.verdict().extent(),
          TrainOptions.liftIterations(options.iterations()));
      Attempt lifted =
          attempt(
              o,
              prepared,
              options.toBuilder()
                  .iterations(TrainOptions.liftIterations(options.iterations()))
                  .build(),
              1,
              modelName,
              terminal);
      boolean better =
          FitCheck.keepSecond(
              lifted.verdict(), lifted.result().diverged(), at.verdict(), at.result().diverged());
      o.printf(
          Locale.ROOT,
          "augment auto: keeping a = %d (training DTW %.4g with a = 1, %.4g with a = 0%s)%s%n",
          better ? 1 : 0,
          lifted.verdict().trainDtw(),
          at.verdict().trainDtw(),
          better && !at.problems().isEmpty() ? ", which fails the fit check" : "",
          better ? ": a plan-only model, the node refuses state feedback for it" : "");
      if (better) {
        at = lifted;
        if (!baseNote.isEmpty()) {
          baseNote = " (augment auto kept the a = 1 fit, whose modes are oscillatory)";
        }
      }
    }
    Trainer trainer = at.trainer();
    TrainResult result = at.result();
    TrainingCurve curve = at.curve();
    long startIteration = at.startIteration();
    double first = at.first();
    MotionModel exported = at.exported();
    Evaluation ev = at.ev();
    FitCheck.Verdict verdict = at.verdict();
    List<String> problems = at.problems();
    String commandLine =
        "diffeo " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
    if (!problems.isEmpty() && !allowPoorFit) {
      throw new DiffeoCli.UserException(
          "the fit is refused, nothing written to "
              + out
              + ":\n  - "
              + String.join("\n  - ", problems)
              + "\n"
              + FitCheck.advice());
    }
    if (!problems.isEmpty()) {
      o.println(
          "  warning: writing a model that failed the fit check (--allow-poor-fit): "
              + String.join("; ", problems));
    }
    MotionModel model = withMetrics(exported, ev, result, curve, verdict, problems);
    ModelArtifacts.write(model, out);
    ModelArtifacts.read(out); // the file as the node will read it
    o.printf(
        Locale.ROOT,
        "wrote %s (model '%s', export cross-check within %.0e)%n",
        out,
        modelName,
        Trainer.EXPORT_TOLERANCE);
    Commands.printMetrics(o, ev, prepared.units());
    if (prepared.isPose()) {
      Commands.printPoseMetrics(o, ev);
    }

    if (report != null) {
      Map<String, String> opts = new LinkedHashMap<>();
      opts.put("coupling blocks", Integer.toString(blocks));
      opts.put("MLP width × hidden layers", width + " × " + hiddenLayers);
      opts.put("ε (decay bound), clamp", epsilon + ", " + clamp);
      opts.put(
          "Adam learning rate (peak; warm-up, cosine decay), iterations",
          learningRate + ", " + iterations);
      opts.put(
          "starts (parallel), timing, re-alignment, feature scale, fit points",
          starts
              + ", "
              + timing
              + ", "
              + (realignEvery == 0
                  ? "off"
                  : "every " + realignEvery + " iterations from " + realignFrom + " of the run")
              + ", "
              + (featureScale == null ? "auto (" + trainer.featureScale() + ")" : featureScale)
              + ", "
              + fitPoints);
      opts.put(
          "shooting windows",
          windows == null
              ? "none"
              : java.util.Arrays.toString(windows)
                  + " for "
                  + windowFraction
                  + " of the iterations");
      opts.put(
          "exported iterate",
          "iteration "
              + result.bestIteration()
              + " of seed "
              + result.selectedSeed()
              + ", "
              + result.rollbacks()
              + " rollbacks");
      opts.put(
          "fit check",
          problems.isEmpty()
              ? "passed"
              : "FAILED (written with --allow-poor-fit): " + String.join("; ", problems));
      opts.put("far field (not a refusal)", verdict.farField().describe());
      opts.put("seed, split seed", seed + ", " + splitSeed);
      opts.put("validation fraction", Double.toString(validationFraction));
      opts.put(
          "initial decay rate, initial ω",
          (initDecay == null ? "auto" : initDecay.toString())
              + ", "
              + (initOmega == null ? "auto" : initOmega.toString())
              + " (normalised time)");
      opts.put(
          "base",
          (trainer.funnel() > 0
                  ? "funnel: real modes, "
                      + (prepared.dimension() == 2 ? "the second " : "all but the first ")
                      + trainer.funnel()
                      + "× faster at the start"
                  : "oscillatory modes"
                      + (keptOscillatory
                          ? " (--funnel auto: the funnel fit followed the demos loosely)"
                          : ""))
              + baseNote);
      opts.put(
          "far-field term",
          options.farField() > 0
              ? "weight " + options.farField() + ", " + trainer.farStartCount() + " starts"
              : "off");
      opts.put(
          "augmentation dimensions a",
          at.a()
              + (autoAugment ? augment == null ? " (auto, the default)" : " (--augment auto)" : "")
              + (at.a() > 0 ? ", plan-only" : ""));
      opts.put("native threads", Integer.toString(threads));
      opts.put("held-out MSE every", validateEvery + " iterations");
      TrainingSummary summary =
          new TrainingSummary(
              opts,
              trainer.parameterCount(),
              startIteration,
              result.iterations(),
              result.seconds(),
              curve.millisQuantile(0.5),
              curve.millisQuantile(0.99),
              curve.millisQuantile(1.0),
              result.trainLoss(),
              result.validationMse(),
              first,
              Trainer.backend(),
              curve);
      List<Path> files =
          ReportWriter.write(
              report,
              model,
              out,
              new DataSummary(
                  set.source(),
                  data.describe()
                      + ", validation fraction "
                      + validationFraction
                      + " (split seed "
                      + splitSeed
                      + ")",
                  set.sampleCount(),
                  prepared),
              summary,
              ev,
              commandLine);
      o.println("report: " + files.get(files.size() - 1) + " (" + files.size() + " files)");
    }
    return 0;
  }

  /** One training run with a augmentation dimensions, exported and fit-checked. */
  private record Attempt(
      int a,
      Trainer trainer,
      TrainResult result,
      TrainingCurve curve,
      long startIteration,
      double first,
      MotionModel exported,
      Evaluation ev,
      FitCheck.Verdict verdict,
      List<String> problems) {}

  /**
   * The funnel and the oscillatory base trained at once on two threads (a = 0), each printing
   * through its own line-prefixed writer; returns {funnel, oscillatory}. Both are waited for before
   * a failure of either is thrown.
   */
  private Attempt[] sideBySide(
      PrintWriter o,
      PreparedData prepared,
      TrainOptions funnelOptions,
      TrainOptions turningOptions,
      String modelName)
      throws Exception {
    ExecutorService pool =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "diffeo-train-base");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<Attempt>> futures = new ArrayList<>();
      for (TrainOptions t : List.of(funnelOptions, turningOptions)) {
        PrintWriter w = PrefixedLines.of(o, t == funnelOptions ? "[funnel] " : "[oscillatory] ");
        futures.add(pool.submit(() -> attempt(w, prepared, t, 0, modelName, false)));
      }
      Exception failure = null;
      Attempt[] both = new Attempt[2];
      int i = 0;
      for (Future<Attempt> f : futures) {
        try {
          both[i] = f.get();
        } catch (ExecutionException e) {
          if (failure == null) {
            failure = e.getCause() instanceof Exception x ? x : e;
          }
        }
        i++;
      }
      if (failure != null) {
        throw failure;
      }
      return both;
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Trains (or resumes) with a augmentation dimensions, prints progress, the exported iterate and
   * the fit check, and returns it all; refusing is the caller's.
   *
   * @param live whether progress may redraw one terminal line (false when two attempts share it)
   */
  private Attempt attempt(
      PrintWriter o,
      PreparedData prepared,
      TrainOptions options,
      int a,
      String modelName,
      boolean live)
      throws Exception {
    TrainingSet ts = TrainingSet.from(prepared, a);
    if (a > 0 && prepared.dimension() > 1) {
      o.printf(
          Locale.ROOT,
          "augmentation: a = %d (D = %d): the model serves plans only; the node refuses state "
              + "feedback for it%n",
          a,
          prepared.dimension() + a);
    }
    Trainer.setComputeThreads(threads);
    Trainer trainer;
    if (resume && Files.exists(checkpoint)) {
      try {
        trainer = Trainer.resume(checkpoint, ts, options);
      } catch (IllegalArgumentException e) {
        throw new DiffeoCli.UserException(
            e.getMessage() + "\n(start afresh without --resume, or delete it)");
      }
      o.printf(Locale.ROOT, "resuming from %s at iteration %d%n", checkpoint, trainer.iteration());
    } else {
      if (resume) {
        o.printf("no checkpoint at %s yet: starting afresh%n", checkpoint);
      }
      trainer = new Trainer(ts, options);
    }
    long startIteration = trainer.iteration();
    o.printf(
        Locale.ROOT,
        "training: %d coupling blocks, width %d, %d parameters, %d iterations, lr %s, seed %d, "
            + "backend %s%n",
        blocks,
        width,
        trainer.parameterCount(),
        options.iterations(),
        learningRate,
        seed,
        Trainer.backend());
    o.flush();
    TrainingCurve curve = new TrainingCurve(new ProgressPrinter(o, progressEvery, live));
    TrainResult result = trainer.fit(curve);
    double first = curve.size() > 0 ? curve.losses()[0] : result.trainLoss();
    String heldOut =
        Double.isFinite(result.validationMse())
            ? String.format(Locale.ROOT, ", held-out MSE %.4e", result.validationMse())
            : "";
    if (curve.size() == 0) {
      o.printf(
          Locale.ROOT,
          "nothing to train: already at iteration %d of %d; loss %.4e%s (normalised)%n",
          result.iterations(),
          iterations,
          result.trainLoss(),
          heldOut);
    } else {
      o.printf(
          Locale.ROOT,
          "trained %d iterations in %.1f s (per iteration p50 %.2f ms, p99 %.2f ms); "
              + "loss %.4e -> %.4e%s (normalised)%n",
          result.iterations() - startIteration,
          result.seconds(),
          curve.millisQuantile(0.5),
          curve.millisQuantile(0.99),
          first,
          result.trainLoss(),
          heldOut);
    }

    String commandLine =
        "diffeo " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
    String notes =
        commandLine
            + " | data: "
            + String.join(" ", inputs.stream().map(Path::toString).toList())
            + ", "
            + data.describe()
            + ", validation fraction "
            + validationFraction
            + ", split seed "
            + splitSeed;
    o.printf(
        Locale.ROOT,
        "exported iterate: iteration %d of start seed %d (%d start%s, best training losses %s), "
            + "%d rollback%s on loss spikes%n",
        result.bestIteration(),
        result.selectedSeed(),
        starts,
        starts == 1 ? "" : "s",
        losses(result.startLosses()),
        result.rollbacks(),
        result.rollbacks() == 1 ? "" : "s");
    List<String> problems = new java.util.ArrayList<>();
    if (result.diverged()) {
      problems.add(
          String.format(
              Locale.ROOT,
              "training diverged: every start's loss blew up again after %d "
                  + "rollbacks with a halved learning rate (--lr %s is too high for this data?)",
              Trainer.MAX_ROLLBACKS,
              learningRate));
    }
    MotionModel exported;
    try {
      exported = trainer.export(modelName, notes);
    } catch (IllegalStateException e) {
      throw new DiffeoCli.UserException(e.getMessage() + "; nothing written to " + out);
    }
    Evaluation ev = Evaluation.of(exported, prepared, true);
    FitCheck.Verdict verdict = FitCheck.check(exported, trainer.identityModel(modelName), prepared);
    problems.addAll(verdict.problems());
    o.printf(
        Locale.ROOT,
        "fit check: %s (training DTW %.4g vs %.4g for the untrained model; farthest from the "
            + "goal %.4g, demos within %.4g; peak speed %.3g x the demos')%n",
        problems.isEmpty() ? "passed" : "FAILED",
        verdict.trainDtw(),
        verdict.identityDtw(),
        verdict.farthest(),
        verdict.extent(),
        verdict.speedRatio());
    for (String w : verdict.warnings()) {
      o.println("  warning: " + w);
    }
    o.println("  far field: " + verdict.farField().describe());
    if (a == 0 && !autoAugment && prepared.dimension() >= 2 && verdict.loose()) {
      o.printf(
          Locale.ROOT,
          "  note: the rollouts follow the training demos only to within %.3g (DTW, %.1f%% of the "
              + "extent): a field on the demonstrated space has one path through each point, so "
              + "demos that cross each other or loop past other demos' starts are averaged; "
              + "--augment 1 lets the paths cross (a plan-only model; trainer/BENCHMARK.md)%n",
          verdict.trainDtw(),
          100 * verdict.trainDtw() / verdict.extent());
    }
    return new Attempt(
        a, trainer, result, curve, startIteration, first, exported, ev, verdict, problems);
  }

  /** --augment as a number, checked (not "auto"). */
  private int augmentValue() {
    int v;
    try {
      v = Integer.parseInt(augment.trim());
    } catch (NumberFormatException e) {
      throw new ParameterException(
          spec.commandLine(),
          "--augment must be auto or an integer in 0.." + MAX_AUGMENT + ", got '" + augment + "'");
    }
    if (v < 0 || v > MAX_AUGMENT) {
      throw new ParameterException(
          spec.commandLine(), "--augment must be in 0.." + MAX_AUGMENT + ", got " + v);
    }
    return v;
  }

  private Timing timing() {
    try {
      return Timing.valueOf(timing.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--timing must be progress or demo, got '" + timing + "'");
    }
  }

  /** The engine options these arguments give (the defaults are TrainOptions.defaults()'s). */
  TrainOptions trainOptions() {
    try {
      TrainOptions t =
          TrainOptions.defaults()
              .withBlocks(blocks)
              .withWidth(width)
              .withHiddenLayers(hiddenLayers)
              .withEpsilon(epsilon)
              .withClamp(clamp)
              .withIterations(iterations)
              .withLearningRate(learningRate)
              .withSeed(seed)
              .withValidationEvery(validateEvery)
              .withProgressEvery(1)
              .toBuilder()
              .warmupIterations(warmup)
              .gradientClip(clip)
              .starts(starts)
              .timing(timing())
              .realign(realignEvery, realignFrom)
              .featureScale(featureScale == null ? Double.NaN : featureScale)
              .fitPoints(fitPoints)
              .windows(windows == null ? new int[0] : windows)
              .windowFraction(windows == null ? 0 : windowFraction)
              .neighbourBlends(blends)
              .blendChoice(blendChoice)
              .farField(farField)
              .farSpeed(farSpeed)
              .build();
      if (initDecay != null) {
        t = t.withInitDecay(initDecay);
      }
      if (initOmega != null) {
        t = t.withInitOmega(initOmega);
      }
      if ("auto".equals(funnel)) {
        t = t.toBuilder().funnel(TrainOptions.MEASURED_FUNNEL).build();
      } else if ("prefer".equals(funnel)) {
        // The oscillatory base; call() trains the funnel beside it.
        t = t.toBuilder().funnel(0).build();
      } else if (funnel != null) {
        double r;
        try {
          r = Double.parseDouble(funnel);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              "--funnel: '" + funnel + "' is neither a number, auto nor prefer");
        }
        t = t.toBuilder().funnel(r).build();
      }
      if (threads < 1) {
        throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
      }
      if (checkpoint != null) {
        if (checkpointEvery < 1) {
          throw new IllegalArgumentException(
              "--checkpoint-every must be >= 1, got " + checkpointEvery);
        }
        t = t.withCheckpoints(checkpointEvery, checkpoint);
      }
      return t;
    } catch (IllegalArgumentException e) {
      // TrainOptions names its field; say which option that is.
      throw new ParameterException(
          spec.commandLine(),
          e.getMessage()
              .replace("TrainOptions.learningRate", "--lr")
              .replace("TrainOptions.validationEvery", "--validate-every")
              .replace("TrainOptions.hiddenLayers", "--hidden-layers")
              .replace("TrainOptions.initDecay", "--init-decay")
              .replace("TrainOptions.initOmega", "--init-omega")
              .replace("TrainOptions.featureScale", "--feature-scale")
              .replace("TrainOptions.warmupIterations", "--warmup")
              .replace("TrainOptions.gradientClip", "--clip")
              .replace("TrainOptions.fitPoints", "--fit-points")
              .replace("TrainOptions.windowFraction", "--window-fraction")
              .replace("TrainOptions.", "--"));
    }
  }

  private static String losses(double[] l) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < l.length; i++) {
      b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3g", l[i]));
    }
    return b.toString();
  }

  private String modelName() {
    String n = name;
    if (n == null) {
      n = out.getFileName().toString();
      int dot = n.lastIndexOf('.');
      n = dot > 0 ? n.substring(0, dot) : n;
    }
    if (n.isEmpty() || n.length() > 128) {
      throw new ParameterException(
          spec.commandLine(), "--name must be 1..128 characters, got '" + n + "'");
    }
    return n;
  }

  /** The exported model with the evaluation's metrics added to its provenance. */
  private static MotionModel withMetrics(
      MotionModel m,
      Evaluation ev,
      TrainResult r,
      TrainingCurve curve,
      FitCheck.Verdict verdict,
      List<String> problems)
      throws IOException {
    Model proto = m.toProto();
    Provenance.Builder p = proto.getProvenance().toBuilder();
    p.putMetrics("fit_check_passed", problems.isEmpty() ? 1 : 0);
    p.putMetrics("fit_check_identity_dtw", verdict.identityDtw());
    p.putMetrics("fit_check_peak_speed_ratio", verdict.speedRatio());
    p.putMetrics("fit_check_farthest", verdict.farthest());
    FitCheck.putFarField(p, verdict.farField());
    if (!problems.isEmpty()) {
      p.setNotes(
          p.getNotes() + " | POOR FIT ALLOWED (--allow-poor-fit): " + String.join("; ", problems));
    }
    for (Split s : new Split[] {Split.TRAIN, Split.VALIDATION}) {
      Evaluation.Summary sm = ev.summary(s);
      if (sm != null) {
        p.putMetrics(s.label() + "_dtw_mean", sm.dtw());
        p.putMetrics(s.label() + "_final_goal_distance_mean", sm.finalGoalDistance());
        p.putMetrics(s.label() + "_max_deviation", sm.maxDeviation());
      }
    }
    p.putMetrics("train_seconds", r.seconds());
    p.putMetrics("ms_per_iteration_p50", curve.millisQuantile(0.5));
    return MotionModel.fromProto(proto.toBuilder().setProvenance(p).build());
  }
}
