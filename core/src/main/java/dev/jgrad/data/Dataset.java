package dev.jgrad.data;

/**
 * Examples held on the host: {@code features} is [size, featureCount] row-major (already scaled, e.g. pixels
 * to [0, 1]) and {@code targets} says what each example maps to: class indices, float vectors (regression,
 * multi-label 0/1 vectors) or nothing (the input is the target, as for autoencoders).
 *
 * @param name         names the data in messages
 * @param features     [size, featureCount] row-major
 * @param size         the number of examples
 * @param featureCount the number of features of each example
 * @param targets      one target per example (see {@link Targets})
 */
public record Dataset(String name, float[] features, int size, int featureCount, Targets targets) {
    /**
     * Checks that the arrays' lengths match the sizes.
     *
     * @throws IllegalArgumentException when {@code features} does not hold {@code size * featureCount} values or
     *                                  the targets are not for {@code size} examples
     */
    public Dataset {
        if ((long) size * featureCount != features.length || !targets.fits(size)) {
            throw new IllegalArgumentException("dataset " + name + ": " + features.length + " feature values and " + targets
                    + " do not make " + size + " examples of " + featureCount + " features");
        }
    }

    /**
     * A classification dataset.
     *
     * @param name         names the data in messages
     * @param features     [size, featureCount] row-major
     * @param labels       each example's class index, in [0, classes)
     * @param size         the number of examples
     * @param featureCount the number of features of each example
     * @param classes      the number of classes (the model's output width)
     */
    public Dataset(String name, float[] features, int[] labels, int size, int featureCount, int classes) {
        this(name, features, size, featureCount, new Targets.Classes(labels, classes));
    }

    /**
     * The class indices of a classification dataset.
     *
     * @return one class index per example (the dataset's array, not a copy)
     * @throws IllegalStateException when the targets are not class labels
     */
    public int[] labels() {
        if (targets instanceof Targets.Classes c) return c.labels();
        throw new IllegalStateException("dataset " + name + " has " + targets.kind().name().toLowerCase(java.util.Locale.ROOT)
                + " targets, not class labels: read its targets() instead");
    }

    /** {@return the number of classes of a classification dataset, 0 for other targets} */
    public int classes() {
        return targets instanceof Targets.Classes c ? c.classes() : 0;
    }

    /**
     * The same examples under another name.
     *
     * @param newName the new name
     * @return a dataset sharing this one's arrays
     */
    public Dataset named(String newName) {
        return new Dataset(newName, features, size, featureCount, targets);
    }

    /**
     * The same features with other targets (e.g. {@link Targets.None} to train an autoencoder on labelled data).
     *
     * @param newTargets the targets, for the same number of examples
     * @return a dataset sharing this one's features
     */
    public Dataset withTargets(Targets newTargets) {
        return new Dataset(name, features, size, featureCount, newTargets);
    }

    /**
     * Some examples, in a given order, copied into a new dataset.
     *
     * @param order   example indices
     * @param from    the first position of {@code order} taken
     * @param to      the position after the last one taken
     * @param newName the new dataset's name
     * @return examples {@code order[from..to)}, in that order
     */
    public Dataset select(int[] order, int from, int to, String newName) {
        float[] out = new float[(to - from) * featureCount];
        for (int k = from; k < to; k++) System.arraycopy(features, order[k] * featureCount, out, (k - from) * featureCount, featureCount);
        return new Dataset(newName, out, to - from, featureCount, targets.select(order, from, to));
    }
}
