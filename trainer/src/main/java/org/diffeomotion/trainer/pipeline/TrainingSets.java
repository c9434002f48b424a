package org.diffeomotion.trainer.pipeline;

import java.util.ArrayList;
import java.util.List;

import org.diffeomotion.trainer.data.NormalizedData;
import org.diffeomotion.trainer.data.PreparedData;
import org.diffeomotion.trainer.fit.Demo;
import org.diffeomotion.trainer.fit.TrainingSet;

/**
 * The adapter from the data side ({@link PreparedData}) to the training engine
 * ({@link TrainingSet}): the same normalised numbers, reshaped from flat arrays into one
 * {@link Demo} per demonstration, with the split, g, sigma, tau, names, units, frame and the
 * data-set hash carried over.
 */
public final class TrainingSets {

    /** Prefix of the data-set hash in the model's provenance (proto: "sha256:<hex>"). */
    public static final String HASH_PREFIX = "sha256:";

    private TrainingSets() { }

    /**
     * @param data       prepared demonstrations. Not modified.
     * @param augmentDim zero-padded dimensions a >= 0 (0 for the global guarantee; d = 1 needs 1).
     * @return the training set: {@code data.trainingData()} as train, {@code data.validationData()}
     *         as validation, in the order of {@code trainIndices()} / {@code validationIndices()}
     */
    public static TrainingSet from(PreparedData data, int augmentDim) {
        return new TrainingSet(data.dimension(), augmentDim, demos(data.trainingData()), demos(data.validationData()),
                data.goal(), data.scale(), data.timeScale(), data.dimensionNames(), data.units(), data.frameId(),
                HASH_PREFIX + data.dataHash());
    }

    /** One {@link Demo} per demonstration of {@code nd}, copying out of the flat arrays. */
    public static List<Demo> demos(NormalizedData nd) {
        int m = nd.demoCount();
        int n = nd.gridSize();
        int d = nd.dimension();
        double[] s = nd.s();
        double[] z = nd.z();
        List<Demo> out = new ArrayList<>(m);
        for (int i = 0; i < m; i++) {
            double[] si = new double[n];
            double[][] zi = new double[n][d];
            for (int j = 0; j < n; j++) {
                si[j] = s[i * n + j];
                System.arraycopy(z, (i * n + j) * d, zi[j], 0, d);
            }
            out.add(new Demo(si, zi));
        }
        return out;
    }
}
