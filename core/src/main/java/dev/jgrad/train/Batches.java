package dev.jgrad.train;

import dev.jgrad.backend.Device;
import dev.jgrad.data.Dataset;
import dev.jgrad.tensor.Tensor;

/**
 * The training batches of one dataset: host staging arrays and device tensors made once and refilled for
 * every batch (one of the full batch size, one for a shorter last batch), so batching allocates nothing.
 */
final class Batches implements AutoCloseable {
    record Batch(Tensor x, Tensor y) {}

    private final Device device;
    private final Dataset data;
    private final int batchSize;
    private final float[] hostX;
    private final float[] hostY;
    private Batch full;
    private Batch tail;

    Batches(Device device, Dataset data, int batchSize) {
        this.device = device;
        this.data = data;
        this.batchSize = Math.min(batchSize, data.size());
        this.hostX = new float[this.batchSize * data.featureCount()];
        this.hostY = new float[this.batchSize];
    }

    /** Copies examples order[from .. from+rows) to the device. */
    Batch load(int[] order, int from, int rows) {
        int cols = data.featureCount();
        float[] features = data.features();
        int[] labels = data.labels();
        for (int r = 0; r < rows; r++) {
            int i = order[from + r];
            System.arraycopy(features, i * cols, hostX, r * cols, cols);
            hostY[r] = labels[i];
        }
        Batch b = tensorsFor(rows);
        device.write(hostX, 0, b.x().buffer(), 0, rows * cols);
        device.write(hostY, 0, b.y().buffer(), 0, rows);
        return b;
    }

    private Batch tensorsFor(int rows) {
        if (rows == batchSize) {
            if (full == null) full = make(rows);
            return full;
        }
        if (tail == null || tail.y().size() != rows) {
            if (tail != null) close(tail);
            tail = make(rows);
        }
        return tail;
    }

    private Batch make(int rows) {
        return new Batch(Tensor.empty(device, rows, data.featureCount()).keep(), Tensor.empty(device, rows).keep());
    }

    private static void close(Batch b) {
        b.x().close();
        b.y().close();
    }

    @Override
    public void close() {
        if (full != null) close(full);
        if (tail != null) close(tail);
    }
}
