package org.diffeomotion.trainer.fit;

import java.nio.file.Path;

/**
 * Training options. Start from {@link #defaults()} and change what you need with the
 * {@code withX} methods; the compact constructor validates and names the offending field.
 *
 * @param blocks          number of coupling blocks K >= 0 (default 6).
 * @param width           hidden units per MLP layer >= 1 (default 64).
 * @param hiddenLayers    hidden layers per MLP >= 0 (default 1: in -> width -> out).
 * @param epsilon         lower bound on every decay rate, >= 1e-6 [1/normalised time] (default 0.05).
 * @param clamp           c of the soft clamp on the log-scales, in [1e-3, 20] (default 2.0).
 * @param iterations      total Adam iterations of a {@link Trainer#fit} run >= 0 (default 1000).
 * @param learningRate    Adam step size > 0 (default 3e-3).
 * @param seed            seeds the initial parameters and the permutations (default 1).
 * @param validationEvery compute the held-out MSE every N iterations; 0 = only at the end (default 50).
 * @param progressEvery   report progress every N iterations >= 1 (default 10).
 * @param checkpointEvery write a checkpoint every N iterations; 0 = never (default 0).
 * @param checkpointPath  where checkpoints go; required when checkpointEvery > 0.
 * @param initDecay       initial decay rate p^2 + epsilon of every mode, > 0; NaN (default) = auto:
 *                        4 / (median training-demo duration in s), i.e. e^-4 left at a demo's end.
 * @param initOmega       the highest initial mode frequency [rad per unit s]; NaN (default) = auto:
 *                        2.5 / (median training-demo duration in s).
 */
public record TrainOptions(int blocks, int width, int hiddenLayers, double epsilon, double clamp,
                           long iterations, double learningRate, long seed, long validationEvery,
                           long progressEvery, long checkpointEvery, Path checkpointPath,
                           double initDecay, double initOmega) {

    public TrainOptions {
        check(blocks >= 0, "blocks", blocks);
        check(width >= 1, "width", width);
        check(hiddenLayers >= 0, "hiddenLayers", hiddenLayers);
        // The model reader's bounds: a model this trainer exports must load.
        check(epsilon >= org.diffeomotion.model.MotionModel.MIN_EPSILON && Double.isFinite(epsilon),
                "epsilon", epsilon);
        check(clamp >= org.diffeomotion.model.MotionModel.MIN_CLAMP
                && clamp <= org.diffeomotion.model.MotionModel.MAX_CLAMP, "clamp", clamp);
        check(iterations >= 0, "iterations", iterations);
        check(learningRate > 0 && Double.isFinite(learningRate), "learningRate", learningRate);
        check(validationEvery >= 0, "validationEvery", validationEvery);
        check(progressEvery >= 1, "progressEvery", progressEvery);
        check(checkpointEvery >= 0, "checkpointEvery", checkpointEvery);
        check(checkpointEvery == 0 || checkpointPath != null, "checkpointPath", checkpointPath);
        check(Double.isNaN(initDecay) || initDecay > 0 && Double.isFinite(initDecay), "initDecay", initDecay);
        check(Double.isNaN(initOmega) || Double.isFinite(initOmega), "initOmega", initOmega);
    }

    private static void check(boolean ok, String field, Object value) {
        if (!ok) {
            throw new IllegalArgumentException("TrainOptions." + field + ": invalid value " + value);
        }
    }

    public static TrainOptions defaults() {
        return new TrainOptions(6, 64, 1, 0.05, 2.0, 1000, 3e-3, 1, 50, 10, 0, null, Double.NaN, Double.NaN);
    }

    public TrainOptions withBlocks(int v) {
        return new TrainOptions(v, width, hiddenLayers, epsilon, clamp, iterations, learningRate, seed, validationEvery, progressEvery, checkpointEvery, checkpointPath, initDecay, initOmega);
    }

    public TrainOptions withWidth(int v) {
        return new TrainOptions(blocks, v, hiddenLayers, epsilon, clamp, iterations, learningRate, seed, validationEvery, progressEvery, checkpointEvery, checkpointPath, initDecay, initOmega);
    }

    public TrainOptions withHiddenLayers(int v) {
        return new TrainOptions(blocks, width, v, epsilon, clamp, iterations, learningRate, seed, validationEvery, progressEvery, checkpointEvery, checkpointPath, initDecay, initOmega);
    }

    public TrainOptions withEpsilon(double v) {
        return new TrainOptions(blocks, width, hiddenLayers, v, clamp, iterations, learningRate, seed, validationEvery, progressEvery, checkpointEvery, checkpointPath, initDecay, initOmega);
    }

    public TrainOptions withClamp(double v) {
        return new TrainOptions(blocks, width, hiddenLayers, epsilon, v, iterations, learningRate, seed, validationEvery, progressEvery, checkpointEvery, checkpointPath, initDecay, initOmega);
    }

    public TrainOptions withIterations(long v) {
        return new TrainOptions(blocks, width, hiddenLayers, epsilon, clamp, v, learningRate, seed, validationEvery, progressEvery, checkpointEvery, checkpointPath, initDecay, initOmega);
    }

    public TrainOptions withLearningRate(double v) {
        return new TrainOptions(blocks, width, hiddenLayers, epsilon, clamp, iterations, v, seed, validationEvery, progressEvery, checkpointEvery, checkpointPath, initDecay, initOmega);
    }

    public TrainOptions withSeed(long v) {
        return new TrainOptions(blocks, width, hiddenLayers, epsilon, clamp, iterations, learningRate, v, validationEvery, progressEvery, checkpointEvery, checkpointPath, initDecay, initOmega);
    }

    public TrainOptions withValidationEvery(long v) {
        return new TrainOptions(blocks, width, hiddenLayers, epsilon, clamp, iterations, learningRate, seed, v, progressEvery, checkpointEvery, checkpointPath, initDecay, initOmega);
    }

    public TrainOptions withProgressEvery(long v) {
        return new TrainOptions(blocks, width, hiddenLayers, epsilon, clamp, iterations, learningRate, seed, validationEvery, v, checkpointEvery, checkpointPath, initDecay, initOmega);
    }

    public TrainOptions withCheckpoints(long every, Path path) {
        return new TrainOptions(blocks, width, hiddenLayers, epsilon, clamp, iterations, learningRate, seed, validationEvery, progressEvery, every, path, initDecay, initOmega);
    }

    public TrainOptions withInitDecay(double v) {
        return new TrainOptions(blocks, width, hiddenLayers, epsilon, clamp, iterations, learningRate, seed, validationEvery, progressEvery, checkpointEvery, checkpointPath, v, initOmega);
    }

    public TrainOptions withInitOmega(double v) {
        return new TrainOptions(blocks, width, hiddenLayers, epsilon, clamp, iterations, learningRate, seed, validationEvery, progressEvery, checkpointEvery, checkpointPath, initDecay, v);
    }

    /** The options that determine the numbers a run produces (not its length or reporting). */
    String fingerprint(double decay, double omega) {
        return "blocks=" + blocks + " width=" + width + " hidden=" + hiddenLayers + " eps=" + epsilon
                + " clamp=" + clamp + " lr=" + learningRate + " seed=" + seed
                + " initDecay=" + decay + " initOmega=" + omega;
    }

    /** initDecay, or its automatic value for demos whose median duration is medianDuration [s of normalised time]. */
    double initDecayFor(double medianDuration) {
        return Double.isNaN(initDecay) ? 4.0 / medianDuration : initDecay;
    }

    /** initOmega, or its automatic value. */
    double initOmegaFor(double medianDuration) {
        return Double.isNaN(initOmega) ? 2.5 / medianDuration : initOmega;
    }
}
