package dev.jgrad.conformance;

import dev.jgrad.device.Device;
import dev.jgrad.spi.DeviceKernels;
import dev.jgrad.device.DeviceOutOfMemoryException;
import dev.jgrad.data.Dataset;
import dev.jgrad.nn.Linear;
import dev.jgrad.nn.ReLU;
import dev.jgrad.nn.Sequential;
import dev.jgrad.optim.Optimizer;
import dev.jgrad.optim.SGD;
import dev.jgrad.internal.DeviceMemory;
import dev.jgrad.tensor.Tensor;
import dev.jgrad.testing.SeededArrays;
import dev.jgrad.train.EpochStats;
import dev.jgrad.train.Trainer;
import dev.jgrad.train.TrainingListener;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link Trainer#datasetOnDevice}: on one device, training with the training set kept there and its batches
 * gathered by {@link dev.jgrad.spi.DeviceKernels#gatherRows} must give exactly what gathering the batches on the host gives
 * (same order, same values, so the same losses and parameters bit for bit); it must upload the dataset
 * once per fit and then only each batch's row numbers; steps after the first epoch must allocate nothing;
 * and a device that cannot hold the dataset, or cannot gather, must fall back to host batches with one note.
 */
final class DatasetOnDeviceChecks {
    static final int SAMPLES = 100;   // with BATCH 32: three full batches and a last one of 4
    static final int FEATURES = 5;    // not a multiple of any vector width
    static final int CLASSES = 3;
    static final int BATCH = 32;
    static final int EPOCHS = 3;
    static final int STEPS_PER_EPOCH = (SAMPLES + BATCH - 1) / BATCH;

    private final Device device;

    DatasetOnDeviceChecks(Device device) {
        this.device = device;
    }

    static Dataset blobs() {
        SeededArrays rnd = new SeededArrays(55);
        float[] centers = rnd.uniform(CLASSES * FEATURES, -2, 2);
        float[] noise = rnd.uniform(SAMPLES * FEATURES, -0.7, 0.7);
        float[] x = new float[SAMPLES * FEATURES];
        int[] labels = new int[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            int c = rnd.nextInt(CLASSES);
            labels[i] = c;
            for (int f = 0; f < FEATURES; f++) x[i * FEATURES + f] = centers[c * FEATURES + f] + noise[i * FEATURES + f];
        }
        return new Dataset("blobs", x, labels, SAMPLES, FEATURES, CLASSES);
    }

    /** What a fit did: its losses, final parameters, and what it asked of the device. */
    record Fit(List<Double> losses, Map<String, float[]> parameters, boolean resident, List<String> notes,
               List<Long> allocatedAfterStep) {}

    static Fit fit(Device device, Dataset train, boolean onDevice) {
        return fit(device, train, onDevice, () -> {});
    }

    /** Trains a small MLP for {@link #EPOCHS} epochs; {@code beforeFit} runs just before {@link Trainer#fit}. */
    static Fit fit(Device device, Dataset train, boolean onDevice, Runnable beforeFit) {
        Sequential net = new Sequential(new Linear(FEATURES, 16), new ReLU(), new Linear(16, CLASSES));
        net.to(device, 7);
        Optimizer opt = new SGD(net.parameters(), 0.05f, 0.9f);
        DeviceMemory pool = device.memory();
        List<Long> allocated = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        try {
            Trainer trainer = new Trainer(net, opt, device, BATCH, 11).datasetOnDevice(onDevice)
                    .onStep((position, total, lossSum) -> allocated.add(pool.allocatedFloats()));
            beforeFit.run();
            List<EpochStats> history = trainer.fit(train, null, EPOCHS, new TrainingListener() {
                @Override
                public void note(String line) {
                    notes.add(line);
                }
            });
            Map<String, float[]> params = new LinkedHashMap<>();
            net.stateDict().forEach((name, t) -> params.put(name, t.toArray()));
            return new Fit(history.stream().map(EpochStats::loss).toList(), params, trainer.datasetResident(), notes, allocated);
        } finally {
            net.parameters().forEach(Tensor::close);
            opt.stateDict().values().forEach(Tensor::close);
        }
    }

    /** Same losses and parameters, bit for bit. */
    private static void sameResults(String what, Fit expected, Fit actual) {
        assertEquals(expected.losses(), actual.losses(), what + ": epoch losses");
        for (var e : expected.parameters().entrySet()) {
            float[] want = e.getValue(), got = actual.parameters().get(e.getKey());
            for (int i = 0; i < want.length; i++) {
                if (Float.floatToRawIntBits(want[i]) != Float.floatToRawIntBits(got[i])) {
                    fail(what + ": parameter " + e.getKey() + "[" + i + "] is " + got[i] + ", with host batches " + want[i]);
                }
            }
        }
    }

    void trainsBitIdenticallyToHostBatches() {
        Dataset train = blobs();
        Fit host = fit(device, train, false);
        Fit resident = fit(device, train, true);
        assertFalse(host.resident(), "without datasetOnDevice the dataset must stay on the host");
        assertTrue(resident.resident(), "datasetOnDevice(true) did not keep the dataset on the device: " + resident.notes());
        assertEquals(List.of(), host.notes(), "no note expected without datasetOnDevice");
        assertEquals(1, resident.notes().size(), resident.notes().toString());
        assertTrue(resident.notes().get(0).contains("is on " + device.info().id()), resident.notes().get(0));
        assertTrue(host.losses().get(EPOCHS - 1) < 0.5 * host.losses().get(0), "the loss should fall: " + host.losses());
        sameResults("dataset on the device vs host batches", host, resident);
    }

    /** Uploads: the dataset once, then one write of the batch's row numbers per step; no allocation after epoch 1. */
    void uploadsTheDatasetOnceAndThenOnlyRowNumbers() {
        Dataset train = blobs();
        Recording rec = new Recording(device, -1);
        try {
            Fit fit = fit(rec.view, train, true, rec::markFitStart);
            assertTrue(fit.resident(), "dataset not kept on the device: " + fit.notes());
            List<Integer> writes = rec.writesSinceFit();
            List<Integer> expected = new ArrayList<>(List.of(SAMPLES * FEATURES, SAMPLES));
            for (int e = 0; e < EPOCHS; e++) {
                for (int from = 0; from < SAMPLES; from += BATCH) expected.add(Math.min(BATCH, SAMPLES - from));
            }
            assertEquals(expected, writes, "writes during fit (floats each): features and labels once, then each batch's row numbers");
            List<Long> allocated = fit.allocatedAfterStep();
            assertEquals(EPOCHS * STEPS_PER_EPOCH, allocated.size());
            long afterFirstEpoch = allocated.get(STEPS_PER_EPOCH - 1);
            for (int s = STEPS_PER_EPOCH; s < allocated.size(); s++) {
                assertEquals(afterFirstEpoch, allocated.get(s), "device floats allocated after step " + (s + 1));
            }
        } finally {
            rec.view.close();
        }
    }

    /**
     * Host batches reach the device in one staged write of the features per batch or, where the device's buffers
     * are host memory ({@link DeviceKernels#hostMemory}), row by row straight from the dataset: the same results,
     * bit for bit, and the writes each way says.
     */
    void hostBatchesAreTheSameStagedOrRowByRow() {
        Dataset train = blobs();
        Recording staged = new Recording(device, -1, false), direct = new Recording(device, -1, true);
        try {
            Fit one = fit(staged.view, train, false, staged::markFitStart);
            Fit rows = fit(direct.view, train, false, direct::markFitStart);
            List<Integer> stagedWrites = new ArrayList<>(), directWrites = new ArrayList<>();
            for (int e = 0; e < EPOCHS; e++) {
                for (int from = 0; from < SAMPLES; from += BATCH) {
                    int n = Math.min(BATCH, SAMPLES - from);
                    stagedWrites.addAll(List.of(n * FEATURES, n));
                    for (int r = 0; r < n; r++) directWrites.add(FEATURES);
                    directWrites.add(n);
                }
            }
            assertEquals(stagedWrites, staged.writesSinceFit(), "staged: one write of the features and one of the labels per batch");
            assertEquals(directWrites, direct.writesSinceFit(), "host memory: each row's features, then the labels, per batch");
            sameResults("rows written one by one vs one staged write", one, rows);
        } finally {
            staged.view.close();
            direct.view.close();
        }
    }

    /** A device too small for the dataset: host batches, one note, the same results. */
    void fallsBackToHostBatchesWithANote() {
        Dataset train = blobs();
        Fit host = fit(device, train, false);
        Recording small = new Recording(device, SAMPLES * FEATURES);
        try {
            Fit outOfMemory = fit(small.view, train, true);
            assertFalse(outOfMemory.resident());
            assertEquals(1, outOfMemory.notes().size(), outOfMemory.notes().toString());
            assertTrue(outOfMemory.notes().get(0).contains("does not fit"), outOfMemory.notes().get(0));
            sameResults("after the dataset did not fit", host, outOfMemory);
        } finally {
            small.view.close();
        }
    }

    /**
     * A view of a device that records the length of every write, and can refuse allocations of one length
     * (as if the device were full) or say its buffers are or are not host memory. Closing the view frees what it
     * allocated and leaves the device open.
     */
    private static final class Recording {
        final Device view;
        final List<Integer> writes = new ArrayList<>();
        int fitStart = -1;

        Recording(Device device, int refusedLength) {
            this(device, refusedLength, null);
        }

        /** With {@code hostMemory} non-null, the view answers {@link DeviceKernels#hostMemory} with it. */
        Recording(Device device, int refusedLength, Boolean hostMemory) {
            DeviceKernels kernels = device.kernels();
            InvocationHandler handler = (proxy, method, args) -> {
                switch (method.getName()) {
                    case "hostMemory" -> {
                        if (hostMemory != null) return hostMemory;
                    }
                    case "allocate" -> {
                        if ((int) args[0] == refusedLength) {
                            throw new DeviceOutOfMemoryException(device.info().id(), 4L * refusedLength, 0, null);
                        }
                    }
                    case "write" -> writes.add((int) args[4]);
                    case "close" -> {
                        return null;
                    }
                    default -> { }
                }
                try {
                    return method.invoke(kernels, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            };
            view = Device.of((DeviceKernels) Proxy.newProxyInstance(DeviceKernels.class.getClassLoader(),
                    new Class<?>[]{DeviceKernels.class}, handler), device.config());
        }

        void markFitStart() {
            fitStart = writes.size();
        }

        List<Integer> writesSinceFit() {
            return writes.subList(fitStart, writes.size());
        }
    }
}
