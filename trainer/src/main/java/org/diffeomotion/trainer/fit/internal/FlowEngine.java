package org.diffeomotion.trainer.fit.internal;

import java.util.List;
import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The differentiable model: the coupling flow F, its inverse, the stable linear base, and the
 * full-batch loss with an explicit reverse-mode gradient (TRAINING.md derives it).
 *
 * <p>All trainable numbers are views into one flat {@link #params() parameter vector}; the
 * gradient has the same layout. All points of all demos (N rows) go through F as one batch of
 * ND4J ops whose intermediate arrays are allocated once, in the constructor; an iteration runs
 * a fixed sequence of a few hundred such ops. The two tiny batches - c = F(0) (1 row) and the
 * inverse pass of the demo starts (J rows) - run in plain Java ({@link ScalarFlow}), where ND4J's
 * per-op overhead would dominate.
 *
 * <p>Not thread-safe.
 */
public final class FlowEngine {

    static {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    /** Per-block activations of one pass over n rows. */
    private static final class BlockCache {
        final INDArray w;
        final INDArray w1;
        final INDArray w2;
        final Nd4jMlp.Cache a;
        final Nd4jMlp.Cache b;
        /** tanh(a/c) of net_a's and net_b's log-scales. */
        final INDArray thA;
        final INDArray thB;
        /** exp(clamp(a)): the scales the block applied. */
        final INDArray eA;
        final INDArray eB;

        BlockCache(FlowLayout lay, Nd4jMlp netA, Nd4jMlp netB, int n) {
            w = matrix(n, lay.dim);
            w1 = cols(w, 0, lay.m);
            w2 = cols(w, lay.m, lay.dim);
            a = new Nd4jMlp.Cache(netA, n);
            b = new Nd4jMlp.Cache(netB, n);
            thA = matrix(n, lay.m);
            thB = matrix(n, lay.r);
            eA = matrix(n, lay.m);
            eB = matrix(n, lay.r);
        }
    }

    /** One batch of n rows pushed forward through all K blocks, and back (reverse mode). */
    static final class Batch {
        final int n;
        /** states[k] is the input of block k (forward direction); states[K] is F's output. */
        final INDArray[] states;
        final INDArray[] lo;
        final INDArray[] hi;
        final INDArray[] gStates;
        final INDArray[] gLo;
        final INDArray[] gHi;
        final BlockCache[] blocks;
        final INDArray gw;
        final INDArray gw1;
        final INDArray gw2;
        final Nd4jMlp.Scratch sA;
        final Nd4jMlp.Scratch sB;
        final INDArray dtA;
        final INDArray dtB;
        final INDArray ones;
        final INDArray onesCol;

        Batch(FlowLayout lay, Nd4jMlp[] netA, Nd4jMlp[] netB, int n) {
            this.n = n;
            int kk = lay.blocks;
            states = new INDArray[kk + 1];
            lo = new INDArray[kk + 1];
            hi = new INDArray[kk + 1];
            gStates = new INDArray[kk + 1];
            gLo = new INDArray[kk + 1];
            gHi = new INDArray[kk + 1];
            for (int k = 0; k <= kk; k++) {
                states[k] = matrix(n, lay.dim);
                lo[k] = cols(states[k], 0, lay.m);
                hi[k] = cols(states[k], lay.m, lay.dim);
                gStates[k] = matrix(n, lay.dim);
                gLo[k] = cols(gStates[k], 0, lay.m);
                gHi[k] = cols(gStates[k], lay.m, lay.dim);
            }
            blocks = new BlockCache[kk];
            for (int k = 0; k < kk; k++) {
                blocks[k] = new BlockCache(lay, netA[k], netB[k], n);
            }
            gw = matrix(n, lay.dim);
            gw1 = cols(gw, 0, lay.m);
            gw2 = cols(gw, lay.m, lay.dim);
            sA = new Nd4jMlp.Scratch(lay.r, 2 * lay.m, lay.width, lay.hiddenLayers + 1, n);
            sB = new Nd4jMlp.Scratch(lay.m, 2 * lay.r, lay.width, lay.hiddenLayers + 1, n);
            dtA = matrix(n, lay.m);
            dtB = matrix(n, lay.r);
            ones = Nd4jMlp.ones(n);
            onesCol = ones.reshape('f', n, 1);
        }
    }

    /** A set of demonstrations: their starts, all their points, and the base-rollout buffers. */
    static final class DemoSet {
        final int demos;
        final int points;
        final int[] start;
        final int[] length;
        /** The starts' inverse pass runs in plain Java: J rows are too few for ND4J ops to pay. */
        final ScalarFlow.Pass starts;
        final Batch all;
        final double[][] z0;
        final INDArray x0;
        final INDArray gx0;
        final INDArray z;
        final INDArray sCol;
        final INDArray sel;
        final INDArray x0r;
        final INDArray e;
        final INDArray cos;
        final INDArray sin;
        final INDArray tmp;
        final INDArray tmp2;
        final INDArray resid;

        DemoSet(FlowEngine f, List<double[]> s, List<double[][]> zs) {
            FlowLayout lay = f.layout;
            demos = s.size();
            start = new int[demos];
            length = new int[demos];
            int nTot = 0;
            for (int j = 0; j < demos; j++) {
                start[j] = nTot;
                length[j] = s.get(j).length;
                nTot += length[j];
            }
            points = nTot;
            double[][] zAll = new double[points][lay.dim];
            double[][] z0a = new double[demos][lay.dim];
            double[][] sAll = new double[points][1];
            double[][] selA = new double[points][demos];
            for (int j = 0; j < demos; j++) {
                double[][] zj = zs.get(j);
                for (int i = 0; i < length[j]; i++) {
                    System.arraycopy(zj[i], 0, zAll[start[j] + i], 0, lay.stateDim);
                    sAll[start[j] + i][0] = s.get(j)[i];
                    selA[start[j] + i][j] = 1.0;
                }
                System.arraycopy(zj[0], 0, z0a[j], 0, lay.stateDim);
            }
            z = fOrder(zAll);
            z0 = z0a;
            x0 = matrix(demos, lay.dim);
            gx0 = matrix(demos, lay.dim);
            sCol = fOrder(sAll);
            sel = fOrder(selA);
            starts = new ScalarFlow.Pass(lay, demos);
            all = new Batch(lay, f.netA, f.netB, points);
            x0r = matrix(points, lay.dim);
            e = matrix(points, lay.dim);
            cos = matrix(points, lay.dim);
            sin = matrix(points, lay.dim);
            tmp = matrix(points, lay.dim);
            tmp2 = matrix(points, lay.dim);
            resid = matrix(points, lay.dim);
        }
    }

    private final FlowLayout layout;
    private final INDArray params;
    private final INDArray grads;
    private final Nd4jMlp[] netA;
    private final Nd4jMlp[] netB;
    private final INDArray[] perm;
    private final INDArray pRow;
    private final INDArray omegaRow;
    private final INDArray gpRow;
    private final INDArray gOmegaRow;
    /** cmap[j][col] = 1 where mode j covers dimension col; omap likewise for oscillatory modes. */
    private final INDArray cmap;
    private final INDArray omap;
    /** x Pm: column 2j = -x[2j+1], column 2j+1 = x[2j] (the rotation generator, per pair). */
    private final INDArray pm;
    private final INDArray alphaCol;
    private final INDArray omegaCol;
    private final INDArray gAlphaCol;
    private final INDArray gOmegaCol;
    private final INDArray mask;
    private final ScalarFlow scalar;
    /** c = F(0), computed in plain Java (one row). */
    private final ScalarFlow.Pass cPass;
    private final INDArray cRow;
    private final INDArray gc;
    /** Snapshot of the parameters for the plain-Java passes, and their gradient contribution. */
    private double[] theta;
    private final double[] gScalar;
    private final DemoSet train;
    private final DemoSet validation;
    /** What {@link #lossAndGradient()} fits: the training demos, or shooting windows cut from them. */
    private DemoSet fit;
    private double gradientNorm = Double.NaN;

    /**
     * @param trainS     per training demo, normalised times s (s[0] = 0). Not modified.
     * @param trainZ     per training demo, normalised states (n x d, d = layout.stateDim). Not modified.
     * @param validS     the same for held-out demos; may be empty.
     * @param validZ     the same for held-out demos; may be empty.
     */
    public FlowEngine(FlowLayout layout, List<double[]> trainS, List<double[][]> trainZ,
                      List<double[]> validS, List<double[][]> validZ) {
        this.layout = layout;
        int dim = layout.dim;
        params = Nd4j.create(DataType.DOUBLE, layout.size);
        grads = Nd4j.create(DataType.DOUBLE, layout.size);
        netA = new Nd4jMlp[layout.blocks];
        netB = new Nd4jMlp[layout.blocks];
        perm = new INDArray[layout.blocks];
        for (int k = 0; k < layout.blocks; k++) {
            netA[k] = new Nd4jMlp(layout.netA[k], layout.width, params, grads);
            netB[k] = new Nd4jMlp(layout.netB[k], layout.width, params, grads);
            double[][] p = new double[dim][dim];
            for (int i = 0; i < dim; i++) {
                p[layout.permutations[k][i]][i] = 1.0;
            }
            perm[k] = fOrder(p);
        }
        pRow = row(params, layout.pOffset, layout.modes);
        omegaRow = row(params, layout.omegaOffset, layout.oscillatoryModes);
        gpRow = row(grads, layout.pOffset, layout.modes);
        gOmegaRow = row(grads, layout.omegaOffset, layout.oscillatoryModes);
        double[][] cm = new double[layout.modes][dim];
        double[][] om = new double[layout.oscillatoryModes][dim];
        double[][] pmA = new double[dim][dim];
        for (int j = 0; j < layout.modes; j++) {
            int c0 = layout.modeStart(j);
            cm[j][c0] = 1.0;
            if (layout.isOscillatory(j)) {
                cm[j][c0 + 1] = 1.0;
                om[j][c0] = 1.0;
                om[j][c0 + 1] = 1.0;
                pmA[c0 + 1][c0] = -1.0;
                pmA[c0][c0 + 1] = 1.0;
            }
        }
        cmap = fOrder(cm);
        omap = fOrder(om);
        pm = fOrder(pmA);
        alphaCol = matrix(1, dim);
        omegaCol = matrix(1, dim);
        gAlphaCol = matrix(1, dim);
        gOmegaCol = matrix(1, dim);
        double[][] mk = new double[1][dim];
        for (int i = 0; i < layout.stateDim; i++) {
            mk[0][i] = 1.0;
        }
        mask = fOrder(mk);
        scalar = new ScalarFlow(layout);
        cPass = new ScalarFlow.Pass(layout, 1);
        cRow = matrix(1, dim);
        gc = matrix(1, dim);
        gScalar = new double[layout.size];
        train = new DemoSet(this, trainS, trainZ);
        validation = validS.isEmpty() ? null : new DemoSet(this, validS, validZ);
        fit = train;
    }

    /**
     * Makes {@link #lossAndGradient()} fit these segments instead of the whole training demos:
     * each segment is rolled out from its own first state, so short segments (shooting
     * windows) give a local loss. Allocates the segments' buffers (call it when the schedule
     * changes, not every iteration). null restores the whole demos.
     *
     * @param s per segment, times relative to its first sample (s[0] = 0). Not modified.
     * @param z per segment, states (n x d); z[0] is the segment's start. Not modified.
     */
    public void setFitSegments(List<double[]> s, List<double[][]> z) {
        fit = s == null ? train : new DemoSet(this, s, z);
    }

    /** Rows (points) of the set {@link #lossAndGradient()} fits now. */
    public int fitPoints() {
        return fit.points;
    }

    /**
     * The parameters the last loss evaluation used (live array, overwritten by the next one;
     * copy to keep). Saves a copy out of ND4J when a run keeps its best iterate.
     */
    public double[] evaluatedParameters() {
        return theta;
    }

    /** Multiplies the gradient by f (clipping). */
    public void scaleGradient(double f) {
        grads.muli(f);
    }

    /** Euclidean norm of the gradient that the last {@link #lossAndGradient()} wrote. */
    public double gradientNorm() {
        return gradientNorm;
    }

    public FlowLayout layout() {
        return layout;
    }

    /** The flat parameter vector (live view; see {@link FlowLayout} for the layout). */
    public INDArray params() {
        return params;
    }

    /** The flat gradient written by {@link #lossAndGradient()} (live view). */
    public INDArray gradient() {
        return grads;
    }

    public double[] parameterValues() {
        return params.toDoubleVector();
    }

    /** Replaces all parameters. values: length layout.size; not modified. */
    public void setParameterValues(double[] values) {
        if (values.length != layout.size) {
            throw new IllegalArgumentException("parameters: expected " + layout.size + " values, got " + values.length);
        }
        params.assign(Nd4j.createFromArray(values));
    }

    /**
     * Initial parameters: hidden layers LeCun-normal weights and N(0, 0.5^2) biases, last layers
     * zero (every block starts as the identity), decay parameters p near sqrt(initDecay - eps),
     * frequencies spread over (0, initOmega].
     */
    public static double[] initialParameters(FlowLayout lay, long seed, double initDecay, double initOmega) {
        return initialParameters(lay, seed, initDecay, BaseInit.spread(initOmega, lay.oscillatoryModes), 1.0);
    }

    /**
     * Initial parameters: hidden weights LeCun-normal (std sqrt(1/fan_in)), the first layer's
     * scaled by featureScale and its biases N(0, (featureScale/2)^2), later hidden biases
     * N(0, 0.5^2); last layers zero (every block starts as the identity); decay parameters p
     * near sqrt(initDecay - eps); each oscillatory mode's frequency as given (jittered by 5 %).
     *
     * <p>featureScale sets how sharp the first layer's tanh features are over the normalised
     * state (about [-1, 1]): at 1 each feature is nearly linear there and the nets can bend a
     * path only gently; larger values put the features' transitions at spread positions inside
     * the demonstrated region, so that sharp turns are within reach of the first gradient steps.
     *
     * @param omega        initial frequency per oscillatory mode [rad per normalised time]. Not modified.
     * @param featureScale > 0, multiplies the first hidden layer's initial weights and biases.
     */
    public static double[] initialParameters(FlowLayout lay, long seed, double initDecay, double[] omega,
                                             double featureScale) {
        if (omega.length != lay.oscillatoryModes) {
            throw new IllegalArgumentException("omega: " + lay.oscillatoryModes + " modes, got " + omega.length);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double[] v = new double[lay.size];
        for (int k = 0; k < lay.blocks; k++) {
            for (FlowLayout.Dense[] net : new FlowLayout.Dense[][] {lay.netA[k], lay.netB[k]}) {
                for (int l = 0; l < net.length - 1; l++) {
                    FlowLayout.Dense d = net[l];
                    double std = Math.sqrt(1.0 / d.in()) * (l == 0 ? featureScale : 1.0);
                    for (int i = 0; i < d.in() * d.out(); i++) {
                        v[d.weightOffset() + i] = std * gaussian(rng);
                    }
                    for (int i = 0; i < d.out(); i++) {
                        v[d.biasOffset() + i] = (l == 0 ? 0.5 * featureScale : 0.5) * gaussian(rng);
                    }
                }
            }
        }
        double p0 = Math.sqrt(Math.max(initDecay - lay.epsilon, 1e-6));
        for (int j = 0; j < lay.modes; j++) {
            v[lay.pOffset + j] = p0 * (1.0 + 0.05 * gaussian(rng));
        }
        for (int j = 0; j < lay.oscillatoryModes; j++) {
            v[lay.omegaOffset + j] = omega[j] * (1.0 + 0.05 * gaussian(rng));
        }
        return v;
    }

    private static double gaussian(SplittableRandom rng) {
        // Box-Muller on the seeded stream: reproducible on every JVM, unlike nextGaussian's caching.
        double u1 = 1.0 - rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    // ---------------------------------------------------------------------------------------
    // Flow passes.

    private void blockForward(int k, Batch bt) {
        BlockCache c = bt.blocks[k];
        double cl = layout.clamp;
        INDArray u1 = bt.lo[k];
        INDArray u2 = bt.hi[k];
        netA[k].forward(u2, c.a, bt.onesCol);
        c.a.outLo.mul(1.0 / cl, c.thA);
        Transforms.tanh(c.thA, false);
        c.thA.mul(cl, c.eA);
        Transforms.exp(c.eA, false);
        u1.mul(c.eA, c.w1);
        c.w1.addi(c.a.outHi);
        netB[k].forward(c.w1, c.b, bt.onesCol);
        c.b.outLo.mul(1.0 / cl, c.thB);
        Transforms.tanh(c.thB, false);
        c.thB.mul(cl, c.eB);
        Transforms.exp(c.eB, false);
        u2.mul(c.eB, c.w2);
        c.w2.addi(c.b.outHi);
        Nd4j.gemm(c.w, perm[k], bt.states[k + 1], false, false, 1.0, 0.0);
    }

    /** Reverse mode of blockForward: reads bt.gStates[k+1], writes bt.gStates[k], adds parameter gradients. */
    private void blockForwardBackward(int k, Batch bt) {
        BlockCache c = bt.blocks[k];
        INDArray u1 = bt.lo[k];
        INDArray u2 = bt.hi[k];
        INDArray gu1 = bt.gLo[k];
        INDArray gu2 = bt.gHi[k];
        Nd4j.gemm(bt.gStates[k + 1], perm[k], bt.gw, false, true, 1.0, 0.0);
        // v2 = u2 * e1 + b1
        bt.gw2.mul(c.eB, gu2);
        bt.sB.gOutHi.assign(bt.gw2);
        dtanh(c.thB, bt.dtB);
        gu2.mul(u2, bt.sB.gOutLo);
        bt.sB.gOutLo.muli(bt.dtB);
        netB[k].backward(c.w1, c.b, bt.sB, bt.ones);
        bt.gw1.addi(bt.sB.gIn);
        // v1 = u1 * e2 + b2
        bt.gw1.mul(c.eA, gu1);
        bt.sA.gOutHi.assign(bt.gw1);
        dtanh(c.thA, bt.dtA);
        gu1.mul(u1, bt.sA.gOutLo);
        bt.sA.gOutLo.muli(bt.dtA);
        netA[k].backward(u2, c.a, bt.sA, bt.ones);
        gu2.addi(bt.sA.gIn);
    }

    /** out = d clamp(a) / da = 1 - tanh(a/c)^2, from th = tanh(a/c). */
    private static void dtanh(INDArray th, INDArray out) {
        th.mul(th, out);
        out.rsubi(1.0);
    }

    private void forward(Batch bt) {
        for (int k = 0; k < layout.blocks; k++) {
            blockForward(k, bt);
        }
    }

    private void forwardBackward(Batch bt) {
        for (int k = layout.blocks - 1; k >= 0; k--) {
            blockForwardBackward(k, bt);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Loss.

    /** c = F(0) (plain Java) into cRow; alpha and omega per dimension from the mode parameters. */
    private void prepare() {
        theta = params.toDoubleVector();
        java.util.Arrays.fill(cPass.state[0][0], 0.0);
        scalar.forward(theta, cPass);
        cRow.assign(Nd4j.createFromArray(cPass.state[layout.blocks]));
        Nd4j.gemm(pRow, cmap, alphaCol, false, false, 1.0, 0.0);
        alphaCol.muli(alphaCol);
        alphaCol.addi(layout.epsilon);
        alphaCol.negi();
        Nd4j.gemm(omegaRow, omap, omegaCol, false, false, 1.0, 0.0);
    }

    private INDArray c() {
        return cRow;
    }

    /** Predictions for all points of ds into ds.all.states[K] (F(x), without - c) and the masked residual. */
    private double evaluate(DemoSet ds) {
        int kk = layout.blocks;
        double[] c = cPass.state[kk][0];
        for (int j = 0; j < ds.demos; j++) {
            for (int i = 0; i < layout.dim; i++) {
                ds.starts.state[kk][j][i] = ds.z0[j][i] + c[i];
            }
        }
        scalar.inverse(theta, ds.starts);
        ds.x0.assign(Nd4j.createFromArray(ds.starts.state[0]));
        Nd4j.gemm(ds.sel, ds.x0, ds.x0r, false, false, 1.0, 0.0);
        Nd4j.gemm(ds.sCol, alphaCol, ds.e, false, false, 1.0, 0.0);
        Transforms.exp(ds.e, false);
        Nd4j.gemm(ds.sCol, omegaCol, ds.cos, false, false, 1.0, 0.0);
        ds.sin.assign(ds.cos);
        Transforms.cos(ds.cos, false);
        Transforms.sin(ds.sin, false);
        INDArray x = ds.all.states[0];
        Nd4j.gemm(ds.x0r, pm, ds.tmp, false, false, 1.0, 0.0);
        ds.tmp.muli(ds.sin);
        ds.x0r.mul(ds.cos, x);
        x.addi(ds.tmp);
        x.muli(ds.e);
        forward(ds.all);
        ds.all.states[kk].sub(ds.z, ds.resid);
        ds.resid.subiRowVector(c());
        ds.resid.muliRowVector(mask);
        return Nd4j.getBlasWrapper().dot(ds.resid, ds.resid) / ((double) ds.points * layout.stateDim);
    }

    /** Training loss: mean over all points of all training demos and the first d dims of (z^ - z)^2. */
    public double loss() {
        prepare();
        return evaluate(train);
    }

    /** The same mean squared error on the held-out demos; NaN when there are none. */
    public double validationLoss() {
        if (validation == null) {
            return Double.NaN;
        }
        prepare();
        return evaluate(validation);
    }

    /**
     * The loss of the fitted set (the training demos unless {@link #setFitSegments} chose
     * windows), and its gradient with respect to every parameter into {@link #gradient()}.
     */
    public double lossAndGradient() {
        int kk = layout.blocks;
        grads.assign(0.0);
        prepare();
        DemoSet ds = fit;
        double loss = evaluate(ds);
        Batch all = ds.all;
        INDArray gOut = all.gStates[kk];
        ds.resid.mul(2.0 / ((double) ds.points * layout.stateDim), gOut);
        // z^ = F(x) - c
        Nd4j.gemm(all.ones, gOut, gc, false, false, -1.0, 0.0);
        forwardBackward(all);
        INDArray gx = all.gStates[0];
        INDArray x = all.states[0];
        // x = exp(alpha s) * (cos(omega s) x0 + sin(omega s) x0 Pm): d/d alpha = s x, d/d omega = s x Pm
        gx.mul(x, ds.tmp);
        ds.tmp.muliColumnVector(ds.sCol);
        Nd4j.gemm(all.ones, ds.tmp, gAlphaCol, false, false, 1.0, 0.0);
        Nd4j.gemm(x, pm, ds.tmp2, false, false, 1.0, 0.0);
        ds.tmp2.muli(gx);
        ds.tmp2.muliColumnVector(ds.sCol);
        Nd4j.gemm(all.ones, ds.tmp2, gOmegaCol, false, false, 1.0, 0.0);
        Nd4j.gemm(gAlphaCol, cmap, gpRow, false, true, 1.0, 0.0);
        gpRow.muli(pRow);
        gpRow.muli(-2.0);
        Nd4j.gemm(gOmegaCol, omap, gOmegaRow, false, true, 1.0, 0.0);
        // d/d x0r
        gx.muli(ds.e);
        gx.mul(ds.sin, ds.tmp);
        Nd4j.gemm(ds.tmp, pm, ds.tmp2, false, true, 1.0, 0.0);
        gx.mul(ds.cos, ds.tmp);
        ds.tmp2.addi(ds.tmp);
        // x0r = sel x0: sum each demo's points into its start
        Nd4j.gemm(ds.sel, ds.tmp2, ds.gx0, true, false, 1.0, 0.0);
        // x0 = F^-1(z0 + c), in plain Java
        double[][] gx0 = ds.gx0.toDoubleMatrix();
        for (int j = 0; j < ds.demos; j++) {
            System.arraycopy(gx0[j], 0, ds.starts.grad[0][j], 0, layout.dim);
        }
        java.util.Arrays.fill(gScalar, 0.0);
        scalar.inverseBackward(theta, ds.starts, gScalar);
        double[] gcv = gc.toDoubleVector();
        for (int j = 0; j < ds.demos; j++) {
            for (int i = 0; i < layout.dim; i++) {
                gcv[i] += ds.starts.grad[kk][j][i];
            }
        }
        // c = F(0)
        System.arraycopy(gcv, 0, cPass.grad[kk][0], 0, layout.dim);
        scalar.forwardBackward(theta, cPass, gScalar);
        grads.addi(Nd4j.createFromArray(gScalar));
        gradientNorm = grads.norm2Number().doubleValue();
        return loss;
    }

    /**
     * Normalised predictions z^(s_i) of every point of every training demo (validation: the
     * held-out demos), as [demo][point][dim < d]. Runs a forward evaluation.
     */
    public double[][][] predictions(boolean held) {
        DemoSet ds = held ? validation : train;
        if (ds == null) {
            return new double[0][][];
        }
        prepare();
        evaluate(ds);
        INDArray pred = ds.all.states[layout.blocks].subRowVector(c());
        double[][] all = pred.toDoubleMatrix();
        double[][][] out = new double[ds.demos][][];
        for (int j = 0; j < ds.demos; j++) {
            out[j] = new double[ds.length[j]][layout.stateDim];
            for (int i = 0; i < ds.length[j]; i++) {
                System.arraycopy(all[ds.start[j] + i], 0, out[j][i], 0, layout.stateDim);
            }
        }
        return out;
    }

    /** Number of points (rows of the big batch) of the training set. */
    public int trainingPoints() {
        return train.points;
    }

    // ---------------------------------------------------------------------------------------

    static INDArray matrix(int rows, int cols) {
        return Nd4j.create(DataType.DOUBLE, new long[] {rows, cols}, 'f');
    }

    /** Columns [from, to) of an 'f'-order matrix: a contiguous view. */
    static INDArray cols(INDArray a, int from, int to) {
        return a.get(NDArrayIndex.all(), NDArrayIndex.interval(from, to));
    }

    private static INDArray row(INDArray flat, int offset, int n) {
        return flat.get(NDArrayIndex.interval(offset, offset + n)).reshape('c', 1, n);
    }

    private static INDArray fOrder(double[][] a) {
        INDArray m = matrix(a.length, a.length == 0 ? 0 : a[0].length);
        if (a.length > 0 && a[0].length > 0) {
            m.assign(Nd4j.createFromArray(a));
        }
        return m;
    }
}
