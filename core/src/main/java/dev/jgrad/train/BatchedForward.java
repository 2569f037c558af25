package dev.jgrad.train;

import dev.jgrad.autograd.GradMode;
import dev.jgrad.device.Device;
import dev.jgrad.nn.Module;
import dev.jgrad.tensor.Scope;
import dev.jgrad.tensor.Tensor;

/**
 * Runs a model over host rows in batches, in evaluation mode and without recording a graph, each batch inside a
 * {@link Scope}; the model's training mode is restored afterwards. Evaluation and prediction both go through here.
 */
final class BatchedForward {
    /** Gets each batch: the first row's index, the row count, the input [rows, features] and the output. */
    interface BatchConsumer {
        void accept(int from, int rows, Tensor x, Tensor output);
    }

    private BatchedForward() {}

    static void run(Module model, Device device, float[] features, int count, int width, int batch, BatchConsumer consumer) {
        if (batch < 1) throw new IllegalArgumentException("batch size must be at least 1, got " + batch);
        boolean wasTraining = model.isTraining();
        model.eval();
        try (GradMode g = GradMode.noGrad()) {
            for (int from = 0; from < count; from += batch) {
                int rows = Math.min(batch, count - from);
                try (Scope scope = Scope.open()) {
                    Tensor x = Tensor.empty(device, rows, width);
                    device.kernels().write(features, from * width, x.buffer(), 0, rows * width);
                    consumer.accept(from, rows, x, model.forward(x));
                }
            }
        } finally {
            if (wasTraining) model.train();
        }
    }
}
