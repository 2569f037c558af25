package dev.jgrad.conformance;

import dev.jgrad.spi.Buffer;
import dev.jgrad.device.Device;
import dev.jgrad.spi.UnaryOp;
import dev.jgrad.testing.HostMath;
import dev.jgrad.testing.KernelRun;
import dev.jgrad.testing.SeededArrays;
import dev.jgrad.testing.Tolerance;
import org.junit.jupiter.api.DynamicTest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static dev.jgrad.conformance.KernelTolerances.TRANSCENDENTAL;
import static dev.jgrad.testing.SeededArrays.unwritten;
import static dev.jgrad.testing.Tolerance.U;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * Kernels on the device under test against exact values computed on the host in double, or known in
 * closed form. These do not use the CPU reference, so they also hold the reference itself to account.
 */
final class AnalyticKernelChecks {
    private final Device device;

    AnalyticKernelChecks(Device device) {
        this.device = device;
    }

    private float[][] run(float[][] initial, KernelRun.Call call) {
        return KernelRun.on(device, initial, call);
    }

    void memoryRoundTrip() {
        float[] host = new float[100];
        for (int i = 0; i < host.length; i++) host[i] = i + 0.5f;
        Buffer b = device.kernels().allocate(100);
        try {
            device.kernels().fill(b, 100, -1f);
            device.kernels().write(host, 5, b, 10, 50);             // b[10, 60) = host[5, 55)
            float[] back = new float[70];
            device.kernels().read(b, 10, back, 20, 50);             // back[20, 70) = b[10, 60)
            device.synchronize();
            for (int i = 0; i < 20; i++) assertEquals(0f, back[i], "read wrote before its destination offset");
            for (int i = 0; i < 50; i++) assertEquals(host[5 + i], back[20 + i], "element " + i + " after write/read with offsets");
            float[] all = new float[100];
            device.kernels().read(b, 0, all, 0, 100);
            for (int i = 0; i < 10; i++) assertEquals(-1f, all[i], "write touched element " + i + " before its offset");
            for (int i = 60; i < 100; i++) assertEquals(-1f, all[i], "write touched element " + i + " past its end");
        } finally {
            device.kernels().free(b);
        }
        float[] filled = run(new float[][]{new float[1000]}, (d, x) -> d.fill(x[0], 777, 3.25f))[0];
        for (int i = 0; i < 1000; i++) assertEquals(i < 777 ? 3.25f : 0f, filled[i], "fill n=777, element " + i);
        float[] src = new SeededArrays(3).uniform(1000, -1, 1);
        float[] copied = run(new float[][]{src, new float[1000]}, (d, x) -> d.copy(x[0], x[1], 777))[1];
        for (int i = 0; i < 1000; i++) assertEquals(i < 777 ? src[i] : 0f, copied[i], "copy n=777, element " + i);
    }

    /** GEMM against the exact product: |c - exact| <= gamma(k+1) * (|C0| + |A||B|) for any summation order. */
    Stream<DynamicTest> gemmMatchesExactProduct() {
        List<DynamicTest> tests = new ArrayList<>();
        for (int s = 0; s < 5; s++) {
            int[] shape = ReferenceKernelChecks.GEMM_SHAPES[s];
            int m = shape[0], n = shape[1], k = shape[2];
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 2) != 0, tb = (t & 1) != 0;
                for (boolean acc : new boolean[]{false, true}) {
                    String name = String.format("gemm %s%s %dx%dx%d%s vs exact", ta ? "T" : "N", tb ? "T" : "N", m, n, k, acc ? " accumulate" : "");
                    tests.add(dynamicTest(name, () -> {
                        SeededArrays rnd = new SeededArrays(name.hashCode());
                        float[] a = rnd.uniform(m * k, -1, 1);
                        float[] b = rnd.uniform(k * n, -1, 1);
                        float[] c0 = acc ? rnd.uniform(m * n, -1, 1) : unwritten(m * n);
                        float[] c = run(new float[][]{a, b, c0}, (d, x) -> d.gemm(ta, tb, m, n, k, x[0], x[1], x[2], acc))[2];
                        float[] exact = HostMath.toFloat(HostMath.gemm(ta, tb, m, n, k, a, b, c0, acc));
                        double[] bound = HostMath.scale(HostMath.gemmMagnitude(ta, tb, m, n, k, a, b, c0, acc), HostMath.gamma(k + 1));
                        Tolerance.roundoffs(0, 1).check(name, exact, c, bound);
                    }));
                }
            }
        }
        return tests.stream();
    }

    /** Every UnaryOp and its derivative against UnaryOp's documented formula, evaluated in double. */
    Stream<DynamicTest> unaryMatchesDefinition() {
        List<DynamicTest> tests = new ArrayList<>();
        int n = 1031;
        for (UnaryOp op : UnaryOp.values()) {
            float p = UnaryDefinitions.param(op);
            tests.add(dynamicTest(op + " vs definition", () -> {
                SeededArrays rnd = new SeededArrays(op.ordinal() + 100);
                float[] x = UnaryDefinitions.kernelInputs(op, rnd, n);
                float[] gy = rnd.uniform(n, -1, 1);
                float[] y = run(new float[][]{x, unwritten(n)}, (d, b) -> d.unary(op, p, n, b[0], b[1]))[1];
                float[] gx = run(new float[][]{x, y, gy, unwritten(n)}, (d, b) -> d.unaryBackward(op, p, n, b[0], b[1], b[2], b[3], false))[3];
                float[] expectedY = new float[n];
                float[] expectedGx = new float[n];
                for (int i = 0; i < n; i++) {
                    expectedY[i] = (float) UnaryDefinitions.value(op, p, x[i]);
                    expectedGx[i] = (float) (gy[i] * UnaryDefinitions.derivative(op, p, x[i]));
                }
                TRANSCENDENTAL.check(op + " forward vs definition", expectedY, y);
                TRANSCENDENTAL.check(op + " derivative vs definition", expectedGx, gx);
            }));
        }
        return tests.stream();
    }

    Stream<DynamicTest> reduceSumAndExpandMatchExactSums() {
        List<DynamicTest> tests = new ArrayList<>();
        for (int[] s : ReferenceKernelChecks.REDUCE_SHAPES) {
            int outer = s[0], r = s[1], inner = s[2];
            String shape = "[" + outer + ", " + r + ", " + inner + "]";
            tests.add(dynamicTest("reduceSum and expand " + shape + " vs exact", () -> {
                SeededArrays rnd = new SeededArrays(outer * 31L + r * 17L + inner);
                float scale = 1f / r;
                float[] x = rnd.uniform(outer * r * inner, -1, 1);
                float[] out0 = rnd.uniform(outer * inner, -1, 1);
                float[] out = run(new float[][]{x, out0}, (d, b) -> d.reduceSum(outer, r, inner, b[0], b[1], scale, true))[1];
                double[] sums = HostMath.reduceSum(outer, r, inner, x);
                double[] magnitude = HostMath.reduceSum(outer, r, inner, HostMath.abs(x));
                float[] exact = new float[sums.length];
                double[] bound = new double[sums.length];
                for (int i = 0; i < sums.length; i++) {
                    exact[i] = (float) (out0[i] + (double) scale * sums[i]);
                    bound[i] = HostMath.gamma(r + 2) * (Math.abs(out0[i]) + scale * magnitude[i]);
                }
                Tolerance.roundoffs(0, 1).check("reduceSum " + shape + " accumulate vs exact", exact, out, bound);

                float[] g = rnd.uniform(outer * inner, -1, 1);
                float[] x0 = rnd.uniform(outer * r * inner, -1, 1);
                float[] expanded = run(new float[][]{g, x0}, (d, b) -> d.expand(outer, r, inner, b[0], b[1], scale, true))[1];
                float[] expected = new float[x0.length];
                double[] expandBound = new double[x0.length];
                for (int o = 0; o < outer; o++)
                    for (int j = 0; j < r; j++)
                        for (int i = 0; i < inner; i++) {
                            int at = (o * r + j) * inner + i;
                            double v = (double) scale * g[o * inner + i];
                            expected[at] = (float) (x0[at] + v);
                            // scale*g and the add each round once, and so does the expected value itself
                            expandBound[at] = 4 * U * (Math.abs(x0[at]) + Math.abs(v));
                        }
                Tolerance.exact().check("expand " + shape + " accumulate vs exact", expected, expanded, expandBound);
            }));
        }
        return tests.stream();
    }

    void softmaxRowsSumToOne() {
        for (double[] c : ReferenceKernelChecks.SOFTMAX_CASES) {
            int rows = (int) c[0], cols = (int) c[1];
            float[] x = new SeededArrays(rows * 100 + cols).uniform(rows * cols, c[2], c[3]);
            float[] y = run(new float[][]{x, unwritten(rows * cols)}, (d, b) -> d.softmax(rows, cols, b[0], b[1]))[1];
            Tolerance half = KernelTolerances.softmax(cols, c[3] - c[2]);   // twice one device's bound
            float[] exact = new float[y.length];
            for (int r = 0; r < rows; r++) {
                double max = Double.NEGATIVE_INFINITY, sum = 0, total = 0;
                for (int j = 0; j < cols; j++) max = Math.max(max, x[r * cols + j]);
                for (int j = 0; j < cols; j++) sum += Math.exp(x[r * cols + j] - max);
                for (int j = 0; j < cols; j++) {
                    exact[r * cols + j] = (float) (Math.exp(x[r * cols + j] - max) / sum);
                    assertTrue(y[r * cols + j] >= 0, "softmax gave a negative probability");
                    total += y[r * cols + j];
                }
                assertEquals(1.0, total, half.rtol(), "softmax row " + r + " of " + rows + "x" + cols + " sums to 1");
            }
            half.check("softmax " + rows + "x" + cols + " vs exact", exact, y);
        }
        // large logits: without subtracting the max, exp overflows (exp(89) > FLT_MAX) or everything underflows
        float[] x = {1000f, 1000f, -1000f, 0f, 88f, 89f, -200f, -201f};
        float[] y = run(new float[][]{x, unwritten(8)}, (d, b) -> d.softmax(4, 2, b[0], b[1]))[1];
        double e = Math.exp(-1);
        float[] expected = {0.5f, 0.5f, 0f, 1f, (float) (e / (1 + e)), (float) (1 / (1 + e)), (float) (1 / (1 + e)), (float) (e / (1 + e))};
        TRANSCENDENTAL.check("softmax of large logits", expected, y);
    }

    void crossEntropyKnownValues() {
        // uniform logits (any constant): every probability is 1/C and the loss is ln(C)
        for (int cols : new int[]{2, 10, 1000}) {
            int rows = 3;
            float[] logits = new float[rows * cols];
            float[] constants = {0f, 3.7f, -250f};
            for (int r = 0; r < rows; r++) Arrays.fill(logits, r * cols, r * cols + cols, constants[r]);
            float[] labels = new SeededArrays(cols).labels(rows, cols);
            float[][] out = run(new float[][]{logits, labels, unwritten(rows * cols), unwritten(rows)},
                    (d, b) -> d.softmaxCrossEntropy(rows, cols, b[0], b[1], b[2], b[3]));
            float[] lnC = new float[rows];
            Arrays.fill(lnC, (float) Math.log(cols));
            float[] uniform = new float[rows * cols];
            Arrays.fill(uniform, 1f / cols);
            KernelTolerances.crossEntropy(cols, 0, 250).check("cross-entropy of uniform logits is ln(" + cols + ")", lnC, out[3]);
            KernelTolerances.softmax(cols, 0).check("probabilities of uniform logits are 1/" + cols, uniform, out[2]);
        }
        // huge logits: log-sum-exp keeps the loss finite and exact
        float[] logits = {1000f, 0f, -1000f, 1000f, 0f, -1000f, 1000f, 0f, -1000f};
        float[] labels = {0f, 1f, 2f};
        float[] loss = run(new float[][]{logits, labels, unwritten(9), unwritten(3)},
                (d, b) -> d.softmaxCrossEntropy(3, 3, b[0], b[1], b[2], b[3]))[3];
        Tolerance.roundoffs(0, 4).check("cross-entropy of logits +-1000", new float[]{0f, 1000f, 2000f}, loss);

        // backward: (p - onehot) * gLoss * scale
        SeededArrays rnd = new SeededArrays(5);
        int rows = 6, cols = 7;
        float[] x = rnd.uniform(rows * cols, -3, 3);
        float[] y = rnd.labels(rows, cols);
        float[] probs = run(new float[][]{x, y, unwritten(rows * cols), unwritten(rows)},
                (d, b) -> d.softmaxCrossEntropy(rows, cols, b[0], b[1], b[2], b[3]))[2];
        float[] gx = run(new float[][]{probs, y, {0.5f}, unwritten(rows * cols)},
                (d, b) -> d.softmaxCrossEntropyBackward(rows, cols, b[0], b[1], b[2], 0.25f, b[3], false))[3];
        float[] expected = new float[rows * cols];
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < cols; j++) expected[r * cols + j] = (float) ((probs[r * cols + j] - (j == (int) y[r] ? 1.0 : 0.0)) * 0.5 * 0.25);
        Tolerance.roundoffs(1, 4).check("softmaxCrossEntropyBackward vs (p - onehot) * g * scale", expected, gx);
    }

    void bceKnownValues() {
        float[] x = {0f, 0f, 100f, -100f, 100f, -100f, 20f, -3f};
        float[] t = {0f, 1f, 1f, 1f, 0f, 0f, 0.5f, 0.25f};
        int n = x.length;
        float[] loss = run(new float[][]{x, t, unwritten(n)}, (d, b) -> d.bceWithLogits(n, b[0], b[1], b[2]))[2];
        float[] expected = new float[n];
        double[] bound = new double[n];
        for (int i = 0; i < n; i++) {
            double v = x[i];
            // -t log(sigmoid(v)) - (1-t) log(1 - sigmoid(v)), written so that double does not overflow either
            expected[i] = (float) (Math.max(v, 0) - v * t[i] + Math.log1p(Math.exp(-Math.abs(v))));
            bound[i] = 16 * U * (1 + Math.abs(v));
        }
        assertEquals((float) Math.log(2), loss[0], 4 * U, "bce at logit 0 is ln 2");
        Tolerance.roundoffs(0, 8).check("bceWithLogits vs formula", expected, loss, bound);

        float[] gx = run(new float[][]{x, t, {2f}, unwritten(n)}, (d, b) -> d.bceWithLogitsBackward(n, b[0], b[1], b[2], 0.5f, b[3], false))[3];
        float[] expectedGx = new float[n];
        for (int i = 0; i < n; i++) expectedGx[i] = (float) ((1 / (1 + Math.exp(-x[i])) - t[i]) * 2 * 0.5);
        Tolerance.roundoffs(16, 8).check("bceWithLogitsBackward vs (sigmoid(x) - t) * g * scale", expectedGx, gx);
    }

    void sgdByHand() {
        float[] p = {1f, -2f, 0.5f};
        float[] g = {0.5f, 0.25f, -1f};
        Tolerance tol = Tolerance.roundoffs(0, 16);
        // plain: p - lr*g
        float[] plain = run(new float[][]{p, g}, (d, b) -> d.sgdStep(3, b[0], b[1], null, 0.1f, 0f, 0f, false))[0];
        tol.check("sgd plain", new float[]{0.95f, -2.025f, 0.6f}, plain);
        // momentum 0.9, weight decay 0.01, two steps from zero velocity:
        // d1 = g + 0.01p = (0.51, 0.23, -0.995), v1 = d1, p1 = p - 0.1 v1 = (0.949, -2.023, 0.5995)
        // d2 = g + 0.01p1 = (0.50949, 0.22977, -0.994005), v2 = 0.9 v1 + d2 = (0.96849, 0.43677, -1.889505)
        // p2 = p1 - 0.1 v2 = (0.852151, -2.066677, 0.7884505)
        float[][] momentum = run(new float[][]{p, g, new float[3]}, (d, b) -> {
            d.sgdStep(3, b[0], b[1], b[2], 0.1f, 0.9f, 0.01f, false);
            d.sgdStep(3, b[0], b[1], b[2], 0.1f, 0.9f, 0.01f, false);
        });
        tol.check("sgd momentum+decay, 2 steps: params", new float[]{0.852151f, -2.066677f, 0.7884505f}, momentum[0]);
        tol.check("sgd momentum+decay, 2 steps: velocity", new float[]{0.96849f, 0.43677f, -1.889505f}, momentum[2]);
        // Nesterov, one step: v1 = d1, step = d1 + 0.9 v1 = 1.9 d1 = (0.969, 0.437, -1.8905), p1 = p - 0.1 step
        float[] nesterov = run(new float[][]{p, g, new float[3]}, (d, b) -> d.sgdStep(3, b[0], b[1], b[2], 0.1f, 0.9f, 0.01f, true))[0];
        tol.check("sgd nesterov+decay, 1 step", new float[]{0.9031f, -2.0437f, 0.68905f}, nesterov);
    }

    void adamKnownSteps() {
        int n = 1031;
        SeededArrays rnd = new SeededArrays(11);
        float[] p = rnd.uniform(n, -1, 1);
        float[] g = rnd.awayFromZero(n, 1e-3, 10);
        float lr = 1e-3f, beta1 = 0.9f, beta2 = 0.999f;
        float bc1 = 1 - beta1, bc2 = 1 - beta2;
        // first step: m/bc1 = g and sqrt(v/bc2) = |g|, so every parameter moves by lr*sign(g), less lr*eps/|g| <= 1e-5 lr
        float[][] first = run(new float[][]{p, g, new float[n], new float[n]},
                (d, b) -> d.adamStep(n, b[0], b[1], b[2], b[3], lr, beta1, beta2, 1e-8f, 0f, false, bc1, bc2));
        float[] expected = new float[n];
        float[] expectedM = new float[n];
        float[] expectedV = new float[n];
        double[] bound = new double[n];
        for (int i = 0; i < n; i++) {
            expected[i] = (float) (p[i] - lr * Math.signum((double) g[i]));
            // the kernel's 1 - beta is float arithmetic: 1 - 0.999f is 0.000999987..., not 0.001
            expectedM[i] = (float) ((1 - (double) beta1) * g[i]);
            expectedV[i] = (float) ((1 - (double) beta2) * g[i] * g[i]);
            bound[i] = 2 * U * Math.abs(p[i]) + lr * (1e-5 + 32 * U);
        }
        Tolerance.exact().check("adam first step moves each parameter by lr*sign(grad)", expected, first[0], bound);
        Tolerance.roundoffs(0, 4).check("adam first step: m = (1-beta1) g", expectedM, first[2]);
        Tolerance.roundoffs(0, 8).check("adam first step: v = (1-beta2) g^2", expectedV, first[3]);

        // zero gradient with weight decay 0.1: AdamW only shrinks p by (1 - lr*wd); coupled Adam sees g = wd*p
        // and, on its first step, moves p by lr*sign(p) (|p| >= 0.01 keeps eps/|g| <= 1e-5 again)
        float wd = 0.1f;
        p = rnd.awayFromZero(n, 0.01, 1);
        float[] zero = new float[n];
        float[] adamW = run(new float[][]{p, zero, new float[n], new float[n]},
                (d, b) -> d.adamStep(n, b[0], b[1], b[2], b[3], lr, beta1, beta2, 1e-8f, wd, true, bc1, bc2))[0];
        float[] coupled = run(new float[][]{p, zero, new float[n], new float[n]},
                (d, b) -> d.adamStep(n, b[0], b[1], b[2], b[3], lr, beta1, beta2, 1e-8f, wd, false, bc1, bc2))[0];
        float[] shrunk = new float[n];
        float[] signStep = new float[n];
        double[] signBound = new double[n];
        for (int i = 0; i < n; i++) {
            shrunk[i] = (float) (p[i] * (1 - (double) lr * wd));
            signStep[i] = (float) (p[i] - lr * Math.signum((double) p[i]));
            signBound[i] = 2 * U * Math.abs(p[i]) + lr * (1e-5 + 32 * U);
        }
        Tolerance.roundoffs(0, 4).check("AdamW with zero grad multiplies p by 1 - lr*wd", shrunk, adamW);
        Tolerance.exact().check("Adam (L2) with zero grad moves p by lr*sign(p)", signStep, coupled, signBound);
    }
}
