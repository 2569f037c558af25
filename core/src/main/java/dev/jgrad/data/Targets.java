package dev.jgrad.data;

import java.util.Arrays;

/**
 * What a dataset's examples are to be mapped to: one of
 * <ul>
 *   <li>{@link Classes}: one class index per example (classification);</li>
 *   <li>{@link Values}: a float vector of {@code width} values per example (regression, several outputs, or
 *       0/1 vectors for multi-label classification);</li>
 *   <li>{@link None}: nothing beyond the features; a model trained on it reproduces its input (autoencoders).</li>
 * </ul>
 */
public sealed interface Targets {

    /** Which of the three kinds of targets; what a reader is asked to produce. */
    enum Kind {
        /** One class index per example: {@link Classes}. */
        CLASSES,
        /** A float vector per example: {@link Values}. */
        VALUES,
        /** No targets: {@link None}. */
        NONE
    }

    /** {@return which kind of targets these are} */
    Kind kind();

    /**
     * How many floats one example's target takes in a batch.
     *
     * @return 1 for a class index, {@code width} for values, 0 for none
     */
    int width();

    /**
     * Whether these targets go with a number of examples.
     *
     * @param size the number of examples
     * @return whether this holds targets for exactly {@code size} examples (None fits any size)
     */
    boolean fits(int size);

    /**
     * The targets of some examples, in a given order.
     *
     * @param order example indices
     * @param from  the first position of {@code order} taken
     * @param to    the position after the last one taken
     * @return the targets of examples {@code order[from..to)}, in that order
     */
    Targets select(int[] order, int from, int to);

    /**
     * Writes one example's target as floats ({@link #width()} values; a class index as a float).
     *
     * @param i      the example's index
     * @param out    the array to write into
     * @param offset where in {@code out} the first value goes
     */
    void copyTo(int i, float[] out, int offset);

    /**
     * Class indices in [0, {@code classes}).
     *
     * @param labels  one index per example
     * @param classes the number of classes (at least every label + 1)
     */
    record Classes(int[] labels, int classes) implements Targets {
        /**
         * Checks the labels against the class count.
         *
         * @throws IllegalArgumentException when a label is outside [0, classes)
         */
        public Classes {
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] < 0 || labels[i] >= classes) {
                    throw new IllegalArgumentException("label " + labels[i] + " of example " + i + " is outside [0, " + classes + ")");
                }
            }
        }

        @Override
        public Kind kind() {
            return Kind.CLASSES;
        }

        @Override
        public int width() {
            return 1;
        }

        @Override
        public boolean fits(int size) {
            return labels.length == size;
        }

        @Override
        public Targets select(int[] order, int from, int to) {
            int[] out = new int[to - from];
            for (int k = from; k < to; k++) out[k - from] = labels[order[k]];
            return new Classes(out, classes);
        }

        @Override
        public void copyTo(int i, float[] out, int offset) {
            out[offset] = labels[i];
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Classes c && c.classes == classes && Arrays.equals(c.labels, labels);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(labels) + classes;
        }

        @Override
        public String toString() {
            return "Classes[" + labels.length + " labels, " + classes + " classes]";
        }
    }

    /**
     * A vector of {@code width} floats per example, row-major: example {@code i}'s values are
     * {@code values[i * width .. (i + 1) * width)}.
     *
     * @param values every example's values, row-major
     * @param width  the number of values per example, 1 or more
     */
    record Values(float[] values, int width) implements Targets {
        /**
         * Checks the width and the array's length.
         *
         * @throws IllegalArgumentException when {@code width} is below 1 or does not divide the length
         */
        public Values {
            if (width < 1) throw new IllegalArgumentException("target width must be at least 1, got " + width);
            if (values.length % width != 0) {
                throw new IllegalArgumentException(values.length + " target values are not whole rows of " + width);
            }
        }

        @Override
        public Kind kind() {
            return Kind.VALUES;
        }

        @Override
        public boolean fits(int size) {
            return (long) size * width == values.length;
        }

        @Override
        public Targets select(int[] order, int from, int to) {
            float[] out = new float[(to - from) * width];
            for (int k = from; k < to; k++) System.arraycopy(values, order[k] * width, out, (k - from) * width, width);
            return new Values(out, width);
        }

        @Override
        public void copyTo(int i, float[] out, int offset) {
            System.arraycopy(values, i * width, out, offset, width);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Values v && v.width == width && Arrays.equals(v.values, values);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(values) + width;
        }

        @Override
        public String toString() {
            return "Values[" + values.length / width + " rows of " + width + "]";
        }
    }

    /** No targets: the features are their own target. */
    record None() implements Targets {
        @Override
        public Kind kind() {
            return Kind.NONE;
        }

        @Override
        public int width() {
            return 0;
        }

        @Override
        public boolean fits(int size) {
            return true;
        }

        @Override
        public Targets select(int[] order, int from, int to) {
            return this;
        }

        @Override
        public void copyTo(int i, float[] out, int offset) {}
    }
}
