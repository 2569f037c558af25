package dev.jgrad.bench.jmh;

import dev.jgrad.nn.ModelSpec;
import dev.jgrad.nn.Sequential;
import dev.jgrad.optim.Optimizer;
import dev.jgrad.optim.Adam;
import dev.jgrad.tensor.Tensor;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.Map;
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
public class CnnTrainingStepBenchmark extends TrainingStepFixture {
    static final String CNN = "conv(32,3)-batchnorm-relu-maxpool(2)-conv(64,3)-batchnorm-relu-maxpool(2)-flatten-dense(128)-relu-dropout(0.3)-dense(10)";
    static final int PIXELS = 784;

    @Override
    Sequential network() {
        return ModelSpec.parse(CNN, "relu").build(new int[]{1, 28, 28}, CLASSES);
    }

    @Override
    Optimizer optimizer(List<Tensor> parameters) {
        return new Adam(parameters, 0.002f);
    }

    @Override
    int features() {
        return PIXELS;
    }

    /** Runs the first step and checks its loss and all twelve gradients against {@link HostCnn}; throws if any is off. */
    @Override
    void verifyFirstStep() {
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
}
