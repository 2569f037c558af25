package dev.jgrad.cpu;

import dev.jgrad.data.Dataset;
import dev.jgrad.data.Datasets;
import dev.jgrad.device.Device;
import dev.jgrad.device.DeviceConfig;
import dev.jgrad.device.Devices;
import dev.jgrad.nn.Module;
import dev.jgrad.nn.ModelSpec;
import dev.jgrad.nn.Sequential;
import dev.jgrad.ops.Loss;
import dev.jgrad.optim.Adam;
import dev.jgrad.tensor.Scope;
import dev.jgrad.tensor.Tensor;
import dev.jgrad.train.GradientSync;
import dev.jgrad.train.Slices;
import dev.jgrad.train.Trainer;
import dev.jgrad.train.TrainingListener;
import dev.jgrad.train.TrainingStep;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Gradient accumulation ({@link Trainer#accumulate}) and data-parallel replicas ({@link TrainingStep} with a
 * {@link GradientSync}) against each other and against whole-batch training.
 */
class GradientAccumulationTest {
    private static final String NET = "dense(32)-relu-dropout(0.25)-dense(10)";
    private static final int BATCH = 50;        // 1,437 digits: 28 full batches and a last one of 37 rows
    private static final long SEED = 9;

    private static final Dataset DIGITS = load();

    private static Dataset load() {
        try {
            return Datasets.digits().train();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Dataset digits() {
        return DIGITS;
    }

    private static Sequential model(Device d, Dataset data) {
        Sequential net = ModelSpec.parse(NET, null).build(new int[]{data.featureCount()}, data.classes());
        net.to(d, 17);
        return net;
    }

    private static Map<String, float[]> weights(Module m) {
        Map<String, float[]> out = new java.util.TreeMap<>();
        m.stateDict().forEach((k, v) -> out.put(k, v.toArray()));
        return out;
    }

    private static Map<String, float[]> trainWithTrainer(Dataset data, int slices, int epochs) {
        try (Device d = Devices.open(new CpuBackend(), 0, DeviceConfig.standard())) {
            Sequential net = model(d, data);
            new Trainer(net, new Adam(net.parameters(), 0.003f), d, BATCH, SEED).accumulate(slices)
                    .fit(data, null, epochs, new TrainingListener() {});
            return weights(net);
        }
    }

    private static void assertSameBits(Map<String, float[]> a, Map<String, float[]> b) {
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            float[] x = a.get(k), y = b.get(k);
            for (int i = 0; i < x.length; i++) {
                assertEquals(Float.floatToRawIntBits(x[i]), Float.floatToRawIntBits(y[i]), k + "[" + i + "]: " + x[i] + " vs " + y[i]);
            }
        }
    }

    /** Replicas in threads of one JVM, summing through shared arrays in rank order: the contract of GradientSync. */
    static final class LocalSync {
        private final float[][] inputs;
        private final CyclicBarrier barrier;

        LocalSync(int workers) {
            inputs = new float[workers][];
            barrier = new CyclicBarrier(workers);
        }

        GradientSync rank(int rank) {
            int workers = inputs.length;
            return new GradientSync() {
                public int rank() { return rank; }
                public int workers() { return workers; }
                public void sum(float[] grads, int length) {
                    try {
                        inputs[rank] = java.util.Arrays.copyOf(grads, length);
                        barrier.await();
                        for (int i = 0; i < length; i++) {
                            float s = inputs[0][i];
                            for (int r = 1; r < workers; r++) s += inputs[r][i];
                            grads[i] = s;
                        }
                        barrier.await();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            };
        }
    }

    /** One replica: its own device and model, its slice of every batch of every epoch. */
    private static Map<String, float[]> replica(Dataset data, int rank, int workers, int epochs, GradientSync sync) {
        try (Device d = Devices.open(new CpuBackend(), 0, DeviceConfig.standard())) {
            Sequential net = model(d, data);
            int n = data.size(), cols = data.featureCount();
            try (TrainingStep step = new TrainingStep(net, new Adam(net.parameters(), 0.003f), Loss.crossEntropy())) {
                for (int epoch = 1; epoch <= epochs; epoch++) {
                    int[] order = Trainer.epochOrder(n, SEED, epoch);
                    net.train();
                    for (int from = 0; from < n; from += BATCH) {
                        int rows = Math.min(BATCH, n - from);
                        int at = Slices.start(rows, workers, rank), size = Slices.size(rows, workers, rank);
                        long streamRow = (long) (epoch - 1) * n + from;
                        if (size == 0) {
                            step.emptySlice(streamRow + at, rows);
                        } else {
                            float[] x = new float[size * cols];
                            float[] y = new float[size];
                            for (int r = 0; r < size; r++) {
                                int i = order[from + at + r];
                                System.arraycopy(data.features(), i * cols, x, r * cols, cols);
                                y[r] = data.labels()[i];
                            }
                            try (Scope s = Scope.open()) {
                                step.slice(Tensor.of(d, x, size, cols), Tensor.of(d, y, size), streamRow + at, rows, null);
                            }
                        }
                        step.update(sync);
                    }
                }
            }
            return weights(net);
        }
    }

    private static List<Map<String, float[]>> replicas(Dataset data, int workers, int epochs) throws Exception {
        LocalSync sync = new LocalSync(workers);
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<Map<String, float[]>>> runs = new ArrayList<>();
            for (int r = 0; r < workers; r++) {
                int rank = r;
                runs.add(pool.submit(() -> replica(data, rank, workers, epochs, sync.rank(rank))));
            }
            List<Map<String, float[]>> out = new ArrayList<>();
            for (Future<Map<String, float[]>> f : runs) out.add(f.get());
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void replicasReproduceAccumulationBitForBit() throws Exception {
        Dataset data = digits();
        for (int workers : new int[]{2, 3}) {
            Map<String, float[]> reference = trainWithTrainer(data, workers, 2);
            List<Map<String, float[]>> replicas = replicas(data, workers, 2);
            for (Map<String, float[]> r : replicas) assertSameBits(reference, r);
        }
    }

    @Test
    void accumulationStaysCloseToWholeBatches() {
        Dataset data = digits();
        Map<String, float[]> whole = trainWithTrainer(data, 1, 1);
        Map<String, float[]> sliced = trainWithTrainer(data, 4, 1);
        boolean anyDifferent = false;
        for (String k : whole.keySet()) {
            float[] a = whole.get(k), b = sliced.get(k);
            double num = 0, den = 0;
            for (int i = 0; i < a.length; i++) {
                num += (a[i] - b[i]) * (double) (a[i] - b[i]);
                den += a[i] * (double) a[i];
                anyDifferent |= a[i] != b[i];
            }
            // 27 Adam steps from the same start, gradients equal to float rounding (about 1e-7 relative):
            // a relative L2 distance of 1e-4 leaves room for Adam's division amplifying rounding near zero.
            assertTrue(Math.sqrt(num / den) < 1e-4, k + ": relative L2 distance " + Math.sqrt(num / den));
        }
        assertTrue(anyDifferent, "slicing changes the float rounding somewhere (else this test checks nothing)");
    }

    @Test
    void oneSliceIsWholeBatchTraining() {
        Dataset data = digits();
        assertSameBits(trainWithTrainer(data, 1, 1), trainWithTrainer(data, 1, 1));
        try (Device d = Devices.open(new CpuBackend(), 0, DeviceConfig.standard())) {
            Sequential net = model(d, data);
            assertThrows(IllegalArgumentException.class, () -> new Trainer(net, new Adam(net.parameters(), 0.01f), d, 8, 1).accumulate(9));
            assertThrows(IllegalArgumentException.class, () -> new Trainer(net, new Adam(net.parameters(), 0.01f), d, 8, 1).accumulate(0));
        }
    }

    @Test
    void dropoutMasksDependOnTheRowNotTheSlice() {
        try (Device d = Devices.open(new CpuBackend(), 0, DeviceConfig.standard());
             Scope s = Scope.open()) {
            Sequential net = ModelSpec.parse("dropout(0.5)", null).build(new int[]{12}, 12);
            net.to(d, 5);
            float[] ones = new float[10 * 12];
            java.util.Arrays.fill(ones, 1f);
            net.setBatchOrigin(1000);
            float[] whole = net.forward(Tensor.of(d, ones, 10, 12)).toArray();
            net.setBatchOrigin(1000);
            float[] first = net.forward(Tensor.of(d, java.util.Arrays.copyOf(ones, 36), 3, 12)).toArray();
            net.setBatchOrigin(1003);
            float[] rest = net.forward(Tensor.of(d, java.util.Arrays.copyOf(ones, 84), 7, 12)).toArray();
            float[] joined = new float[120];
            System.arraycopy(first, 0, joined, 0, 36);
            System.arraycopy(rest, 0, joined, 36, 84);
            assertArrayEquals(whole, joined);
            net.setBatchOrigin(1010);
            float[] next = net.forward(Tensor.of(d, ones, 10, 12)).toArray();
            assertFalse(java.util.Arrays.equals(whole, next), "other rows get other masks");
        }
    }

    @Test
    void batchNormIsRefusedWhenTheBatchIsSliced() {
        Dataset data = digits();
        try (Device d = Devices.open(new CpuBackend(), 0, DeviceConfig.standard())) {
            Sequential net = ModelSpec.parse("dense(16)-batchnorm-relu-dense(10)", null).build(new int[]{data.featureCount()}, data.classes());
            net.to(d, 3);
            Trainer t = new Trainer(net, new Adam(net.parameters(), 0.01f), d, 32, 1).accumulate(2);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.fit(data, null, 1, new TrainingListener() {}));
            assertTrue(e.getMessage().contains("batch normalisation"), e.getMessage());
        }
    }
}
