package dev.jgrad.train;

import dev.jgrad.device.Device;
import dev.jgrad.spi.DeviceKernels;
import dev.jgrad.device.DeviceOutOfMemoryException;
import dev.jgrad.data.Dataset;
import dev.jgrad.tensor.Tensor;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The training batches of one dataset, in one of two ways that give the same tensors bit for bit:
 * <ul>
 * <li><b>gathered on the host</b> (the default): each batch's rows are copied into host staging arrays and
 *     uploaded, {@code rows * (features + target width)} floats per step (on a device whose buffers are host
 *     memory, {@link dev.jgrad.spi.DeviceKernels#hostMemory}, the features go straight into the batch tensor);</li>
 * <li><b>the dataset on the device</b>: features and labels are uploaded once, when this object is made
 *     (once per {@link Trainer#fit}), and each step uploads only the batch's {@code rows} row numbers and
 *     gathers x and y on the device with {@link dev.jgrad.spi.DeviceKernels#gatherRows}.</li>
 * </ul>
 * The target y is [rows] class indices (as floats), [rows, width] values, or, for a dataset without targets,
 * x itself.
 * Either way the staging arrays and the device tensors are made once and refilled for every batch (one set
 * for the full batch size, one for each shorter size: the last batch, the slices of a batch), so batching allocates nothing in the steady state.
 */
final class Batches implements AutoCloseable {
    record Batch(Tensor x, Tensor y) {}

    private final Device device;
    private final Dataset data;
    private final int batchSize;
    // gathered on the host
    private float[] hostX;
    private float[] hostY;
    private final int targetWidth;
    // the dataset on the device: [size, features], [size, target width] targets as floats, and the batch's row numbers
    private Tensor features;
    private Tensor labels;
    private Tensor indices;
    private float[] hostIndices;
    private Batch full;
    /** Batches of other sizes: the last batch of an epoch, and slices of a batch (a few sizes at most). */
    private final Map<Integer, Batch> others = new HashMap<>();

    /** Batches gathered on the host. */
    Batches(Device device, Dataset data, int batchSize) {
        this(device, data, batchSize, false, line -> {});
    }

    /**
     * Batches of {@code data}; with {@code onDevice}, the dataset is uploaded now and {@code notes} gets one line
     * saying so. When the device cannot hold it (it throws {@link DeviceOutOfMemoryException}) or has no
     * {@link dev.jgrad.spi.DeviceKernels#gatherRows}, the batches are gathered on the host instead and the line says that.
     *
     * @throws IllegalArgumentException with {@code onDevice}, when the dataset has more rows than
     *         {@link dev.jgrad.spi.DeviceKernels#GATHER_MAX_ROWS}
     */
    Batches(Device device, Dataset data, int batchSize, boolean onDevice, Consumer<String> notes) {
        this.device = device;
        this.data = data;
        this.batchSize = Math.min(batchSize, data.size());
        this.targetWidth = data.targets().width();
        if (!onDevice || !upload(notes)) {
            if (!device.kernels().hostMemory()) this.hostX = new float[this.batchSize * data.featureCount()];
            this.hostY = new float[this.batchSize * targetWidth];
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
        if (rows > DeviceKernels.GATHER_MAX_ROWS) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "training set %s has %,d examples: a dataset kept on the device can have at most %,d (2^24), because row "
                            + "numbers travel to the device as floats, exact only below 2^24; gather its batches on the host instead "
                            + "(Trainer.datasetOnDevice(false), the CLI without --dataset-on-device)", name, rows, DeviceKernels.GATHER_MAX_ROWS));
        }
    }

    /** Uploads the dataset; false (after a note) when the device cannot take it. */
    private boolean upload(Consumer<String> notes) {
        int n = data.size();
        int cols = data.featureCount();
        checkAddressable(data.name(), n);
        String what = String.format(Locale.ROOT, "training set %s, %s,", data.name(),
                DeviceOutOfMemoryException.bytes(4L * n * (cols + targetWidth)));
        try {
            indices = Tensor.empty(device, batchSize).keep();
            features = Tensor.empty(device, n, cols).keep();
            if (targetWidth > 0) labels = Tensor.empty(device, n, targetWidth).keep();
        } catch (DeviceOutOfMemoryException e) {
            releaseDataset();
            notes.accept(what + " stays on the host, its batches gathered there: it does not fit on " + device.info().id()
                    + " (" + e.getMessage() + ")");
            return false;
        }
        device.kernels().write(data.features(), 0, features.buffer(), 0, n * cols);
        if (labels != null) {
            float[] y = new float[n * targetWidth];
            for (int i = 0; i < n; i++) data.targets().copyTo(i, y, i * targetWidth);
            device.kernels().write(y, 0, labels.buffer(), 0, y.length);
        }
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
            device.kernels().write(hostIndices, 0, indices.buffer(), 0, rows);
            device.kernels().gatherRows(features.buffer(), cols, indices.buffer(), rows, b.x().buffer());
            if (labels != null) device.kernels().gatherRows(labels.buffer(), targetWidth, indices.buffer(), rows, b.y().buffer());
            return b;
        }
        float[] xs = data.features();
        DeviceKernels k = device.kernels();
        boolean direct = k.hostMemory();           // each row straight into x: one copy, not two
        for (int r = 0; r < rows; r++) {
            int i = order[from + r];
            if (direct) k.write(xs, i * cols, b.x().buffer(), r * cols, cols);
            else System.arraycopy(xs, i * cols, hostX, r * cols, cols);
            data.targets().copyTo(i, hostY, r * targetWidth);
        }
        if (!direct) k.write(hostX, 0, b.x().buffer(), 0, rows * cols);
        if (targetWidth > 0) device.kernels().write(hostY, 0, b.y().buffer(), 0, rows * targetWidth);
        return b;
    }

    private Batch tensorsFor(int rows) {
        if (rows == batchSize) {
            if (full == null) full = make(rows);
            return full;
        }
        return others.computeIfAbsent(rows, this::make);
    }

    private Batch make(int rows) {
        Tensor x = Tensor.empty(device, rows, data.featureCount()).keep();
        Tensor y = switch (data.targets().kind()) {
            case CLASSES -> Tensor.empty(device, rows).keep();
            case VALUES -> Tensor.empty(device, rows, targetWidth).keep();
            case NONE -> x;
        };
        return new Batch(x, y);
    }

    private static void close(Batch b) {
        b.x().close();
        if (b.y() != b.x()) b.y().close();
    }

    private void releaseDataset() {
        for (Tensor t : new Tensor[]{features, labels, indices}) if (t != null) t.close();
        features = labels = indices = null;
    }

    @Override
    public void close() {
        releaseDataset();
        if (full != null) close(full);
        for (Batch b : others.values()) close(b);
        others.clear();
    }
}
