package dev.jgrad.bench.jmh;

import dev.jgrad.nn.Linear;
import dev.jgrad.nn.ReLU;
import dev.jgrad.nn.Sequential;
import dev.jgrad.optim.Optimizer;
import dev.jgrad.optim.SGD;
import dev.jgrad.tensor.Tensor;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One training step of the reference MLP, 784-512-256-10 with ReLU, softmax cross-entropy, SGD with
 * momentum 0.9, batch 128, exactly as dev.jgrad.train.Trainer runs it: upload the batch, zero the
 * gradients, forward, loss, backward, update, all inside a Scope. samples/s = 128 / step time.
 * Synthetic data (the step's cost does not depend on the values). Threads: -jvmArgsAppend -Djgrad.cpu.threads=N.
 */
@org.openjdk.jmh.annotations.State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class TrainingStepBenchmark extends TrainingStepFixture {
    static final int IN = 784, H1 = 512, H2 = 256;
    static final float LR = 0.05f, MOMENTUM = 0.9f;

    @Override
    Sequential network() {
        return new Sequential(new Linear(IN, H1), new ReLU(), new Linear(H1, H2), new ReLU(), new Linear(H2, CLASSES));
    }

    @Override
    Optimizer optimizer(List<Tensor> parameters) {
        return new SGD(parameters, LR, MOMENTUM);
    }

    @Override
    int features() {
        return IN;
    }

    /**
     * Runs the first step and checks it against the same step done on the host in double precision: the
     * loss, every parameter's gradient (relative L2 error under 1e-4) and the updated weights
     * (p - lr * grad, as the momentum buffer starts at zero). Throws if any is off.
     */
    @Override
    void verifyFirstStep() {
        Map<String, Tensor> state = model.stateDict();
        List<String> names = List.of("0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias");
        double[][] p = new double[names.size()][];
        for (int i = 0; i < names.size(); i++) p[i] = toDouble(state.get(names.get(i)).toArray());
        HostMlp reference = new HostMlp(p, xs[0], ys[0]);

        float before = lossSum.item();
        step(xs[0], ys[0]);
        double loss = lossSum.item() - before;
        if (Math.abs(loss - reference.loss) > 1e-5 * Math.max(1, Math.abs(reference.loss))) {
            throw new IllegalStateException("training step loss " + loss + " differs from the host reference " + reference.loss);
        }
        for (int i = 0; i < names.size(); i++) {
            Tensor t = state.get(names.get(i));
            check(names.get(i) + " gradient", toDouble(t.gradToArray()), reference.grads[i]);
            double[] updated = new double[p[i].length];
            for (int j = 0; j < updated.length; j++) updated[j] = p[i][j] - LR * reference.grads[i][j];
            check(names.get(i) + " after the update", toDouble(t.toArray()), updated);
        }
    }

    /** The reference MLP's loss and gradients for one batch, by plain loops in double precision. */
    static final class HostMlp {
        final double loss;
        final double[][] grads;

        HostMlp(double[][] p, float[] x, float[] y) {
            double[] in = toDouble(x);
            double[] z1 = dense(in, p[0], p[1], BATCH, IN, H1), h1 = relu(z1);
            double[] z2 = dense(h1, p[2], p[3], BATCH, H1, H2), h2 = relu(z2);
            double[] z3 = dense(h2, p[4], p[5], BATCH, H2, CLASSES);
            double total = 0;
            double[] d3 = new double[BATCH * CLASSES];
            for (int r = 0; r < BATCH; r++) {
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (int c = 0; c < CLASSES; c++) max = Math.max(max, z3[r * CLASSES + c]);
                for (int c = 0; c < CLASSES; c++) sum += Math.exp(z3[r * CLASSES + c] - max);
                int label = (int) y[r];
                total += Math.log(sum) + max - z3[r * CLASSES + label];
                for (int c = 0; c < CLASSES; c++) {
                    d3[r * CLASSES + c] = (Math.exp(z3[r * CLASSES + c] - max) / sum - (c == label ? 1 : 0)) / BATCH;
                }
            }
            loss = total / BATCH;
            grads = new double[6][];
            grads[4] = weightGrad(d3, h2, BATCH, CLASSES, H2);
            grads[5] = biasGrad(d3, BATCH, CLASSES);
            double[] d2 = masked(inputGrad(d3, p[4], BATCH, CLASSES, H2), z2);
            grads[2] = weightGrad(d2, h1, BATCH, H2, H1);
            grads[3] = biasGrad(d2, BATCH, H2);
            double[] d1 = masked(inputGrad(d2, p[2], BATCH, H2, H1), z1);
            grads[0] = weightGrad(d1, in, BATCH, H1, IN);
            grads[1] = biasGrad(d1, BATCH, H1);
        }

        /** x [rows, in] W^T (W [out, in]) + b. */
        static double[] dense(double[] x, double[] w, double[] b, int rows, int in, int out) {
            double[] z = new double[rows * out];
            for (int r = 0; r < rows; r++) {
                for (int o = 0; o < out; o++) {
                    double s = b[o];
                    for (int i = 0; i < in; i++) s += x[r * in + i] * w[o * in + i];
                    z[r * out + o] = s;
                }
            }
            return z;
        }

        static double[] relu(double[] z) {
            double[] h = new double[z.length];
            for (int i = 0; i < z.length; i++) h[i] = Math.max(z[i], 0);
            return h;
        }

        static double[] masked(double[] g, double[] z) {
            for (int i = 0; i < g.length; i++) if (z[i] <= 0) g[i] = 0;
            return g;
        }

        /** dW [out, in] = d^T [out, rows] x [rows, in]. */
        static double[] weightGrad(double[] d, double[] x, int rows, int out, int in) {
            double[] g = new double[out * in];
            for (int r = 0; r < rows; r++) {
                for (int o = 0; o < out; o++) {
                    double dv = d[r * out + o];
                    if (dv == 0) continue;
                    for (int i = 0; i < in; i++) g[o * in + i] += dv * x[r * in + i];
                }
            }
            return g;
        }

        static double[] biasGrad(double[] d, int rows, int out) {
            double[] g = new double[out];
            for (int r = 0; r < rows; r++) for (int o = 0; o < out; o++) g[o] += d[r * out + o];
            return g;
        }

        /** dX [rows, in] = d [rows, out] W [out, in]. */
        static double[] inputGrad(double[] d, double[] w, int rows, int out, int in) {
            double[] g = new double[rows * in];
            for (int r = 0; r < rows; r++) {
                for (int o = 0; o < out; o++) {
                    double dv = d[r * out + o];
                    for (int i = 0; i < in; i++) g[r * in + i] += dv * w[o * in + i];
                }
            }
            return g;
        }
    }
}
