package dev.jgrad.train;

import dev.jgrad.device.Device;
import dev.jgrad.data.Normalization;
import dev.jgrad.nn.Module;

/**
 * Runs a trained model on new examples: in evaluation mode (dropout off, batch norm on its running statistics),
 * without recording a graph, in batches, with the model's {@link Normalization} applied to the inputs and
 * undone on the outputs, so callers pass and get data in its original units.
 *
 * <pre>{@code
 * Predictor p = new Predictor(model, device, Task.REGRESS, normalization);
 * float[][] y = p.predict(new float[][] {{0.1f, 0.2f, 0.3f}}).rowsOfOutputs();
 * }</pre>
 */
public final class Predictor {
    private final Module model;
    private final Device device;
    private final Task task;
    private final Normalization normalization;
    private int batchSize = 1000;

    /**
     * A predictor for a model trained for any task.
     *
     * @param model         the trained model, on {@code device}
     * @param device        where it runs
     * @param task          what it was trained for (decides what {@link Prediction} offers)
     * @param normalization the standardization it was trained with ({@link Normalization#NONE} for none)
     */
    public Predictor(Module model, Device device, Task task, Normalization normalization) {
        this.model = model;
        this.device = device;
        this.task = task;
        this.normalization = normalization;
    }

    /**
     * A predictor for a classifier trained without normalization.
     *
     * @param model  the trained classifier, on {@code device}; its output for a batch is logits [batch, classes]
     * @param device where it runs
     */
    public Predictor(Module model, Device device) {
        this(model, device, Task.CLASSIFY, Normalization.NONE);
    }

    /**
     * Sets the number of examples per forward pass (default 1000): more is faster until the device's memory runs short.
     *
     * @param rows examples per forward pass, 1 or more
     * @return this predictor
     */
    public Predictor batchSize(int rows) {
        if (rows < 1) throw new IllegalArgumentException("batch size must be at least 1, got " + rows);
        this.batchSize = rows;
        return this;
    }

    /**
     * Predicts examples given one array each.
     *
     * @param inputs one array of features per example, all of the model's input length, in original units
     * @return the outputs and what they mean for the task
     */
    public Prediction predict(float[][] inputs) {
        if (inputs.length == 0) throw new IllegalArgumentException("no examples to predict");
        int width = inputs[0].length;
        float[] flat = new float[inputs.length * width];
        for (int r = 0; r < inputs.length; r++) {
            if (inputs[r].length != width) {
                throw new IllegalArgumentException("example " + r + " has " + inputs[r].length + " features, example 0 has " + width);
            }
            System.arraycopy(inputs[r], 0, flat, r * width, width);
        }
        return predict(flat, inputs.length);
    }

    /**
     * Predicts examples held in one row-major array.
     *
     * @param features [rows, features] row-major, in original units
     * @param rows     the number of examples
     * @return the outputs and what they mean for the task
     */
    public Prediction predict(float[] features, int rows) {
        if (rows < 1 || features.length % rows != 0) {
            throw new IllegalArgumentException(features.length + " values are not " + rows + " examples of equal length");
        }
        int width = features.length / rows;
        float[] x = normalization.features(features);
        float[][] out = new float[1][];
        int[] outWidth = new int[1];
        BatchedForward.run(model, device, x, rows, width, batchSize, (from, n, input, output) -> {
            if (output.rank() != 2) {
                throw new IllegalStateException("the model's output is " + output.shapeString() + "; a prediction needs [rows, outputs]");
            }
            if (out[0] == null) {
                outWidth[0] = output.dim(1);
                out[0] = new float[rows * outWidth[0]];
            }
            float[] values = output.toArray();
            System.arraycopy(values, 0, out[0], from * outWidth[0], values.length);
        });
        float[] outputs = switch (task) {
            case REGRESS -> normalization.targetsToOriginal(out[0]);
            case AUTOENCODE -> normalization.featuresToOriginal(out[0]);
            default -> out[0];
        };
        return new Prediction(task, outputs, rows, outWidth[0]);
    }
}
