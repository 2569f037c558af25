package dev.jgrad.conformance;

import dev.jgrad.device.Device;
import dev.jgrad.data.Dataset;
import dev.jgrad.data.Normalization;
import dev.jgrad.data.Targets;
import dev.jgrad.nn.Linear;
import dev.jgrad.nn.ReLU;
import dev.jgrad.nn.Sequential;
import dev.jgrad.nn.Sigmoid;
import dev.jgrad.optim.Adam;
import dev.jgrad.tensor.Tensor;
import dev.jgrad.testing.SeededArrays;
import dev.jgrad.train.Task;
import dev.jgrad.train.Trainer;
import dev.jgrad.train.TrainingHistory;
import dev.jgrad.train.TrainingListener;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The non-classification tasks trained end to end by {@link Trainer} on the device under test: multi-label
 * (BCE on logits), regression (MSE on standardized targets) and an autoencoder (MSE against the input). Each must
 * learn, end within {@link TrainingChecks#PARAMETERS} of the CPU reference from the same seed, give the same
 * metrics, and train bit-identically with the dataset kept on the device.
 */
final class TaskChecks {
    static final int SAMPLES = 100;   // three batches of 32 and one of 4
    static final int FEATURES = 5;
    static final int BATCH = 32;
    static final int EPOCHS = 25;

    private final DevicePair pair;

    TaskChecks(DevicePair pair) {
        this.pair = pair;
    }

    /** Features in [0, 1] and three kinds of targets derived from them. */
    static Dataset data(Task task) {
        SeededArrays rnd = new SeededArrays(77);
        float[] x = rnd.uniform(SAMPLES * FEATURES, 0, 1);
        return switch (task) {
            case MULTILABEL -> {
                float[] y = new float[SAMPLES * 3];
                for (int i = 0; i < SAMPLES; i++) {
                    y[i * 3] = x[i * FEATURES] > 0.5f ? 1 : 0;
                    y[i * 3 + 1] = x[i * FEATURES + 1] + x[i * FEATURES + 2] > 1f ? 1 : 0;
                    y[i * 3 + 2] = x[i * FEATURES + 3] < 0.3f ? 1 : 0;
                }
                yield new Dataset("multilabel", x, SAMPLES, FEATURES, new Targets.Values(y, 3));
            }
            case REGRESS -> {
                float[] y = new float[SAMPLES * 2];
                for (int i = 0; i < SAMPLES; i++) {
                    y[i * 2] = 100 + 40 * x[i * FEATURES] - 25 * x[i * FEATURES + 1] * x[i * FEATURES + 2];
                    y[i * 2 + 1] = -3 + 2 * x[i * FEATURES + 3] + x[i * FEATURES + 4];
                }
                yield new Dataset("regress", x, SAMPLES, FEATURES, new Targets.Values(y, 2));
            }
            case AUTOENCODE -> new Dataset("autoencode", x, SAMPLES, FEATURES, new Targets.None());
            case CLASSIFY -> throw new IllegalArgumentException("classification has its own checks");
        };
    }

    static Sequential model(Task task, Dataset d) {
        int out = task.outputs(d);
        return task == Task.AUTOENCODE
                ? new Sequential(new Linear(FEATURES, 4), new ReLU(), new Linear(4, FEATURES), new Sigmoid())
                : new Sequential(new Linear(FEATURES, 16), new ReLU(), new Linear(16, out));
    }

    record Fit(TrainingHistory history, Map<String, float[]> parameters) {}

    static Fit fit(Device device, Task task, boolean onDevice) {
        Dataset d = data(task);
        Sequential net = model(task, d);
        net.to(device, 3);
        Adam opt = new Adam(net.parameters(), 0.02f);
        try {
            Trainer trainer = new Trainer(net, opt, device, BATCH, 5).task(task).datasetOnDevice(onDevice)
                    .normalization(Normalization.fit(d, task == Task.REGRESS, task == Task.REGRESS));
            TrainingHistory h = trainer.fit(d, d, EPOCHS, new TrainingListener() {
                @Override
                public void note(String line) {}
            });
            Map<String, float[]> params = new LinkedHashMap<>();
            net.stateDict().forEach((name, t) -> params.put(name, t.toArray()));
            return new Fit(h, params);
        } finally {
            net.parameters().forEach(Tensor::close);
            opt.stateDict().values().forEach(Tensor::close);
        }
    }

    /** Learns on the device under test and ends where the CPU reference ends, with the same metrics. */
    void trainsLikeTheReference(Task task) {
        Fit got = fit(pair.device(), task, false);
        Fit want = fit(pair.reference(), task, false);
        TrainingHistory h = got.history();
        assertEquals(EPOCHS, h.size());
        assertTrue(h.get(EPOCHS - 1).loss() < 0.8 * h.get(0).loss(), task + ": the training loss should fall: " + h.get(0).loss() + " -> "
                + h.get(EPOCHS - 1).loss());
        for (var e : want.parameters().entrySet()) {
            TrainingChecks.PARAMETERS.check(task + " " + e.getKey(), e.getValue(), got.parameters().get(e.getKey()));
        }
        for (String metric : task.metrics()) {
            double a = want.history().get(EPOCHS - 1).testMetric(metric), b = h.get(EPOCHS - 1).testMetric(metric);
            assertTrue(Double.isFinite(b), task + " " + metric + " is " + b);
            assertEquals(a, b, 1e-3 * (1 + Math.abs(a)), task + " " + metric + " vs the CPU reference");
        }
    }

    /** The dataset kept on the device (value targets gathered there, or none) gives the same run bit for bit. */
    void datasetOnDeviceIsBitIdentical(Task task) {
        Fit host = fit(pair.device(), task, false);
        Fit resident = fit(pair.device(), task, true);
        for (int e = 0; e < EPOCHS; e++) {
            assertEquals(host.history().get(e).loss(), resident.history().get(e).loss(), task + " epoch " + (e + 1) + " loss");
        }
        for (var e : host.parameters().entrySet()) {
            float[] want = e.getValue(), got = resident.parameters().get(e.getKey());
            for (int i = 0; i < want.length; i++) {
                if (Float.floatToRawIntBits(want[i]) != Float.floatToRawIntBits(got[i])) {
                    fail(task + ": parameter " + e.getKey() + "[" + i + "] is " + got[i] + " with the dataset on the device, " + want[i] + " without");
                }
            }
        }
    }
}
