package dev.jgrad.train;

import dev.jgrad.device.Device;
import dev.jgrad.device.DeviceOutOfMemoryException;
import dev.jgrad.data.Dataset;
import dev.jgrad.tensor.Tensor;

import java.util.Locale;
import java.util.function.Consumer;

/**
 * The training batches of one dataset, in one of two ways that give the same tensors bit for bit:
 * <ul>
 * <li><b>gathered on the host</b> (the default): each batch's rows are copied into host staging arrays and
 *     uploaded, {@code rows * (features + 1)} floats per step;</li>
 * <li><b>the dataset on the device</b>: features and labels are uploaded once, when this object is made
 *     (once per {@link Trainer#fit}), and each step uploads only the batch's {@code rows} row numbers and
 *     gathers x and y on the device with {@link Device#gatherRows}.</li>
 * </ul>
 * Either way the staging arrays and the device tensors are made once and refilled for every batch (one set
 * for the full batch size, one for a shorter last batch), so batching allocates nothing in the steady state.
 */
final class Batches implements AutoCloseable {
    record Batch(Tensor x, Tensor y) {}

    private final Device device;
    private final Dataset data;
    private final int batchSize;
    // gathered on the host
    private float[] hostX;
    private float[] hostY;
    // the dataset on the device: [size, features], [size] labels as floats, and the batch's row numbers
    private Tensor features;
    private Tensor labels;
    private Tensor indices;
    private float[] hostIndices;
    private Batch full;
    private Batch tail;

    /** Batches gathered on the host. */
    Batches(Device device, Dataset data, int batchSize) {
        this(device, data, batchSize, false, line -> {});
    }

    /**
     * Batches of {@code data}; with {@code onDevice}, the dataset is uploaded now and {@code notes} gets one line
     * saying so. When the device cannot hold it (it throws {@link DeviceOutOfMemoryException}) or has no
     * {@link Device#gatherRows}, the batches are gathered on the host instead and the line says that.
     *
     * @throws IllegalArgumentException with {@code onDevice}, when the dataset has more rows than
     *         {@link Device#GATHER_MAX_ROWS}
     */
    Batches(Device device, Dataset data, int batchSize, boolean onDevice, Consumer<String> notes) {
        this.device = device;
        this.data = data;
        this.batchSize = Math.min(batchSize, data.size());
        if (!onDevice || !upload(notes)) {
            this.hostX = new float[this.batchSize * data.featureCount()];
            this.hostY = new float[this.batchSize];
        }
    }

    /** Whether the dataset is on the device (else batches are gathered on the host). */
    boolean onDevice() {
        return features != null;
    }

    /**
     * Row indices reach the device as floats, exact only below 2^24: a dataset with more rows cannot be
     * gathered on the device. Fails with a message that says what to do instead.
     */
    static void checkAddressable(String name, int rows) {
        if (rows > Device.GATHER_MAX_ROWS) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "training set %s has %,d examples: a dataset kept on the device can have at most %,d (2^24), because row "
                            + "numbers travel to the device as floats, exact only below 2^24; gather its batches on the host instead "
                            + "(Trainer.datasetOnDevice(false), the CLI without --dataset-on-device)", name, rows, Device.GATHER_MAX_ROWS));
        }
    }

    /** Uploads the dataset; false (after a note) when the device cannot take it. */
    private boolean upload(Consumer<String> notes) {
        int n = data.size();
        int cols = data.featureCount();
        checkAddressable(data.name(), n);
        String what = String.format(Locale.ROOT, "training set %s, %s,", data.name(),
                DeviceOutOfMemoryException.bytes(4L * n * (cols + 1)));
        try {
            indices = Tensor.empty(device, batchSize).keep();
            // rows = 0 copies nothing on a device that has the kernel, and throws on one that does not
            device.gatherRows(indices.buffer(), 1, indices.buffer(), 0, indices.buffer());
            features = Tensor.empty(device, n, cols).keep();
            labels = Tensor.empty(device, n).keep();
        } catch (DeviceOutOfMemoryException | UnsupportedOperationException e) {
            releaseDataset();
            notes.accept(what + " stays on the host, its batches gathered there: "
                    + (e instanceof UnsupportedOperationException ? e.getMessage() : "it does not fit on " + device.info().id()
                    + " (" + e.getMessage() + ")"));
            return false;
        }
        device.write(data.features(), 0, features.buffer(), 0, n * cols);
        float[] y = new float[n];
        int[] ints = data.labels();
        for (int i = 0; i < n; i++) y[i] = ints[i];
        device.write(y, 0, labels.buffer(), 0, n);
        hostIndices = new float[batchSize];
        notes.accept(what + " is on " + device.info().id() + " for this fit: each step uploads only its batch's row numbers");
        return true;
    }

    /** Examples order[from .. from+rows) as device tensors (valid until the next call). */
    Batch load(int[] order, int from, int rows) {
        int cols = data.featureCount();
        Batch b = tensorsFor(rows);
        if (features != null) {
            for (int r = 0; r < rows; r++) hostIndices[r] = order[from + r];   // exact: n <= 2^24
            device.write(hostIndices, 0, indices.buffer(), 0, rows);
            device.gatherRows(features.buffer(), cols, indices.buffer(), rows, b.x().buffer());
            device.gatherRows(labels.buffer(), 1, indices.buffer(), rows, b.y().buffer());
            return b;
        }
        float[] xs = data.features();
        int[] ys = data.labels();
        for (int r = 0; r < rows; r++) {
            int i = order[from + r];
            System.arraycopy(xs, i * cols, hostX, r * cols, cols);
            hostY[r] = ys[i];
        }
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

    private void releaseDataset() {
        for (Tensor t : new Tensor[]{features, labels, indices}) if (t != null) t.close();
        features = labels = indices = null;
    }

    @Override
    public void close() {
        releaseDataset();
        if (full != null) close(full);
        if (tail != null) close(tail);
    }
}
