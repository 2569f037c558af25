package dev.jgrad.bench.jmh;

import dev.jgrad.device.Device;
import dev.jgrad.nn.Sequential;
import dev.jgrad.ops.Loss;
import dev.jgrad.optim.Optimizer;
import dev.jgrad.tensor.Scope;
import dev.jgrad.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

import java.util.List;
import java.util.SplittableRandom;

/**
 * What the training-step benchmarks share: a network on the CPU device, {@link #BATCHES} synthetic batches of
 * {@link #BATCH} rows (pixels in [0, 1), labels in [0, 10)) cycled through, and the step exactly as
 * dev.jgrad.train.Trainer runs it: upload the batch, zero the gradients, forward, softmax cross-entropy,
 * backward, update, in a Scope. The loss is added up on the device so nothing is read back per step.
 * A subclass names the network and optimizer and checks the first step against a host reference before
 * anything is timed.
 */
abstract class TrainingStepFixture {
    private static final Loss CROSS_ENTROPY = Loss.crossEntropy();

    static final int BATCH = 128, CLASSES = 10, BATCHES = 8;

    Device device;
    Sequential model;
    Tensor lossSum;
    float[][] xs;
    final float[][] ys = new float[BATCHES][BATCH];
    private Optimizer optimizer;
    private int next;

    /** The network, not yet on a device. */
    abstract Sequential network();

    /** The optimizer over the placed network's parameters. */
    abstract Optimizer optimizer(List<Tensor> parameters);

    /** Input features per row. */
    abstract int features();

    /** Runs the first step (through {@link #step}) and throws if it differs from the host reference. */
    abstract void verifyFirstStep();

    @Setup(Level.Trial)
    public void setUp() {
        device = CpuDeviceState.open();
        model = network();
        model.to(device, 42);
        optimizer = optimizer(model.parameters());
        lossSum = Tensor.zeros(device, 1).keep();
        xs = new float[BATCHES][BATCH * features()];
        SplittableRandom rng = new SplittableRandom(7);
        for (int b = 0; b < BATCHES; b++) {
            for (int i = 0; i < xs[b].length; i++) xs[b][i] = (float) rng.nextDouble();
            for (int r = 0; r < BATCH; r++) ys[b][r] = rng.nextInt(CLASSES);
        }
        verifyFirstStep();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        device.close();
    }

    @Benchmark
    public void trainingStep() {
        int b = next;
        next = (next + 1) % BATCHES;
        step(xs[b], ys[b]);
    }

    void step(float[] x, float[] y) {
        try (Scope scope = Scope.open()) {
            Tensor input = Tensor.of(device, x, BATCH, features());
            Tensor labels = Tensor.of(device, y, BATCH);
            optimizer.zeroGrad();
            Tensor loss = CROSS_ENTROPY.apply(model.forward(input), labels);
            loss.backward();
            optimizer.step();
            device.kernels().axpby(1, 1f, loss.buffer(), 1f, lossSum.buffer());
        }
    }

    /** Throws unless got is within a relative L2 error of 1e-4 of expected (float32 against double). */
    static void check(String what, double[] got, double[] expected) {
        double diff = 0, norm = 0;
        for (int i = 0; i < got.length; i++) {
            diff += (got[i] - expected[i]) * (got[i] - expected[i]);
            norm += expected[i] * expected[i];
        }
        if (!(Math.sqrt(diff) <= 1e-4 * Math.sqrt(norm) + 1e-12)) {
            throw new IllegalStateException(what + " differs from the host reference: relative L2 error "
                    + Math.sqrt(diff / Math.max(norm, 1e-300)));
        }
    }

    static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) d[i] = x[i];
        return d;
    }
}
