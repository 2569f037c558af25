package dev.jgrad.conformance;

import dev.jgrad.spi.Activations;
import dev.jgrad.spi.BinaryOp;
import dev.jgrad.spi.Broadcast;
import dev.jgrad.spi.UnaryOp;
import dev.jgrad.testing.HostMath;
import dev.jgrad.testing.KernelRun;
import dev.jgrad.testing.SeededArrays;
import dev.jgrad.testing.Tolerance;
import org.junit.jupiter.api.DynamicTest;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.jgrad.conformance.KernelTolerances.ARITHMETIC;
import static dev.jgrad.conformance.KernelTolerances.DIVISION;
import static dev.jgrad.conformance.KernelTolerances.EXACT;
import static dev.jgrad.conformance.KernelTolerances.TRANSCENDENTAL;
import static dev.jgrad.testing.SeededArrays.unwritten;
import static dev.jgrad.testing.Tolerance.U;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * Every kernel of the {@code Device} SPI on the device under test against the CPU reference, on seeded
 * random inputs, within the tolerances of {@link KernelTolerances}. Outputs that a kernel must overwrite
 * start as NaN, so a kernel that reads them (or skips an element) fails.
 */
final class ReferenceKernelChecks {
    /** GEMM shapes (m, n, k): degenerate, odd, around typical tile sizes, and the reference MLP's (784-512-256-10, batch 128). */
    static final int[][] GEMM_SHAPES = {
            {1, 1, 1}, {3, 5, 7}, {17, 33, 65}, {64, 64, 64}, {130, 257, 70},
            {128, 512, 784}, {128, 256, 512}, {128, 10, 256},   // forward: x W^T
            {128, 784, 512}, {512, 784, 128},                   // backward: dY W and dY^T X
    };

    private final DevicePair pair;

    ReferenceKernelChecks(DevicePair pair) {
        this.pair = pair;
    }

    // ---- elementwise ------------------------------------------------------------------------------

    void fillAndCopy() {
        SeededArrays rnd = new SeededArrays(1);
        float[] sentinel = rnd.uniform(1000, -1, 1);
        pair.run(new float[][]{sentinel}, (d, b) -> d.fill(b[0], 777, 3.25f)).check(0, "fill n=777 of 1000", EXACT);
        float[] src = rnd.uniform(1000, -1, 1);
        pair.run(new float[][]{src, sentinel}, (d, b) -> d.copy(b[0], b[1], 777))
                .unchanged("copy", 0).check(1, "copy n=777 of 1000", EXACT);
    }

    Stream<DynamicTest> axpby() {
        float[][] coefficients = {{0.5f, 1f}, {-1.5f, 0f}, {2f, -0.75f}, {1f, 1f}};
        List<DynamicTest> tests = new ArrayList<>();
        for (int n : new int[]{1031, 70001}) {
            for (float[] ab : coefficients) {
                String name = "axpby n=" + n + " alpha=" + ab[0] + " beta=" + ab[1];
                tests.add(dynamicTest(name, () -> {
                    SeededArrays rnd = new SeededArrays(n);
                    pair.run(new float[][]{rnd.uniform(n, -1, 1), rnd.uniform(n, -1, 1)}, (d, b) -> d.axpby(n, ab[0], b[0], ab[1], b[1]))
                            .unchanged(name, 0).check(1, name, ARITHMETIC);
                }));
            }
        }
        return tests.stream();
    }

    private static Tolerance forwardTolerance(UnaryOp op) {
        return switch (op) {
            // one correctly rounded operation or none
            case IDENTITY, RELU, LEAKY_RELU, NEG, SQUARE, ABS -> EXACT;
            default -> TRANSCENDENTAL;
        };
    }

    private static Tolerance backwardTolerance(UnaryOp op) {
        return switch (op) {
            case IDENTITY, RELU, LEAKY_RELU, NEG, SQUARE, ABS -> ARITHMETIC;
            default -> TRANSCENDENTAL;
        };
    }

    Stream<DynamicTest> unary() {
        List<DynamicTest> tests = new ArrayList<>();
        for (UnaryOp op : UnaryOp.values()) {
            float p = UnaryDefinitions.param(op);
            for (int n : new int[]{1031, 70001}) {
                String name = op + " n=" + n;
                tests.add(dynamicTest(name + " forward", () -> {
                    float[] x = UnaryDefinitions.kernelInputs(op, new SeededArrays(op.ordinal() * 31L + n), n);
                    pair.run(new float[][]{x, unwritten(n)}, (d, b) -> d.unary(op, p, n, b[0], b[1]))
                            .unchanged(name, 0).check(1, name + " forward", forwardTolerance(op));
                }));
                for (boolean acc : new boolean[]{false, true}) {
                    String bname = name + " backward" + (acc ? " accumulate" : "");
                    tests.add(dynamicTest(bname, () -> {
                        SeededArrays rnd = new SeededArrays(op.ordinal() * 37L + n);
                        float[] x = UnaryDefinitions.kernelInputs(op, rnd, n);
                        float[] y = KernelRun.on(pair.reference(), new float[][]{x, new float[n]}, (d, b) -> d.unary(op, p, n, b[0], b[1]))[1];
                        float[] gy = rnd.uniform(n, -1, 1);
                        float[] gx = acc ? rnd.uniform(n, -1, 1) : unwritten(n);
                        pair.run(new float[][]{x, y, gy, gx}, (d, b) -> d.unaryBackward(op, p, n, b[0], b[1], b[2], b[3], acc))
                                .unchanged(bname, 0, 1, 2).check(3, bname, backwardTolerance(op));
                    }));
                }
            }
        }
        return tests.stream();
    }

    /** A broadcast form for a [37, 29] output: its name, its indexing and the operand's length. */
    private record Form(String name, Broadcast bc, int length) {}

    Stream<DynamicTest> binary() {
        int rows = 37, cols = 29, n = rows * cols;
        Form full = new Form("full", Broadcast.full(n), n);
        Form row = new Form("row vector", new Broadcast(1, cols), cols);
        Form col = new Form("column vector", new Broadcast(cols, rows), rows);
        Form scalar = new Form("scalar", new Broadcast(1, 1), 1);
        Form[][] pairs = {{full, full}, {full, row}, {full, col}, {full, scalar}, {row, full}, {col, full}, {scalar, full},
                {col, row}, {row, col}};
        List<DynamicTest> tests = new ArrayList<>();
        for (BinaryOp op : BinaryOp.values()) {
            Tolerance tol = op == BinaryOp.DIV ? DIVISION : EXACT;
            for (Form[] f : pairs) {
                String name = op + " " + f[0].name() + " with " + f[1].name();
                tests.add(dynamicTest(name, () -> binaryCase(name, op, n, f[0], f[1], tol)));
            }
            // [3, 5, 7] with a [5, 1] operand: a middle axis, div 7 and mod 5
            Form whole = new Form("full", Broadcast.full(105), 105);
            Form middle = new Form("middle axis", new Broadcast(7, 5), 5);
            tests.add(dynamicTest(op + " full with middle axis", () -> binaryCase(op + " full with middle axis", op, 105, whole, middle, tol)));
            tests.add(dynamicTest(op + " middle axis with full", () -> binaryCase(op + " middle axis with full", op, 105, middle, whole, tol)));
            // the ops' backward passes write into an operand (out aliases a)
            String inPlace = op + " in place, out aliasing a";
            // large enough for the CPU's parallel path (and many GPU work-groups)
            int bigRows = 300, bigCols = 257, big = bigRows * bigCols;
            Form bigFull = new Form("full", Broadcast.full(big), big);
            Form bigRow = new Form("row vector", new Broadcast(1, bigCols), bigCols);
            Form bigCol = new Form("column vector", new Broadcast(bigCols, bigRows), bigRows);
            for (Form f : new Form[]{bigRow, bigCol}) {
                String name = op + " " + bigRows + "x" + bigCols + " full with " + f.name();
                tests.add(dynamicTest(name, () -> binaryCase(name, op, big, bigFull, f, tol)));
            }
            tests.add(dynamicTest(inPlace, () -> {
                SeededArrays rnd = new SeededArrays(op.ordinal() + 500);
                float[] a = rnd.uniform(n, -2, 2);
                float[] b = op == BinaryOp.DIV ? rnd.awayFromZero(rows, 0.5, 2) : rnd.uniform(rows, -2, 2);
                pair.run(new float[][]{a, b}, (d, x) -> d.binary(op, n, x[0], Broadcast.full(n), x[1], col.bc(), x[0]))
                        .unchanged(inPlace, 1).check(0, inPlace, tol);
            }));
        }
        return tests.stream();
    }

    private void binaryCase(String name, BinaryOp op, int n, Form fa, Form fb, Tolerance tol) {
        SeededArrays rnd = new SeededArrays(name.hashCode());
        float[] a = rnd.uniform(fa.length(), -2, 2);
        float[] b = op == BinaryOp.DIV ? rnd.awayFromZero(fb.length(), 0.5, 2) : rnd.uniform(fb.length(), -2, 2);
        pair.run(new float[][]{a, b, unwritten(n)}, (d, x) -> d.binary(op, n, x[0], fa.bc(), x[1], fb.bc(), x[2]))
                .unchanged(name, 0, 1).check(2, name, tol);
    }

    // ---- reductions -------------------------------------------------------------------------------

    static final int[][] REDUCE_SHAPES = {
            {1, 1, 1}, {1, 1000, 1}, {1, 100003, 1}, {37, 29, 1}, {1, 37, 29}, {5, 7, 11}, {3, 1, 4}, {1, 128, 512}, {128, 10, 1},
    };

    Stream<DynamicTest> reduceSumAndExpand() {
        List<DynamicTest> tests = new ArrayList<>();
        for (int[] s : REDUCE_SHAPES) {
            int outer = s[0], r = s[1], inner = s[2];
            for (float scale : new float[]{1f, 1f / r}) {
                for (boolean acc : new boolean[]{false, true}) {
                    String shape = "[" + outer + ", " + r + ", " + inner + "] scale=" + scale + (acc ? " accumulate" : "");
                    tests.add(dynamicTest("reduceSum " + shape, () -> {
                        SeededArrays rnd = new SeededArrays(outer * 1000003L + r * 1009L + inner);
                        float[] x = rnd.uniform(outer * r * inner, -1, 1);
                        float[] out0 = acc ? rnd.uniform(outer * inner, -1, 1) : unwritten(outer * inner);
                        double[] magnitude = HostMath.scale(HostMath.reduceSum(outer, r, inner, HostMath.abs(x)), Math.abs(scale));
                        if (acc) for (int i = 0; i < magnitude.length; i++) magnitude[i] += Math.abs(out0[i]);
                        pair.run(new float[][]{x, out0}, (d, b) -> d.reduceSum(outer, r, inner, b[0], b[1], scale, acc))
                                .unchanged("reduceSum", 0)
                                .check(1, "reduceSum " + shape, Tolerance.roundoffs(0, 2), KernelTolerances.sumBound(r + 2, magnitude));
                    }));
                    tests.add(dynamicTest("expand " + shape, () -> {
                        SeededArrays rnd = new SeededArrays(outer * 7919L + r * 13L + inner);
                        float[] g = rnd.uniform(outer * inner, -1, 1);
                        float[] x0 = acc ? rnd.uniform(outer * r * inner, -1, 1) : unwritten(outer * r * inner);
                        pair.run(new float[][]{g, x0}, (d, b) -> d.expand(outer, r, inner, b[0], b[1], scale, acc))
                                .unchanged("expand", 0).check(1, "expand " + shape, ARITHMETIC);
                    }));
                }
            }
        }
        return tests.stream();
    }

    // ---- matrix multiply --------------------------------------------------------------------------

    Stream<DynamicTest> gemm() {
        List<DynamicTest> tests = new ArrayList<>();
        for (int[] s : GEMM_SHAPES) {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 2) != 0, tb = (t & 1) != 0;
                for (boolean acc : new boolean[]{false, true}) {
                    String name = String.format("gemm %s%s %dx%dx%d%s", ta ? "T" : "N", tb ? "T" : "N", s[0], s[1], s[2], acc ? " accumulate" : "");
                    tests.add(dynamicTest(name, () -> gemmCase(name, ta, tb, s[0], s[1], s[2], acc)));
                }
            }
        }
        return tests.stream();
    }

    private void gemmCase(String name, boolean ta, boolean tb, int m, int n, int k, boolean acc) {
        SeededArrays rnd = new SeededArrays(name.hashCode());
        float[] a = rnd.uniform(m * k, -1, 1);
        float[] b = rnd.uniform(k * n, -1, 1);
        float[] c = acc ? rnd.uniform(m * n, -1, 1) : unwritten(m * n);
        double[] magnitude = HostMath.gemmMagnitude(ta, tb, m, n, k, a, b, c, acc);
        pair.run(new float[][]{a, b, c}, (d, x) -> d.gemm(ta, tb, m, n, k, x[0], x[1], x[2], acc))
                .unchanged(name, 0, 1)
                .check(2, name, Tolerance.roundoffs(0, 2), KernelTolerances.sumBound(k + 1, magnitude));
    }

    /** Activations' largest slope (GELU's is about 1.13): how much a GEMM error can grow through the epilogue. */
    private static final double ACTIVATION_LIPSCHITZ = 1.2;

    Stream<DynamicTest> gemmBiasActivation() {
        int[][] shapes = {{1, 1, 1}, {3, 5, 7}, {17, 33, 65}, {130, 257, 70}, {128, 512, 784}};
        List<DynamicTest> tests = new ArrayList<>();
        for (int[] s : shapes) {
            boolean big = s[0] * s[1] * s[2] > 10_000_000;
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 2) != 0, tb = (t & 1) != 0;
                if (big && !(tb && !ta)) continue;   // the big shape only in the layout layers use: x W^T
                for (boolean bias : new boolean[]{true, false}) {
                    if (big && !bias) continue;
                    String name = String.format("gemmBiasActivation %s%s %dx%dx%d %s", ta ? "T" : "N", tb ? "T" : "N",
                            s[0], s[1], s[2], bias ? "with bias" : "without bias");
                    tests.add(dynamicTest(name, () -> gemmBiasActivationCase(name, ta, tb, s[0], s[1], s[2], bias)));
                }
            }
        }
        return tests.stream();
    }

    /** One shape and layout, every activation (the host-side bounds are computed once). */
    private void gemmBiasActivationCase(String name, boolean ta, boolean tb, int m, int n, int k, boolean withBias) {
        SeededArrays rnd = new SeededArrays(name.hashCode());
        float[] a = rnd.uniform(m * k, -1, 1);
        float[] b = rnd.uniform(k * n, -1, 1);
        float[] bias = rnd.uniform(n, -1, 1);
        float[] biasRows = new float[m * n];
        for (int i = 0; i < m; i++) System.arraycopy(bias, 0, biasRows, i * n, n);
        double[] magnitude = HostMath.gemmMagnitude(ta, tb, m, n, k, a, b, biasRows, withBias);
        double[] z = HostMath.gemm(ta, tb, m, n, k, a, b, biasRows, withBias);
        double[] extra = KernelTolerances.sumBound(k + 2, magnitude);
        for (int i = 0; i < extra.length; i++) {
            // the epilogue's own error (TRANSCENDENTAL), scaled for GELU's 0.5*z*(1 + tanh) at |z| > 1
            extra[i] = ACTIVATION_LIPSCHITZ * extra[i] + TRANSCENDENTAL.atol() * Math.abs(z[i]);
        }
        for (UnaryOp act : UnaryOp.values()) {
            if (!act.isActivation()) continue;
            float p = UnaryDefinitions.param(act);
            pair.run(new float[][]{a, b, bias, unwritten(m * n)},
                            (d, x) -> d.gemmBiasActivation(ta, tb, m, n, k, x[0], x[1], withBias ? x[2] : null, act, p, x[3]))
                    .unchanged(name, 0, 1, 2)
                    .check(3, name + " " + act, TRANSCENDENTAL, extra);
        }
    }

    Stream<DynamicTest> activationBackwardBiasGrad() {
        int[][] shapes = {{1, 1}, {37, 29}, {128, 512}};
        List<DynamicTest> tests = new ArrayList<>();
        for (UnaryOp act : UnaryOp.values()) {
            float p = UnaryDefinitions.param(act);
            if (!Activations.derivativeFromOutput(act, p)) continue;
            for (int[] s : shapes) {
                for (int biasMode = 0; biasMode < 3; biasMode++) {
                    int rows = s[0], cols = s[1], mode = biasMode;
                    String name = String.format("activationBackwardBiasGrad %s %dx%d %s", act, rows, cols,
                            new String[]{"no bias", "bias", "bias accumulate"}[mode]);
                    tests.add(dynamicTest(name, () -> {
                        SeededArrays rnd = new SeededArrays(name.hashCode());
                        int total = rows * cols;
                        float[] x = UnaryDefinitions.kernelInputs(act, rnd, total);
                        float[] y = KernelRun.on(pair.reference(), new float[][]{x, new float[total]}, (d, b) -> d.unary(act, p, total, b[0], b[1]))[1];
                        float[] gy = rnd.uniform(total, -1, 1);
                        float[] gBias = mode == 1 ? unwritten(cols) : rnd.uniform(cols, -1, 1);
                        var outcome = pair.run(new float[][]{y, gy, unwritten(total), gBias},
                                (d, b) -> d.activationBackwardBiasGrad(act, p, rows, cols, b[0], b[1], b[2], mode == 0 ? null : b[3], mode == 2));
                        outcome.unchanged(name, 0, 1).check(2, name + " g", ARITHMETIC);
                        if (mode > 0) {
                            double[] magnitude = HostMath.reduceSum(1, rows, cols, HostMath.abs(outcome.reference()[2]));
                            if (mode == 2) for (int j = 0; j < cols; j++) magnitude[j] += Math.abs(gBias[j]);
                            // each g carries its own ARITHMETIC error (<= 16U relative here) into the sum
                            outcome.check(3, name + " gBias", Tolerance.roundoffs(0, 2),
                                    HostMath.scale(magnitude, 2 * HostMath.gamma(rows + 1) + 32 * U));
                        } else {
                            outcome.unchanged(name + " (gBias null)", 3);
                        }
                    }));
                }
            }
        }
        return tests.stream();
    }

    // ---- softmax and losses -----------------------------------------------------------------------

    /** rows, cols, and the range of the inputs (a shifted range checks that the max is subtracted). */
    static final double[][] SOFTMAX_CASES = {{1, 1, -5, 5}, {37, 29, -5, 5}, {128, 10, -5, 5}, {3, 1000, -5, 5}, {4, 33, 995, 1005}};

    Stream<DynamicTest> softmax() {
        List<DynamicTest> tests = new ArrayList<>();
        for (double[] c : SOFTMAX_CASES) {
            int rows = (int) c[0], cols = (int) c[1];
            double spread = c[3] - c[2];
            String shape = String.format("%dx%d in [%s, %s]", rows, cols, c[2], c[3]);
            tests.add(dynamicTest("softmax " + shape, () -> {
                float[] x = new SeededArrays(shape.hashCode()).uniform(rows * cols, c[2], c[3]);
                pair.run(new float[][]{x, unwritten(rows * cols)}, (d, b) -> d.softmax(rows, cols, b[0], b[1]))
                        .unchanged("softmax", 0).check(1, "softmax " + shape, KernelTolerances.softmax(cols, spread));
            }));
            for (boolean acc : new boolean[]{false, true}) {
                String name = "softmaxBackward " + shape + (acc ? " accumulate" : "");
                tests.add(dynamicTest(name, () -> {
                    SeededArrays rnd = new SeededArrays(name.hashCode());
                    int total = rows * cols;
                    float[] x = rnd.uniform(total, c[2], c[3]);
                    float[] y = KernelRun.on(pair.reference(), new float[][]{x, new float[total]}, (d, b) -> d.softmax(rows, cols, b[0], b[1]))[1];
                    float[] gy = rnd.uniform(total, -1, 1);
                    float[] gx = acc ? rnd.uniform(total, -1, 1) : unwritten(total);
                    // gx = y * (gy - dot): dot has a gamma(cols) error, the subtraction and products a few U
                    double[] extra = new double[total];
                    for (int r = 0; r < rows; r++) {
                        double dot = 0, dotMagnitude = 0;
                        for (int j = 0; j < cols; j++) {
                            dot += gy[r * cols + j] * y[r * cols + j];
                            dotMagnitude += Math.abs(gy[r * cols + j] * y[r * cols + j]);
                        }
                        for (int j = 0; j < cols; j++) {
                            int i = r * cols + j;
                            extra[i] = 2 * Math.abs(y[i]) * (HostMath.gamma(cols + 1) * dotMagnitude + 4 * U * (Math.abs(gy[i]) + Math.abs(dot)))
                                    + (acc ? 4 * U * Math.abs(gx[i]) : 0);
                        }
                    }
                    pair.run(new float[][]{y, gy, gx}, (d, b) -> d.softmaxBackward(rows, cols, b[0], b[1], b[2], acc))
                            .unchanged(name, 0, 1).check(2, name, Tolerance.roundoffs(0, 8), extra);
                }));
            }
        }
        return tests.stream();
    }

    Stream<DynamicTest> softmaxCrossEntropy() {
        double[][] cases = {{1, 1, -5, 5}, {128, 10, -5, 5}, {37, 29, -5, 5}, {5, 1000, -5, 5}, {16, 10, 100, 110}};
        List<DynamicTest> tests = new ArrayList<>();
        for (double[] c : cases) {
            int rows = (int) c[0], cols = (int) c[1];
            double spread = c[3] - c[2];
            double maxAbs = Math.max(Math.abs(c[2]), Math.abs(c[3]));
            String shape = String.format("%dx%d in [%s, %s]", rows, cols, c[2], c[3]);
            tests.add(dynamicTest("softmaxCrossEntropy " + shape, () -> {
                SeededArrays rnd = new SeededArrays(shape.hashCode());
                float[] logits = rnd.uniform(rows * cols, c[2], c[3]);
                float[] labels = rnd.labels(rows, cols);
                pair.run(new float[][]{logits, labels, unwritten(rows * cols), unwritten(rows)},
                                (d, b) -> d.softmaxCrossEntropy(rows, cols, b[0], b[1], b[2], b[3]))
                        .unchanged("softmaxCrossEntropy", 0, 1)
                        .check(2, "softmaxCrossEntropy probs " + shape, KernelTolerances.softmax(cols, spread))
                        .check(3, "softmaxCrossEntropy loss " + shape, KernelTolerances.crossEntropy(cols, spread, maxAbs));
            }));
            for (boolean acc : new boolean[]{false, true}) {
                String name = "softmaxCrossEntropyBackward " + shape + (acc ? " accumulate" : "");
                tests.add(dynamicTest(name, () -> {
                    SeededArrays rnd = new SeededArrays(name.hashCode());
                    int total = rows * cols;
                    float[] logits = rnd.uniform(total, c[2], c[3]);
                    float[] labels = rnd.labels(rows, cols);
                    float[] probs = KernelRun.on(pair.reference(), new float[][]{logits, labels, new float[total], new float[rows]},
                            (d, b) -> d.softmaxCrossEntropy(rows, cols, b[0], b[1], b[2], b[3]))[2];
                    float scale = 1f / rows;
                    float[] gx = acc ? rnd.uniform(total, -1, 1) : unwritten(total);
                    pair.run(new float[][]{probs, labels, {0.7f}, gx},
                                    (d, b) -> d.softmaxCrossEntropyBackward(rows, cols, b[0], b[1], b[2], scale, b[3], acc))
                            .unchanged(name, 0, 1, 2)
                            // (p - onehot) * gLoss * scale: three roundings of values at most 0.7*scale, plus the accumulate
                            .check(3, name, Tolerance.roundoffs(4 + 8 * 0.7 * scale, 8));
                }));
            }
        }
        return tests.stream();
    }

    Stream<DynamicTest> bceWithLogits() {
        int n = 1031;
        List<DynamicTest> tests = new ArrayList<>();
        tests.add(dynamicTest("bceWithLogits", () -> {
            SeededArrays rnd = new SeededArrays(77);
            float[] x = rnd.uniform(n, -20, 20);
            float[] t = rnd.uniform(n, 0, 1);
            // max(x,0) - x*t + log1p(exp(-|x|)): terms up to |x|, exp and log1p within 3 ulp
            double[] extra = new double[n];
            for (int i = 0; i < n; i++) extra[i] = 32 * U * (1 + Math.abs(x[i]));
            pair.run(new float[][]{x, t, unwritten(n)}, (d, b) -> d.bceWithLogits(n, b[0], b[1], b[2]))
                    .unchanged("bceWithLogits", 0, 1).check(2, "bceWithLogits", Tolerance.roundoffs(0, 16), extra);
        }));
        for (boolean acc : new boolean[]{false, true}) {
            String name = "bceWithLogitsBackward" + (acc ? " accumulate" : "");
            tests.add(dynamicTest(name, () -> {
                SeededArrays rnd = new SeededArrays(name.hashCode());
                float[] x = rnd.uniform(n, -20, 20);
                float[] t = rnd.uniform(n, 0, 1);
                float[] gx = acc ? rnd.uniform(n, -1, 1) : unwritten(n);
                float scale = 1f / n;
                pair.run(new float[][]{x, t, {1.3f}, gx}, (d, b) -> d.bceWithLogitsBackward(n, b[0], b[1], b[2], scale, b[3], acc))
                        .unchanged(name, 0, 1, 2)
                        // (sigmoid(x) - t) * s: sigmoid within ~10U, then two roundings
                        .check(3, name, Tolerance.roundoffs(4 + 32 * 1.3 * scale, 16));
            }));
        }
        return tests.stream();
    }

    // ---- optimizers -------------------------------------------------------------------------------

    Stream<DynamicTest> sgdStep() {
        // momentum, nesterov, weight decay
        float[][] variants = {{0f, 0, 0f}, {0f, 0, 0.05f}, {0.9f, 0, 0f}, {0.9f, 1, 0f}, {0.9f, 0, 0.01f}, {0.9f, 1, 0.01f}};
        List<DynamicTest> tests = new ArrayList<>();
        for (int n : new int[]{1031, 70001}) for (float[] v : variants) {
            float momentum = v[0];
            boolean nesterov = v[1] != 0;
            float wd = v[2];
            String name = String.format("sgdStep x3 n=%d momentum=%s nesterov=%s weightDecay=%s", n, momentum, nesterov, wd);
            tests.add(dynamicTest(name, () -> {
                SeededArrays rnd = new SeededArrays(name.hashCode());
                float[] p = rnd.uniform(n, -1, 1);
                float[] g = rnd.uniform(n, -1, 1);
                float[] vel = rnd.uniform(n, -1, 1);
                var outcome = pair.run(new float[][]{p, g, vel}, (d, b) -> {
                    for (int step = 0; step < 3; step++) d.sgdStep(n, b[0], b[1], momentum == 0 ? null : b[2], 0.1f, momentum, wd, nesterov);
                });
                outcome.unchanged(name, 1).check(0, name + " param", ARITHMETIC);
                if (momentum == 0) outcome.unchanged(name + " (velocity null)", 2);
                else outcome.check(2, name + " velocity", ARITHMETIC);
            }));
        }
        return tests.stream();
    }

    Stream<DynamicTest> adamStep() {
        float[][] variants = {{0f, 0}, {0.01f, 0}, {0.01f, 1}};   // weight decay, decoupled (AdamW)
        List<DynamicTest> tests = new ArrayList<>();
        for (int n : new int[]{1031, 70001}) for (float[] v : variants) {
            float wd = v[0];
            boolean decoupled = v[1] != 0;
            String name = String.format("adamStep x3 n=%d weightDecay=%s decoupled=%s", n, wd, decoupled);
            tests.add(dynamicTest(name, () -> {
                SeededArrays rnd = new SeededArrays(name.hashCode());
                float[] p = rnd.uniform(n, -1, 1);
                float[] g = rnd.uniform(n, -1, 1);
                float beta1 = 0.9f, beta2 = 0.999f;
                var outcome = pair.run(new float[][]{p, g, new float[n], new float[n]}, (d, b) -> {
                    for (int t = 1; t <= 3; t++) {
                        float bc1 = (float) (1 - Math.pow(beta1, t));
                        float bc2 = (float) (1 - Math.pow(beta2, t));
                        d.adamStep(n, b[0], b[1], b[2], b[3], 0.01f, beta1, beta2, 1e-8f, wd, decoupled, bc1, bc2);
                    }
                });
                // the update lr*m/(sqrt(v)+eps) is <= ~0.03 here, so its sqrt and divisions (~15U relative) stay far below 16U absolute
                outcome.unchanged(name, 1).check(0, name + " param", ARITHMETIC).check(2, name + " m", ARITHMETIC).check(3, name + " v", ARITHMETIC);
            }));
        }
        return tests.stream();
    }
}
