package dev.jgrad.cpu;

import dev.jgrad.device.Devices;
import dev.jgrad.device.DeviceConfig;
import dev.jgrad.autograd.GradMode;
import dev.jgrad.device.Device;
import dev.jgrad.io.ModelFiles;
import dev.jgrad.nn.Dropout;
import dev.jgrad.nn.Initializer;
import dev.jgrad.nn.Linear;
import dev.jgrad.nn.Module;
import dev.jgrad.ops.Loss;
import dev.jgrad.optim.Adam;
import dev.jgrad.tensor.Scope;
import dev.jgrad.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Modules written as a user writes them, composing built-in layers by registration only. */
class UserModuleTest {
    private static final int FEATURES = 8, WIDTH = 16, CLASSES = 3, ROWS = 96;
    private static Device d;

    /** x + gate * W2·relu(W1·x): two Linear layers, a ReLU, a skip connection and a learnable gate of its own. */
    static final class Residual extends Module {
        private final Linear first = register("first", new Linear(WIDTH, WIDTH));
        private final Linear second = register("second", new Linear(WIDTH, WIDTH));

        Residual() {
            registerParameter("gate", new int[]{1}, Initializer.constant(0.5f));
        }

        @Override
        public Tensor forward(Tensor x) {
            return second.forward(first.forward(x).relu()).mul(tensor("gate")).add(x);
        }

        @Override
        public String describe() {
            return "residual(" + WIDTH + ")";
        }
    }

    /** A classifier around the block: in, residual, dropout, out. */
    static final class Net extends Module {
        private final Linear in = register("in", new Linear(FEATURES, WIDTH));
        private final Residual block = register("block", new Residual());
        private final Dropout drop = register("drop", new Dropout(0.1f));
        private final Linear out = register("out", new Linear(WIDTH, CLASSES));

        @Override
        public Tensor forward(Tensor x) {
            return out.forward(drop.forward(block.forward(in.forward(x).relu())));
        }

        @Override
        public String describe() {
            return "net";
        }
    }

    @BeforeAll
    static void open() {
        d = Devices.open(new CpuBackend(), 0, DeviceConfig.standard());
    }

    @AfterAll
    static void close() {
        d.close();
    }

    @Test
    void registeredChildrenArePlacedNamedAndSwitchedWithTheirParent() {
        Net net = new Net();
        assertEquals(List.of("in.weight", "in.bias", "block.gate", "block.first.weight", "block.first.bias", "block.second.weight",
                "block.second.bias", "out.weight", "out.bias"), List.copyOf(net.stateShapes().keySet()), "names known before placing");
        assertEquals(8 * 16 + 16 + 1 + 2 * (16 * 16 + 16) + 16 * 3 + 3, net.parameterCount());
        net.to(d, 3);
        assertEquals(List.copyOf(net.stateShapes().keySet()), List.copyOf(net.stateDict().keySet()));
        assertEquals(9, net.parameters().size());
        assertEquals(0.5f, net.stateDict().get("block.gate").item());
        assertEquals(Map.of("drop.seed", net.counters().get("drop.seed"), "drop.offset", 0L), net.counters());
        net.eval();
        assertFalse(net.block.isTraining() || net.block.first.isTraining() || net.drop.isTraining(), "eval() reaches every child");
        net.train();
        assertTrue(net.drop.isTraining());
        assertEquals(Map.of("in", net.in, "block", net.block, "drop", net.drop, "out", net.out), net.children());

        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> holding("in", "in"));
        assertTrue(twice.getMessage().contains("already has a tensor or child module named 'in'"), twice.getMessage());
        IllegalArgumentException dotted = assertThrows(IllegalArgumentException.class, () -> holding("a.b"));
        assertTrue(dotted.getMessage().contains("'a.b' is not a valid name"), dotted.getMessage());
    }

    @Test
    void residualNetworkTrainsSavesAndLoadsWithIdenticalOutputs(@TempDir Path dir) throws Exception {
        float[] x = new float[ROWS * FEATURES];
        float[] y = new float[ROWS];
        blobs(x, y);
        Net net = new Net();
        net.to(d, 11);
        Adam adam = new Adam(net.parameters(), 0.01f);
        float first = 0, last = 0;
        for (int step = 0; step < 60; step++) {
            try (Scope s = Scope.open()) {
                adam.zeroGrad();
                Tensor loss = Loss.crossEntropy().apply(net.forward(Tensor.of(d, x, ROWS, FEATURES)), Tensor.of(d, y, ROWS));
                loss.backward();
                adam.step();
                if (step == 0) first = loss.item();
                last = loss.item();
            }
        }
        assertTrue(last < 0.2f * first, "the loss must fall at least 5x in 60 steps: " + first + " -> " + last);
        assertNotEquals(0.5f, net.stateDict().get("block.gate").item(), "the block's own parameter is trained too");

        Path file = dir.resolve("residual.safetensors");
        ModelFiles.save(file, net, Map.of());
        Net loaded = new Net();
        loaded.to(d, 99);
        assertFalse(java.util.Arrays.equals(outputs(net, x), outputs(loaded, x)), "a fresh seed gives a different network");
        ModelFiles.load(file, loaded);
        assertArrayEquals(outputs(net, x), outputs(loaded, x), "reloaded: identical outputs, bit for bit");

        Net copied = new Net();
        copied.to(d, 5);
        copied.loadStateDict(net.stateDict());
        assertArrayEquals(outputs(net, x), outputs(copied, x), "loadStateDict: identical outputs");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Residual().to(d, 1).loadStateDict(net.stateDict()));
        assertTrue(e.getMessage().contains("unexpected in.weight") && e.getMessage().contains("missing first.weight"), e.getMessage());
    }

    @Test
    void toDeviceKeepsValuesAndCreatesMissingParameters() {
        Net net = new Net();
        net.to(d);
        float[] weights = net.stateDict().get("out.weight").toArray();
        Net same = new Net();
        same.to(d, 0);
        assertArrayEquals(same.stateDict().get("out.weight").toArray(), weights, "an unplaced module gets to(device, 0)'s weights");
        net.to(d);
        assertArrayEquals(weights, net.stateDict().get("out.weight").toArray(), "moving to its own device changes nothing");
    }

    /** A module registering a Linear under each of {@code names}. */
    private static Module holding(String... names) {
        return new Module() {
            {
                for (String n : names) register(n, new Linear(1, 1));
            }

            @Override
            public Tensor forward(Tensor x) {
                return x;
            }

            @Override
            public String describe() {
                return "holder";
            }
        };
    }

    private static float[] outputs(Module net, float[] x) {
        net.eval();
        try (Scope s = Scope.open(); GradMode g = GradMode.noGrad()) {
            return net.forward(Tensor.of(d, x, ROWS, FEATURES)).toArray();
        } finally {
            net.train();
        }
    }

    /** Three Gaussian blobs in 8-D, one per class. */
    private static void blobs(float[] x, float[] y) {
        SplittableRandom r = new SplittableRandom(2);
        for (int i = 0; i < ROWS; i++) {
            int c = i % CLASSES;
            y[i] = c;
            for (int j = 0; j < FEATURES; j++) x[i * FEATURES + j] = (float) ((j % CLASSES == c ? 2 : 0) + 0.5 * r.nextGaussian());
        }
    }
}
