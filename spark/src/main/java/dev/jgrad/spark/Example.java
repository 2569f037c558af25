package dev.jgrad.spark;

import java.io.Serializable;

/**
 * One training example as it travels through Spark: the model's input as flat floats, and its target.
 *
 * @param features the input, {@code ModelCard.features()} values (an image flattened channel-major)
 * @param target   what the model should output for it: a class index as one float (classification), the
 *                 target values (regression, multi-label 0/1), or an empty array (autoencoder: the input is
 *                 the target)
 */
public record Example(float[] features, float[] target) implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * Checks that both arrays are given.
     *
     * @throws IllegalArgumentException when {@code features} or {@code target} is null
     */
    public Example {
        if (features == null) throw new IllegalArgumentException("an example needs its features");
        if (target == null) throw new IllegalArgumentException("an example needs a target (an empty array for an autoencoder)");
    }

    /**
     * A classification example.
     *
     * @param features the input
     * @param label    the class index, 0 or more
     * @return the example, its target the label as one float
     */
    public static Example labeled(float[] features, int label) {
        return new Example(features, new float[]{label});
    }

    /**
     * An autoencoder's example, whose target is its input.
     *
     * @param features the input
     * @return the example, with an empty target
     */
    public static Example unlabeled(float[] features) {
        return new Example(features, new float[0]);
    }
}
