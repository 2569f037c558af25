package dev.jgrad.train;

import dev.jgrad.metrics.ConfusionMatrix;

/**
 * What {@link Predictor} made of some examples: the model's outputs, one row of {@code width} per example, and
 * what they mean for the task. Outputs are logits for classification and multi-label, values in the targets'
 * original units for regression, and reconstructions in the features' original units for autoencoders.
 *
 * @param task    the model's task
 * @param outputs [rows, width] row-major
 * @param rows    the number of examples
 * @param width   outputs per example
 */
public record Prediction(Task task, float[] outputs, int rows, int width) {
    /**
     * Checks that {@code outputs} holds {@code rows * width} values.
     *
     * @throws IllegalArgumentException when it does not
     */
    public Prediction {
        if ((long) rows * width != outputs.length) {
            throw new IllegalArgumentException(outputs.length + " outputs are not " + rows + " rows of " + width);
        }
    }

    /** {@return the outputs as one array of {@code width} per example} */
    public float[][] rowsOfOutputs() {
        float[][] out = new float[rows][width];
        for (int r = 0; r < rows; r++) System.arraycopy(outputs, r * width, out[r], 0, width);
        return out;
    }

    /** {@return the most likely class of each example (classification: the arg-max of the logits)} */
    public int[] classes() {
        require(Task.CLASSIFY, "classes");
        return ConfusionMatrix.argmax(outputs, rows, width);
    }

    /**
     * Probabilities per example: the softmax of the logits (classification, each row sums to 1) or the sigmoid of
     * each logit (multi-label, one independent probability per label).
     *
     * @return one array of {@code width} probabilities per example
     */
    public float[][] probabilities() {
        if (task != Task.CLASSIFY && task != Task.MULTILABEL) {
            throw new IllegalStateException("probabilities are for classify and multilabel models; this one does " + task.label()
                    + ": read rowsOfOutputs()");
        }
        float[][] p = new float[rows][width];
        for (int r = 0; r < rows; r++) {
            if (task == Task.MULTILABEL) {
                for (int j = 0; j < width; j++) p[r][j] = (float) (1 / (1 + Math.exp(-outputs[r * width + j])));
            } else {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < width; j++) max = Math.max(max, outputs[r * width + j]);
                double sum = 0;
                for (int j = 0; j < width; j++) sum += Math.exp(outputs[r * width + j] - max);
                for (int j = 0; j < width; j++) p[r][j] = (float) (Math.exp(outputs[r * width + j] - max) / sum);
            }
        }
        return p;
    }

    /** {@return the yes/no answers of a multi-label model, one array per example: a logit above 0 (a probability above 0.5) is a yes} */
    public boolean[][] labels() {
        require(Task.MULTILABEL, "labels");
        boolean[][] out = new boolean[rows][width];
        for (int r = 0; r < rows; r++) for (int j = 0; j < width; j++) out[r][j] = outputs[r * width + j] > 0f;
        return out;
    }

    private void require(Task wanted, String what) {
        if (task != wanted) {
            throw new IllegalStateException(what + " are for " + wanted.label() + " models; this one does " + task.label() + ": read rowsOfOutputs()");
        }
    }
}
