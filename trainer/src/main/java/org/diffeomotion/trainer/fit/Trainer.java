package org.diffeomotion.trainer.fit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.diffeomotion.model.ModelArtifacts;
import org.diffeomotion.model.MotionModel;
import org.diffeomotion.model.Rollout;
import org.diffeomotion.proto.model.v1.CouplingBlock;
import org.diffeomotion.proto.model.v1.DenseLayer;
import org.diffeomotion.proto.model.v1.LinearBase;
import org.diffeomotion.proto.model.v1.Mlp;
import org.diffeomotion.proto.model.v1.Mode;
import org.diffeomotion.proto.model.v1.Model;
import org.diffeomotion.proto.model.v1.Provenance;
import org.diffeomotion.trainer.fit.internal.Adam;
import org.diffeomotion.trainer.fit.internal.CheckpointFile;
import org.diffeomotion.trainer.fit.internal.FlowEngine;
import org.diffeomotion.trainer.fit.internal.FlowLayout;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.protobuf.Timestamp;

/**
 * Trains a stable motion model (DESIGN.md section 2) on a {@link TrainingSet}: full-batch Adam
 * on the mean squared error of the closed-form rollouts from each demo's start, with an
 * explicit reverse-mode gradient on ND4J (TRAINING.md).
 *
 * <p>Typical use: {@code new Trainer(data, options).fit(listener)}, then {@link #toModel}.
 * Same seed, options and data give bitwise the same loss curve on the CPU backend; a run
 * resumed from a checkpoint continues bitwise as if it had not been interrupted.
 *
 * <p>Not thread-safe: one trainer, one thread.
 */
public final class Trainer {

    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

    private final TrainingSet data;
    private final TrainOptions options;
    private final FlowLayout layout;
    private final FlowEngine engine;
    private final Adam adam;
    private final String fingerprint;
    private final double initDecay;
    private final double initOmega;
    private long iteration;
    private double lastValidation = Double.NaN;

    /** A fresh run: seeded initial parameters (every block the identity). Arguments not modified. */
    public Trainer(TrainingSet data, TrainOptions options) {
        this.data = data;
        this.options = options;
        this.layout = new FlowLayout(data.stateDim(), data.augmentDim(), options.blocks(), options.width(),
                options.hiddenLayers(), options.epsilon(), options.clamp(), options.seed());
        List<double[]> ts = new ArrayList<>();
        List<double[][]> tz = new ArrayList<>();
        List<double[]> vs = new ArrayList<>();
        List<double[][]> vz = new ArrayList<>();
        for (Demo d : data.train()) {
            ts.add(d.s());
            tz.add(d.z());
        }
        for (Demo d : data.validation()) {
            vs.add(d.s());
            vz.add(d.z());
        }
        this.engine = new FlowEngine(layout, ts, tz, vs, vz);
        double median = medianDuration(data.train());
        this.initDecay = options.initDecayFor(median);
        this.initOmega = options.initOmegaFor(median);
        this.engine.setParameterValues(FlowEngine.initialParameters(layout, options.seed(), initDecay, initOmega));
        this.adam = new Adam(layout.size);
        this.fingerprint = options.fingerprint(initDecay, initOmega) + " a=" + data.augmentDim() + " data=" + data.contentHash();
        LOG.info("trainer: d={} a={} blocks={} width={} hidden={} params={} train demos={} points={} held-out demos={}",
                data.stateDim(), data.augmentDim(), options.blocks(), options.width(), options.hiddenLayers(),
                layout.size, data.train().size(), engine.trainingPoints(), data.validation().size());
    }

    /**
     * Continues the run saved in a checkpoint. data and options must be those of the saved
     * run (the iteration count and reporting options may differ), else IllegalArgumentException.
     */
    public static Trainer resume(Path checkpoint, TrainingSet data, TrainOptions options) throws IOException {
        CheckpointFile.State s = CheckpointFile.read(checkpoint);
        Trainer t = new Trainer(data, options);
        if (!s.fingerprint().equals(t.fingerprint)) {
            throw new IllegalArgumentException("checkpoint " + checkpoint + " is from a different run:\n  saved:   "
                    + s.fingerprint() + "\n  current: " + t.fingerprint);
        }
        t.engine.setParameterValues(s.params());
        t.adam.restore(s.adamStep(), s.m(), s.v());
        t.iteration = s.iteration();
        LOG.info("resumed from {} at iteration {}", checkpoint, t.iteration);
        return t;
    }

    private static double medianDuration(List<Demo> demos) {
        double[] d = new double[demos.size()];
        for (int j = 0; j < d.length; j++) {
            d[j] = demos.get(j).s()[demos.get(j).points() - 1];
        }
        java.util.Arrays.sort(d);
        double m = d.length % 2 == 1 ? d[d.length / 2] : 0.5 * (d[d.length / 2 - 1] + d[d.length / 2]);
        return m > 0 ? m : 1.0;
    }

    /** Iterations done so far. */
    public long iteration() {
        return iteration;
    }

    public TrainOptions options() {
        return options;
    }

    /** Number of trainable parameters. */
    public int parameterCount() {
        return layout.size;
    }

    /** One full-batch Adam iteration. Returns the training loss before the update [normalised units^2]. */
    public double step() {
        double loss = engine.lossAndGradient();
        if (!Double.isFinite(loss)) {
            throw new IllegalStateException("training loss is " + loss + " at iteration " + iteration
                    + "; lower the learning rate or the clamp");
        }
        adam.update(engine.params(), engine.gradient(), options.learningRate());
        iteration++;
        return loss;
    }

    /**
     * Runs until {@link TrainOptions#iterations()} iterations are done in total, reporting to
     * listener and writing checkpoints as the options say.
     */
    public TrainResult fit(ProgressListener listener) throws IOException {
        long total = options.iterations();
        int todo = (int) Math.max(0, total - iteration);
        double[] curve = new double[todo];
        long start = System.nanoTime();
        long windowStart = start;
        long windowIters = 0;
        for (int i = 0; i < todo; i++) {
            double loss = step();
            curve[i] = loss;
            windowIters++;
            boolean last = iteration == total;
            boolean validate = options.validationEvery() > 0 && iteration % options.validationEvery() == 0 || last;
            double val = Double.NaN;
            if (validate && !data.validation().isEmpty()) {
                val = engine.validationLoss();
                lastValidation = val;
            }
            if (options.checkpointEvery() > 0 && (iteration % options.checkpointEvery() == 0 || last)) {
                writeCheckpoint(options.checkpointPath());
            }
            if (iteration % options.progressEvery() == 0 || validate) {
                long now = System.nanoTime();
                double ms = (now - windowStart) / 1e6 / windowIters;
                double eta = ms * (total - iteration) / 1e3;
                Progress p = new Progress(iteration, total, loss, val, ms, eta);
                LOG.debug("{}", p);
                listener.onProgress(p);
                windowStart = now;
                windowIters = 0;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new TrainResult(iteration, trainingLoss(), validationMse(), seconds, curve);
    }

    /** Training loss at the current parameters [normalised units^2]. */
    public double trainingLoss() {
        return engine.loss();
    }

    /** Held-out MSE at the current parameters [normalised units^2]; NaN without held-out demos. */
    public double validationMse() {
        lastValidation = engine.validationLoss();
        return lastValidation;
    }

    /** Normalised predictions z^ at every point of every training demo: [demo][point][dim]. */
    public double[][][] predictTraining() {
        return engine.predictions(false);
    }

    /** Normalised predictions at every point of every held-out demo: [demo][point][dim]. */
    public double[][][] predictValidation() {
        return engine.predictions(true);
    }

    /** The current parameters in the flat layout (a copy). */
    public double[] parameters() {
        return engine.parameterValues();
    }

    /** Writes the full optimiser state atomically (temp file + rename). */
    public void writeCheckpoint(Path path) throws IOException {
        CheckpointFile.write(path, new CheckpointFile.State(fingerprint, iteration, adam.step(), options.seed(),
                engine.parameterValues(), adam.firstMoment(), adam.secondMoment()));
        LOG.debug("checkpoint {} at iteration {}", path, iteration);
    }

    /**
     * Caps the native threads ND4J uses for its ops and for BLAS (process-wide). On a small
     * shared machine 1 thread gives far steadier iteration times for the reference size
     * (TRAINING.md); wide models gain from more. Must be called before training starts.
     */
    public static void setComputeThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
    }

    /** The compute backend, e.g. "nd4j-native 1.0.0-M2.1 (CPU)". */
    public static String backend() {
        Properties p = buildProperties();
        String v = p.getProperty("nd4j.version", "unknown");
        String name = Nd4j.getBackend().getClass().getSimpleName();
        return name.toLowerCase().contains("cpu") ? "nd4j-native " + v + " (CPU)" : "nd4j-cuda-11.6 " + v + " (CUDA)";
    }

    private static Properties buildProperties() {
        Properties p = new Properties();
        try (InputStream in = Trainer.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            LOG.warn("cannot read build.properties: {}", e.toString());
        }
        return p;
    }

    /**
     * The model artifact (every field of the schema filled) for the current parameters.
     *
     * @param name  model name, 1..128 characters.
     * @param notes free text for the provenance (e.g. the command line).
     */
    public Model toModel(String name, String notes) {
        double[] th = engine.parameterValues();
        LinearBase.Builder base = LinearBase.newBuilder().setEpsilon(layout.epsilon);
        for (int j = 0; j < layout.modes; j++) {
            boolean osc = layout.isOscillatory(j);
            base.addModes(Mode.newBuilder()
                    .setKind(osc ? Mode.Kind.OSCILLATORY : Mode.Kind.REAL)
                    .setP(th[layout.pOffset + j])
                    .setOmega(osc ? th[layout.omegaOffset + j] : 0.0));
        }
        Model.Builder m = Model.newBuilder()
                .setName(name)
                .setStateDim(data.stateDim())
                .addAllDimensionNames(data.dimensionNames())
                .addAllDimensionUnits(data.dimensionUnits())
                .setFrameId(data.frameId())
                .setTimeScale(data.timeScale())
                .setAugmentDim(data.augmentDim())
                .setBase(base);
        for (int i = 0; i < data.stateDim(); i++) {
            m.addGoal(data.goal()[i]);
            m.addScale(data.scale()[i]);
        }
        for (int k = 0; k < layout.blocks; k++) {
            CouplingBlock.Builder b = CouplingBlock.newBuilder().setClamp(layout.clamp)
                    .setNetA(mlp(layout.netA[k], th)).setNetB(mlp(layout.netB[k], th));
            for (int p : layout.permutations[k]) {
                b.addPermutation(p);
            }
            m.addBlocks(b);
        }
        Instant now = Instant.now();
        Provenance.Builder prov = Provenance.newBuilder()
                .setDataSha256(data.dataSha256().isEmpty() ? data.contentHash() : data.dataSha256())
                .setTrainDemos(data.train().size())
                .setValidationDemos(data.validation().size())
                .setIterations(iteration)
                .setBackend(backend())
                .setCreated(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
                .setGenerator("diffeo-motion-trainer " + buildProperties().getProperty("version", "unknown"))
                .setNotes((options.fingerprint(initDecay, initOmega) + " " + notes).trim());
        prov.putMetrics("train_loss_normalised", engine.loss());
        prov.putMetrics("train_mse", physicalMse(predictTraining(), data.train()));
        if (!data.validation().isEmpty()) {
            prov.putMetrics("validation_loss_normalised", engine.validationLoss());
            prov.putMetrics("validation_mse", physicalMse(predictValidation(), data.validation()));
        }
        return m.setProvenance(prov).build();
    }

    /** Tolerance of the export cross-check, relative to max(1, |z^|) in normalised units. */
    public static final double EXPORT_TOLERANCE = 1e-6;

    /**
     * Builds the model artifact for the current parameters, validates it with the model
     * module, and checks that the model module's closed-form rollout from each demo's start
     * (training and held-out) reproduces this trainer's own predictions: for every point,
     * max_i |y_model - y_trainer|_i / sigma_i <= EXPORT_TOLERANCE * max(1, |z^|_inf).
     *
     * @throws IllegalStateException when the cross-check fails (the export is refused)
     * @throws org.diffeomotion.model.ModelFormatException when the model module rejects the artifact
     */
    public MotionModel export(String name, String notes) throws IOException {
        MotionModel model = MotionModel.fromProto(toModel(name, notes));
        double worst = Math.max(crossCheck(model, data.train(), predictTraining()),
                crossCheck(model, data.validation(), predictValidation()));
        if (!(worst <= EXPORT_TOLERANCE)) {
            throw new IllegalStateException("export refused: the model module's rollout differs from the trainer's "
                    + "predictions by " + worst + " (relative, normalised units), tolerance " + EXPORT_TOLERANCE);
        }
        LOG.info("export cross-check: worst relative difference {} over {} demos", worst,
                data.train().size() + data.validation().size());
        return model;
    }

    /** {@link #export}, then writes the model file atomically with the model module's writer. */
    public MotionModel export(Path file, String name, String notes) throws IOException {
        MotionModel model = export(name, notes);
        ModelArtifacts.write(model, file);
        LOG.info("wrote model {} ({} iterations) to {}", name, iteration, file);
        return model;
    }

    private double crossCheck(MotionModel model, List<Demo> demos, double[][][] pred) {
        int d = data.stateDim();
        double worst = 0;
        int maxPoints = 1;
        for (Demo dm : demos) {
            maxPoints = Math.max(maxPoints, dm.points());
        }
        Rollout rollout = new Rollout(model, maxPoints);
        for (int j = 0; j < demos.size(); j++) {
            Demo dm = demos.get(j);
            int n = dm.points();
            double[] y0 = new double[d];
            double[] times = new double[n];
            for (int i = 0; i < d; i++) {
                y0[i] = data.goal()[i] + data.scale()[i] * dm.z()[0][i];
            }
            for (int i = 0; i < n; i++) {
                times[i] = dm.s()[i] * data.timeScale();
            }
            double[] out = new double[n * d];
            rollout.rollout(y0, times, n, out);
            for (int i = 0; i < n; i++) {
                double mag = 1.0;
                double err = 0;
                for (int c = 0; c < d; c++) {
                    double zm = (out[i * d + c] - data.goal()[c]) / data.scale()[c];
                    mag = Math.max(mag, Math.abs(pred[j][i][c]));
                    err = Math.max(err, Math.abs(zm - pred[j][i][c]));
                }
                worst = Math.max(worst, err / mag);
            }
        }
        return worst;
    }

    /** Mean over points and dimensions of (sigma (z^ - z))^2 [squared dimension units]. */
    private double physicalMse(double[][][] pred, List<Demo> demos) {
        double sum = 0;
        long n = 0;
        for (int j = 0; j < demos.size(); j++) {
            double[][] z = demos.get(j).z();
            for (int i = 0; i < z.length; i++) {
                for (int c = 0; c < data.stateDim(); c++) {
                    double e = data.scale()[c] * (pred[j][i][c] - z[i][c]);
                    sum += e * e;
                    n++;
                }
            }
        }
        return sum / n;
    }

    private static Mlp mlp(FlowLayout.Dense[] layers, double[] th) {
        Mlp.Builder b = Mlp.newBuilder();
        for (FlowLayout.Dense d : layers) {
            DenseLayer.Builder l = DenseLayer.newBuilder().setIn(d.in()).setOut(d.out());
            for (int i = 0; i < d.in() * d.out(); i++) {
                l.addWeights(th[d.weightOffset() + i]);
            }
            for (int i = 0; i < d.out(); i++) {
                l.addBias(th[d.biasOffset() + i]);
            }
            b.addLayers(l);
        }
        return b.build();
    }
}
