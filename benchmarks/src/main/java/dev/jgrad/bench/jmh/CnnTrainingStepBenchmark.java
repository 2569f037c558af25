package dev.jgrad.bench.jmh;

import dev.jgrad.device.Device;
import dev.jgrad.nn.ModelSpec;
import dev.jgrad.nn.Sequential;
import dev.jgrad.ops.Loss;
import dev.jgrad.optim.Adam;
import dev.jgrad.tensor.Scope;
import dev.jgrad.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One training step of the README's CNN (conv(32,3)-batchnorm-relu-maxpool(2)-conv(64,3)-batchnorm-relu-
 * maxpool(2)-flatten-dense(128)-relu-dropout(0.3)-dense(10)), softmax cross-entropy, Adam lr 0.002, batch
 * 128, exactly as dev.jgrad.train.Trainer runs it: upload the batch, zero the gradients, forward, loss,
 * backward, update, in a Scope. samples/s = 128 / step time. Synthetic pixels in [0, 1). Before timing, the
 * first step's loss and every gradient are checked against {@link HostCnn} (double precision on the host).
 * Threads: -jvmArgsAppend -Djgrad.cpu.threads=N.
 */
@org.openjdk.jmh.annotations.State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class CnnTrainingStepBenchmark {
    private static final Loss CROSS_ENTROPY = Loss.crossEntropy();

    static final String CNN = "conv(32,3)-batchnorm-relu-maxpool(2)-conv(64,3)-batchnorm-relu-maxpool(2)-flatten-dense(128)-relu-dropout(0.3)-dense(10)";
    static final int BATCH = 128, PIXELS = 784, CLASSES = 10, BATCHES = 8;

    private Device device;
    private Sequential model;
    private Adam optimizer;
    private Tensor lossSum;
    private final float[][] xs = new float[BATCHES][BATCH * PIXELS];
    private final float[][] ys = new float[BATCHES][BATCH];
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        device = CpuDeviceState.open();
        model = ModelSpec.parse(CNN, "relu").build(new int[]{1, 28, 28}, CLASSES);
        model.to(device, 42);
        optimizer = new Adam(model.parameters(), 0.002f);
        lossSum = Tensor.zeros(device, 1).keep();
        SplittableRandom rng = new SplittableRandom(7);
        for (int b = 0; b < BATCHES; b++) {
            for (int i = 0; i < BATCH * PIXELS; i++) xs[b][i] = (float) rng.nextDouble();
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

    private void step(float[] x, float[] y) {
        try (Scope scope = Scope.open()) {
            Tensor input = Tensor.of(device, x, BATCH, PIXELS);
            Tensor labels = Tensor.of(device, y, BATCH);
            optimizer.zeroGrad();
            Tensor loss = CROSS_ENTROPY.apply(model.forward(input), labels);
            loss.backward();
            optimizer.step();
            device.kernels().axpby(1, 1f, loss.buffer(), 1f, lossSum.buffer());
        }
    }

    /** Runs the first step and checks its loss and all twelve gradients against {@link HostCnn}; throws if any is off. */
    private void verifyFirstStep() {
        List<Tensor> params = model.parameters();
        double[][] p = new double[params.size()][];
        for (int i = 0; i < p.length; i++) p[i] = toDouble(params.get(i).toArray());
        long seed = 0, offset = 0;
        for (Map.Entry<String, Long> e : model.counters().entrySet()) {
            if (e.getKey().endsWith(".seed")) seed = e.getValue();
            if (e.getKey().endsWith(".offset")) offset = e.getValue();
        }
        HostCnn reference = new HostCnn(p, xs[0], ys[0], BATCH, seed, offset, 0.3f);
        float before = lossSum.item();
        step(xs[0], ys[0]);
        double loss = lossSum.item() - before;
        if (Math.abs(loss - reference.loss) > 1e-5 * Math.max(1, Math.abs(reference.loss))) {
            throw new IllegalStateException("CNN training step loss " + loss + " differs from the host reference " + reference.loss);
        }
        for (int i = 0; i < p.length; i++) {
            double[] got = toDouble(params.get(i).gradToArray());
            if (reference.absSums[i] == null) {
                check("parameter " + i + " gradient", got, reference.grads[i]);
                continue;
            }
            for (int j = 0; j < got.length; j++) {
                if (!(Math.abs(got[j] - reference.grads[i][j]) <= 1e-5 * reference.absSums[i][j])) {
                    throw new IllegalStateException("parameter " + i + " gradient [" + j + "] = " + got[j] + " differs from the host reference "
                            + reference.grads[i][j] + " by more than 1e-5 * " + reference.absSums[i][j]);
                }
            }
        }
    }

    /** Relative L2 error under 1e-4: float32 against double through two batch norms. */
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
