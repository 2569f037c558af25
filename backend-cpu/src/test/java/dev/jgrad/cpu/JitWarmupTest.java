package dev.jgrad.cpu;

import dev.jgrad.data.Dataset;
import dev.jgrad.device.Device;
import dev.jgrad.device.DeviceConfig;
import dev.jgrad.device.Devices;
import dev.jgrad.io.ModelCard;
import dev.jgrad.nn.Module;
import dev.jgrad.optim.OptimizerSpec;
import dev.jgrad.train.JitWarmup;
import dev.jgrad.train.Task;
import dev.jgrad.train.Trainer;
import dev.jgrad.train.TrainingListener;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JIT warm-up trains its own copy of the model on a sibling device: it takes steps for every task, stops
 * when closed, leaves the run's device alone (its memory and results), and changes no result of a run that
 * trains while it runs.
 */
class JitWarmupTest {
    private static final OptimizerSpec ADAM = new OptimizerSpec(OptimizerSpec.Kind.ADAM, 1e-3f, 0, 0);

    @Test
    void takesStepsForEveryTaskAndStopsWhenClosed() throws InterruptedException {
        List<ModelCard> cards = List.of(
                ModelCard.of("conv(4,3)-batchnorm-relu-maxpool(2)-flatten-dense(8)-relu-dropout(0.3)-dense(3)", new int[]{1, 8, 8}, 3),
                ModelCard.forFeatures("mlp:8", null, 12, 2).withTask(Task.REGRESS),
                ModelCard.forFeatures("mlp:8", null, 12, 4).withTask(Task.MULTILABEL),
                ModelCard.forFeatures("mlp:6", null, 12, 12).withTask(Task.AUTOENCODE));
        try (Device device = Devices.open("cpu", DeviceConfig.defaults().withThreads(2))) {
            for (ModelCard card : cards) {
                JitWarmup warmup = JitWarmup.start(device, card, ADAM);
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (warmup.steps() < 2 && warmup.running() && System.nanoTime() < deadline) Thread.sleep(5);
                warmup.close();
                assertNull(warmup.failure(), () -> card.architecture() + ": " + warmup.failure());
                assertTrue(warmup.steps() >= 2, card.architecture() + " " + card.task() + ": " + warmup.steps() + " steps");
                assertFalse(warmup.running(), "closed");
                int after = warmup.steps();
                Thread.sleep(20);
                assertEquals(after, warmup.steps(), "no step after close()");
                assertEquals(0, device.allocatedBytes(), "the run's device holds nothing of the warm-up");
            }
        }
    }

    @Test
    void endsByItselfAfterItsLastStep() throws InterruptedException {
        try (Device device = Devices.open("cpu", DeviceConfig.defaults().withThreads(1))) {
            JitWarmup warmup = JitWarmup.start(device, ModelCard.forFeatures("mlp:4", null, 3, 2), ADAM);
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (warmup.running() && System.nanoTime() < deadline) Thread.sleep(10);
            assertFalse(warmup.running(), "still running after two minutes");
            assertEquals(JitWarmup.MAX_STEPS, warmup.steps());
            assertNull(warmup.failure());
            warmup.close();
        }
    }

    @Test
    void trainingWhileItRunsGivesTheSameBitsAsWithout() {
        ModelCard card = ModelCard.forFeatures("mlp:32,16", null, 20, 5);
        List<float[]> without = train(card, false);
        List<float[]> with = train(card, true);
        for (int i = 0; i < without.size(); i++) assertArrayEquals(without.get(i), with.get(i), "parameter " + i);
    }

    @Test
    void aWarmUpBegunBeforeTheDeviceIsKeptForIt() throws InterruptedException {
        ModelCard card = ModelCard.forFeatures("mlp:8", null, 12, 3);
        DeviceConfig config = DeviceConfig.defaults().withThreads(2);
        for (String spec : new String[]{"cpu", "auto", " CPU:0 "}) {
            JitWarmup early = JitWarmup.startBefore(spec, config, card, ADAM, Task.CLASSIFY.defaultLoss());
            assertTrue(early.running() || early.steps() > 0, spec + ": not started");
            try (Device device = Devices.open("cpu", config)) {
                JitWarmup warmup = early.forDevice(device);
                assertSame(early, warmup, spec + ": the warm-up already runs for this device");
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (warmup.steps() < 2 && warmup.running() && System.nanoTime() < deadline) Thread.sleep(5);
                warmup.close();
                assertNull(warmup.failure(), () -> spec + ": " + warmup.failure());
                assertTrue(warmup.steps() >= 2, spec + ": " + warmup.steps() + " steps");
                assertEquals(0, device.allocatedBytes(), "the run's device holds nothing of the warm-up");
            }
        }
    }

    @Test
    void aWarmUpBegunForAnotherBackendIsReplacedByOneForTheDevice() throws InterruptedException {
        ModelCard card = ModelCard.forFeatures("mlp:8", null, 12, 3);
        DeviceConfig config = DeviceConfig.defaults().withThreads(1);
        // not on this module's class path (and its kernels are not compiled while they run): nothing to warm up
        JitWarmup early = JitWarmup.startBefore("opencl", config, card, ADAM, Task.CLASSIFY.defaultLoss());
        assertFalse(early.running());
        try (Device device = Devices.open("cpu", config)) {
            JitWarmup warmup = early.forDevice(device);
            assertNotSame(early, warmup);
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (warmup.steps() < 1 && warmup.running() && System.nanoTime() < deadline) Thread.sleep(5);
            warmup.close();
            assertTrue(warmup.steps() >= 1, warmup.steps() + " steps");
        }
    }

    @Test
    void aMalformedSpecStartsNothing() {
        JitWarmup warmup = JitWarmup.startBefore("cpu:x", DeviceConfig.defaults(), ModelCard.forFeatures("mlp:4", null, 3, 2),
                ADAM, Task.CLASSIFY.defaultLoss());
        assertFalse(warmup.running());
        assertEquals(0, warmup.steps());
        warmup.close();
    }

    @Test
    void aClosedDeviceIsRefusedByName() {
        Device device = Devices.open("cpu");
        device.close();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> JitWarmup.start(device, ModelCard.forFeatures("mlp:4", null, 3, 2), ADAM));
        assertTrue(e.getMessage().contains("device is closed"), e.getMessage());
    }

    private static List<float[]> train(ModelCard card, boolean warmUp) {
        int n = 96, features = 20;
        float[] x = new float[n * features];
        int[] y = new int[n];
        for (int i = 0; i < x.length; i++) x[i] = (float) Math.sin(i * 0.37);
        for (int i = 0; i < n; i++) y[i] = i % 5;
        Dataset data = new Dataset("sines", x, y, n, features, 5);
        try (Device device = Devices.open("cpu", DeviceConfig.defaults().withThreads(2))) {
            JitWarmup warmup = warmUp ? JitWarmup.start(device, card, ADAM) : null;
            Module model = card.build();
            model.to(device, 7);
            new Trainer(model, ADAM.create(model.parameters()), device, 16, 7).fit(data, data, 2, new TrainingListener() {});
            if (warmup != null) warmup.close();
            List<float[]> out = new ArrayList<>();
            model.stateDict().values().forEach(t -> out.add(t.toArray()));
            return out;
        }
    }
}
