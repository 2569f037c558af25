package dev.jgrad.conformance;

import dev.jgrad.autograd.GradMode;
import dev.jgrad.device.Device;
import dev.jgrad.nn.Linear;
import dev.jgrad.nn.ReLU;
import dev.jgrad.nn.Sequential;
import dev.jgrad.ops.Loss;
import dev.jgrad.optim.Adam;
import dev.jgrad.optim.Optimizer;
import dev.jgrad.optim.SGD;
import dev.jgrad.internal.DeviceMemory;
import dev.jgrad.tensor.Scope;
import dev.jgrad.tensor.Tensor;
import dev.jgrad.testing.NoisyDevice;
import dev.jgrad.testing.SeededArrays;
import dev.jgrad.testing.Tolerance;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A tiny MLP trained on a synthetic, separable problem: on the device under test it must learn, end
 * where the CPU reference ends from the same seed, and reuse its memory from step to step.
 */
final class TrainingChecks {
    static final int FEATURES = 4;
    static final int CLASSES = 3;
    static final int SAMPLES = 96;
    static final int BATCH = 32;
    static final int STEPS = 60;

    /**
     * Final parameters on another device vs the CPU. A conforming device's kernels differ from the CPU's by
     * a few U per output here (sums of at most 32 terms). Measured on the CPU by adding random relative
     * noise to every gemm, fused gemm and reduceSum output over the 60 steps ({@link NoisyDevice}):
     * +-64U moved the final parameters by at most 4e-6 (SGD) and 1.2e-6 (Adam), +-512U by 3e-5, roughly
     * linearly (perturbing the initial weights by one ulp: 4e-7). 2e-4 absolute plus 2e-4 relative is 50
     * times the +-64U figure ({@link #roundingNoiseStaysWellWithinTolerance} keeps that true on every
     * device), while kernels off by ~2^-12 relative (TF32-like accumulation), a wrong gradient or a
     * corrupted buffer move parameters by more.
     */
    static final Tolerance PARAMETERS = new Tolerance(2e-4, 2e-4);

    private final DevicePair pair;

    TrainingChecks(DevicePair pair) {
        this.pair = pair;
    }

    /** Three Gaussian blobs in 4-D, well apart: a problem any working MLP solves. */
    record Problem(float[] x, float[] labels) {
        static Problem blobs(long seed) {
            SeededArrays rnd = new SeededArrays(seed);
            float[] centers = rnd.uniform(CLASSES * FEATURES, -2, 2);
            float[] noise = rnd.uniform(SAMPLES * FEATURES, -0.5, 0.5);
            float[] x = new float[SAMPLES * FEATURES];
            float[] labels = new float[SAMPLES];
            for (int i = 0; i < SAMPLES; i++) {
                int c = i % CLASSES;
                labels[i] = c;
                for (int f = 0; f < FEATURES; f++) x[i * FEATURES + f] = centers[c * FEATURES + f] + noise[i * FEATURES + f];
            }
            return new Problem(x, labels);
        }

        float[] batchX(int b) {
            return Arrays.copyOfRange(x, b * BATCH * FEATURES, (b + 1) * BATCH * FEATURES);
        }

        float[] batchLabels(int b) {
            return Arrays.copyOfRange(labels, b * BATCH, (b + 1) * BATCH);
        }
    }

    /** Losses before and after, and the final parameters by name. */
    record Run(float initialLoss, float finalLoss, Map<String, float[]> parameters) {}

    static Sequential model() {
        return new Sequential(new Linear(FEATURES, 16), new ReLU(), new Linear(16, 16), new ReLU(), new Linear(16, CLASSES));
    }

    static Function<Sequential, Optimizer> sgdMomentum() {
        return net -> new SGD(net.parameters(), 0.05f, 0.9f);
    }

    static Function<Sequential, Optimizer> adam() {
        return net -> new Adam(net.parameters(), 0.01f);
    }

    /** One training step on mini-batch {@code b}, in a scope as training code runs it; returns the batch loss. */
    @SuppressWarnings("try")   // the scope recycles the step's tensors
    static float step(Device device, Sequential net, Optimizer opt, Problem problem, int b) {
        try (Scope scope = Scope.open()) {
            Tensor x = Tensor.of(device, problem.batchX(b), BATCH, FEATURES);
            Tensor y = Tensor.of(device, problem.batchLabels(b), BATCH);
            opt.zeroGrad();
            Tensor loss = Loss.crossEntropy().apply(net.forward(x), y);
            loss.backward();
            opt.step();
            return loss.item();
        }
    }

    @SuppressWarnings("try")
    static float fullLoss(Device device, Sequential net, Problem problem) {
        try (Scope scope = Scope.open(); GradMode noGrad = GradMode.noGrad()) {
            Tensor x = Tensor.of(device, problem.x(), SAMPLES, FEATURES);
            Tensor y = Tensor.of(device, problem.labels(), SAMPLES);
            return Loss.crossEntropy().apply(net.forward(x), y).item();
        }
    }

    static Run train(Device device, Function<Sequential, Optimizer> optimizer, Problem problem, long seed) {
        Sequential net = model();
        net.to(device, seed);
        Optimizer opt = optimizer.apply(net);
        try {
            float before = fullLoss(device, net, problem);
            for (int s = 0; s < STEPS; s++) step(device, net, opt, problem, s % (SAMPLES / BATCH));
            float after = fullLoss(device, net, problem);
            Map<String, float[]> params = new LinkedHashMap<>();
            net.stateDict().forEach((name, t) -> params.put(name, t.toArray()));
            return new Run(before, after, params);
        } finally {
            net.parameters().forEach(Tensor::close);
            opt.stateDict().values().forEach(Tensor::close);
        }
    }

    void trainsLikeTheReference(String optimizerName, Function<Sequential, Optimizer> optimizer) {
        Problem problem = Problem.blobs(3);
        Run run = train(pair.device(), optimizer, problem, 42);
        Run ref = train(pair.reference(), optimizer, problem, 42);
        assertTrue(run.finalLoss() < 0.2f * run.initialLoss(), String.format("%s: the loss must fall at least 5x in %d steps, went %.4f -> %.4f",
                optimizerName, STEPS, run.initialLoss(), run.finalLoss()));
        assertTrue(run.finalLoss() < 0.1f, optimizerName + ": separable blobs should be fit, final loss " + run.finalLoss());
        assertEquals(ref.initialLoss(), run.initialLoss(), 1e-5, optimizerName + ": initial loss (same seed) differs from the CPU's");
        assertEquals(ref.finalLoss(), run.finalLoss(), PARAMETERS.atol() + PARAMETERS.rtol() * ref.finalLoss(),
                optimizerName + ": final loss differs from the CPU's");
        for (var e : ref.parameters().entrySet()) {
            PARAMETERS.check(optimizerName + ": parameter " + e.getKey() + " after " + STEPS + " steps vs CPU", e.getValue(), run.parameters().get(e.getKey()));
        }
    }

    /**
     * The premise of {@link #PARAMETERS}: on this device, +-64U of noise on every summing kernel moves the
     * final parameters by at most a tenth of the tolerance.
     */
    static final int NOISE_UNITS = 64;

    void roundingNoiseStaysWellWithinTolerance(String optimizerName, Function<Sequential, Optimizer> optimizer) {
        Device device = pair.device();
        Device noisy = NoisyDevice.wrap(device, NOISE_UNITS, 5);
        Problem problem = Problem.blobs(3);
        try {
            Run clean = train(device, optimizer, problem, 42);
            Run perturbed = train(noisy, optimizer, problem, 42);
            Tolerance tenth = new Tolerance(PARAMETERS.atol() / 10, PARAMETERS.rtol() / 10);
            for (var e : clean.parameters().entrySet()) {
                tenth.check(optimizerName + ": parameter " + e.getKey() + " with +-" + NOISE_UNITS + "U noise on sums vs without",
                        e.getValue(), perturbed.parameters().get(e.getKey()));
            }
        } finally {
            noisy.close();   // frees what the view allocated; the device stays open
        }
    }

    /** After one warm-up step, 20 more identical steps allocate nothing new from the device. */
    void memoryDoesNotGrow() {
        Device device = pair.device();
        Problem problem = Problem.blobs(4);
        Sequential net = model();
        net.to(device, 9);
        Optimizer opt = adam().apply(net);
        try {
            DeviceMemory pool = device.memory();
            step(device, net, opt, problem, 0);
            long afterWarmUp = pool.allocatedFloats();
            for (int s = 1; s <= 20; s++) {
                step(device, net, opt, problem, 0);
                assertEquals(afterWarmUp, pool.allocatedFloats(), "device floats allocated after step " + s + " (warm-up left " + afterWarmUp + ")");
            }
        } finally {
            net.parameters().forEach(Tensor::close);
            opt.stateDict().values().forEach(Tensor::close);
        }
    }
}
