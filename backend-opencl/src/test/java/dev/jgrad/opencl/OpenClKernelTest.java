package dev.jgrad.opencl;

import dev.jgrad.spi.BinaryOp;
import dev.jgrad.spi.Broadcast;
import dev.jgrad.spi.Buffer;
import dev.jgrad.device.DeviceConfig;
import dev.jgrad.spi.DeviceKernels;
import dev.jgrad.spi.UnaryOp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every kernel of the OpenCL device against the CPU reference on the same inputs. Tolerances: elementwise
 * 1e-5 relative (OpenCL's exp/tanh/log are within a few ulp), sums of k products 2e-6*k relative to the
 * magnitude of the terms.
 */
class OpenClKernelTest {
    private static DeviceKernels cl;  // swapped by gemmIsCorrectWithOtherTilings
    private static DeviceKernels cpu;
    private final SplittableRandom rng = new SplittableRandom(42);

    @BeforeAll
    static void open() {
        cl = OpenClTestDevices.openOpenClKernels(DeviceConfig.standard());
        cpu = OpenClTestDevices.openCpuKernels();
    }

    @AfterAll
    static void close() {
        if (cl != null) cl.close();
        if (cpu != null) cpu.close();
    }

    // ---- helpers: the same host data on both devices, a kernel run on both, outputs compared ----

    /** A pair of buffers, one per device, holding the same values. */
    private record Pair(Buffer cl, Buffer cpu, int n) {}

    private final List<Pair> live = new ArrayList<>();

    private Pair pair(float[] values) {
        Buffer a = cl.allocate(values.length);
        Buffer b = cpu.allocate(values.length);
        cl.write(values, 0, a, 0, values.length);
        cpu.write(values, 0, b, 0, values.length);
        Pair p = new Pair(a, b, values.length);
        live.add(p);
        return p;
    }

    private float[] random(int n, float lo, float hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = lo + (hi - lo) * (float) rng.nextDouble();
        return v;
    }

    private Pair randomPair(int n) {
        return pair(random(n, -1f, 1f));
    }

    private static float[] read(DeviceKernels d, Buffer b, int n) {
        float[] out = new float[n];
        d.read(b, 0, out, 0, n);
        return out;
    }

    /** Runs {@code kernel} on each device, then compares {@code outputs} within |diff| <= tol * (1 + |expected|). */
    private void check(String what, float tol, BiConsumer<DeviceKernels, Boolean> kernel, Pair... outputs) {
        kernel.accept(cpu, false);
        kernel.accept(cl, true);
        for (Pair out : outputs) assertClose(what, read(cpu, out.cpu, out.n), read(cl, out.cl, out.n), tol);
        for (Pair p : live) {
            cl.free(p.cl);
        }
        live.clear();
    }

    private static Buffer on(boolean isCl, Pair p) {
        return p == null ? null : isCl ? p.cl : p.cpu;
    }

    static void assertClose(String what, float[] expected, float[] actual, float tol) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i], a = actual[i];
            if (Float.isNaN(e) && Float.isNaN(a)) continue;
            if (!(Math.abs(e - a) <= tol * (1f + Math.abs(e)))) {
                fail(what + ": element " + i + " expected " + e + " (CPU) but OpenCL gave " + a + " (tolerance " + tol + ")");
            }
        }
    }

    // ---- GEMM ---------------------------------------------------------------------------------------

    /** Shapes around and across the 64x64x16 tile: below, equal, one over, many tiles, degenerate. */
    private static final int[][] SHAPES = {
            {1, 1, 1}, {3, 5, 7}, {16, 16, 16}, {64, 64, 16}, {65, 63, 17}, {63, 65, 15}, {130, 70, 33},
            {1, 200, 50}, {200, 1, 50}, {7, 9, 300}, {128, 10, 784}, {0, 5, 5}, {5, 5, 0}};

    @Test
    void gemmEveryTransposeAndShapeMatchesCpu() {
        for (int[] s : SHAPES) {
            for (int t = 0; t < 4; t++) {
                for (boolean acc : new boolean[] {false, true}) {
                    boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                    int m = s[0], n = s[1], k = s[2];
                    Pair a = randomPair(Math.max(1, m * k));
                    Pair b = randomPair(Math.max(1, k * n));
                    Pair c = randomPair(Math.max(1, m * n));
                    check("gemm m=" + m + " n=" + n + " k=" + k + " transA=" + ta + " transB=" + tb + " acc=" + acc,
                            2e-6f * (k + 1),
                            (d, isCl) -> d.gemm(ta, tb, m, n, k, on(isCl, a), on(isCl, b), on(isCl, c), acc), c);
                }
            }
        }
    }

    /** The tile sizes are compile-time defines: the kernel must be right for other tilings too (DeviceConfig.gemmTiling). */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"32,32,16,2,2", "64,64,16,4,4", "128,128,16,8,8", "32,32,16,4,4",
            "16,32,8,2,4", "64,64,32,8,8", "8,8,4,1,1"})
    void gemmIsCorrectWithOtherTilings(String tiling) {
        DeviceKernels defaultDevice = cl;
        try {
            cl = OpenClTestDevices.openOpenClKernels(DeviceConfig.standard().withGemmTiling(tiling));
            for (int[] s : new int[][] {{65, 63, 17}, {3, 5, 7}, {40, 33, 70}, {257, 130, 40}}) {
                for (int t = 0; t < 4; t++) {
                    boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                    int m = s[0], n = s[1], k = s[2];
                    Pair a = randomPair(m * k), b = randomPair(k * n), c = randomPair(m * n), bias = randomPair(n);
                    check("gemm tiling " + tiling + " " + m + "x" + n + "x" + k + " ta=" + ta + " tb=" + tb, 2e-6f * (k + 1),
                            (d, isCl) -> d.gemmBiasActivation(ta, tb, m, n, k, on(isCl, a), on(isCl, b), on(isCl, bias), UnaryOp.RELU, 0f,
                                    on(isCl, c)), c);
                }
            }
        } finally {
            if (cl != defaultDevice) cl.close();
            cl = defaultDevice;
        }
    }

    @ParameterizedTest
    @EnumSource(value = UnaryOp.class, names = {"IDENTITY", "RELU", "LEAKY_RELU", "ELU", "GELU", "SIGMOID", "TANH"})
    void gemmBiasActivationMatchesCpu(UnaryOp act) {
        for (int[] s : new int[][] {{65, 63, 17}, {128, 10, 100}, {3, 5, 7}}) {
            for (boolean bias : new boolean[] {false, true}) {
                for (int t = 0; t < 4; t++) {
                    boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                    int m = s[0], n = s[1], k = s[2];
                    Pair a = randomPair(m * k), b = randomPair(k * n), c = randomPair(m * n);
                    Pair bv = bias ? randomPair(n) : null;
                    check("gemmBiasActivation " + act + " bias=" + bias + " " + m + "x" + n + "x" + k + " ta=" + ta + " tb=" + tb,
                            2e-6f * (k + 1),
                            (d, isCl) -> d.gemmBiasActivation(ta, tb, m, n, k, on(isCl, a), on(isCl, b), on(isCl, bv), act, 0.1f,
                                    on(isCl, c)), c);
                }
            }
        }
    }

    // ---- elementwise ----------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    void unaryForwardAndBackwardMatchCpu(UnaryOp op) {
        int n = 1000;
        boolean positive = op == UnaryOp.LOG || op == UnaryOp.SQRT;
        float[] xs = positive ? random(n, 0.05f, 4f) : random(n, -4f, 4f);
        for (boolean acc : new boolean[] {false, true}) {
            Pair x = pair(xs), y = randomPair(n);
            check(op + " forward", 1e-5f, (d, isCl) -> d.unary(op, 0.1f, n, on(isCl, x), on(isCl, y)), y);
            Pair x2 = pair(xs), y2 = randomPair(n), gy = randomPair(n), gx = randomPair(n);
            check(op + " backward acc=" + acc, 1e-5f, (d, isCl) -> {
                d.unary(op, 0.1f, n, on(isCl, x2), on(isCl, y2));
                d.unaryBackward(op, 0.1f, n, on(isCl, x2), on(isCl, y2), on(isCl, gy), on(isCl, gx), acc);
            }, gx);
        }
    }

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void binaryWithEveryBroadcastMatchesCpu(BinaryOp op) {
        int rows = 37, cols = 29, n = rows * cols;
        Broadcast full = Broadcast.full(n), row = new Broadcast(1, cols), column = new Broadcast(cols, rows), scalar = new Broadcast(1, 1);
        for (Broadcast ab : new Broadcast[] {full, row, column, scalar}) {
            for (Broadcast bb : new Broadcast[] {full, row, column, scalar}) {
                int na = ab.div() == 1 ? ab.mod() : rows, nb = bb.div() == 1 ? bb.mod() : rows;
                Pair a = randomPair(na), b = pair(random(nb, 0.5f, 2f)), out = randomPair(n);
                check(op + " " + ab + " " + bb, 1e-6f,
                        (d, isCl) -> d.binary(op, n, on(isCl, a), ab, on(isCl, b), bb, on(isCl, out)), out);
            }
        }
    }

    @Test
    void fillCopyAxpbyMatchCpu() {
        int n = 777;
        Pair x = randomPair(n), y = randomPair(n);
        check("fill", 0f, (d, isCl) -> d.fill(on(isCl, y), n - 7, 3.5f), y);
        Pair x2 = randomPair(n), y2 = randomPair(n);
        check("copy", 0f, (d, isCl) -> d.copy(on(isCl, x2), on(isCl, y2), n - 3), y2);
        for (float beta : new float[] {0f, 1f, -0.5f}) {
            Pair x3 = randomPair(n), y3 = pair(beta == 0f ? nans(n) : random(n, -1f, 1f));
            check("axpby beta=" + beta, 1e-6f, (d, isCl) -> d.axpby(n, 2f, on(isCl, x3), beta, on(isCl, y3)), y3);
        }
        assertTrue(x.n == n);
    }

    private static float[] nans(int n) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, Float.NaN);
        return v;
    }

    @Test
    void writeAndReadHonourOffsets() {
        Buffer b = cl.allocate(10);
        try {
            cl.fill(b, 10, 0f);
            cl.write(new float[] {9, 1, 2, 3, 9}, 1, b, 4, 3);
            float[] out = new float[6];
            cl.read(b, 3, out, 1, 5);
            assertEquals(List.of(0f, 0f, 1f, 2f, 3f, 0f), asList(out));
        } finally {
            cl.free(b);
        }
    }

    /** Writes are queued from staging buffers: the host array may change right after, and staging slots are reused safely. */
    @Test
    void queuedWritesKeepTheValuesOfTheMomentTheyWereMade() {
        int count = 11, n = 5000;
        Buffer[] buffers = new Buffer[count];
        float[] host = new float[n];
        try {
            for (int b = 0; b < count; b++) {
                buffers[b] = cl.allocate(n);
                java.util.Arrays.fill(host, b + 0.5f);
                cl.write(host, 0, buffers[b], 0, n);
                cl.axpby(n, 1f, buffers[b], 1f, buffers[b]); // doubles it, queued behind the write
            }
            java.util.Arrays.fill(host, -1f);
            for (int b = 0; b < count; b++) {
                float[] out = read(cl, buffers[b], n);
                for (int i = 0; i < n; i += 999) assertEquals(2 * (b + 0.5f), out[i], "buffer " + b + " element " + i);
            }
        } finally {
            for (Buffer b : buffers) if (b != null) cl.free(b);
        }
    }

    private static List<Float> asList(float[] v) {
        List<Float> l = new ArrayList<>();
        for (float f : v) l.add(f);
        return l;
    }

    // ---- reductions -----------------------------------------------------------------------------------

    @Test
    void reduceSumAndExpandMatchCpu() {
        int[][] views = {{1, 1000, 1}, {7, 300, 1}, {1, 128, 10}, {5, 33, 17}, {3, 1, 9}, {2, 0, 3}};
        for (int[] v : views) {
            int outer = v[0], r = v[1], inner = v[2];
            for (boolean acc : new boolean[] {false, true}) {
                Pair x = randomPair(Math.max(1, outer * r * inner)), out = randomPair(outer * inner);
                check("reduceSum " + outer + "x" + r + "x" + inner + " acc=" + acc, 2e-6f * (r + 1),
                        (d, isCl) -> d.reduceSum(outer, r, inner, on(isCl, x), on(isCl, out), 0.5f, acc), out);
                Pair g = randomPair(outer * inner), xs = randomPair(Math.max(1, outer * r * inner));
                check("expand " + outer + "x" + r + "x" + inner + " acc=" + acc, 1e-6f,
                        (d, isCl) -> d.expand(outer, r, inner, on(isCl, g), on(isCl, xs), 0.5f, acc), xs);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = UnaryOp.class, names = {"IDENTITY", "RELU", "LEAKY_RELU", "ELU", "SIGMOID", "TANH", "EXP"})
    void activationBackwardBiasGradMatchesCpu(UnaryOp act) {
        int rows = 70, cols = 33;
        for (boolean acc : new boolean[] {false, true}) {
            Pair y = randomPair(rows * cols), gy = randomPair(rows * cols), g = randomPair(rows * cols), gb = randomPair(cols);
            check(act + " activationBackwardBiasGrad acc=" + acc, 2e-6f * rows,
                    (d, isCl) -> d.activationBackwardBiasGrad(act, 0.1f, rows, cols, on(isCl, y), on(isCl, gy), on(isCl, g),
                            on(isCl, gb), acc), g, gb);
        }
    }

    // ---- softmax and losses ------------------------------------------------------------------------------

    @Test
    void softmaxAndItsBackwardMatchCpu() {
        for (int[] s : new int[][] {{128, 10}, {3, 1000}, {5, 1}, {2, 129}}) {
            int rows = s[0], cols = s[1];
            Pair x = pair(random(rows * cols, -30f, 30f)), y = randomPair(rows * cols);
            check("softmax " + rows + "x" + cols, 1e-5f, (d, isCl) -> d.softmax(rows, cols, on(isCl, x), on(isCl, y)), y);
            for (boolean acc : new boolean[] {false, true}) {
                Pair x2 = randomPair(rows * cols), y2 = randomPair(rows * cols), gy = randomPair(rows * cols), gx = randomPair(rows * cols);
                check("softmaxBackward acc=" + acc, 1e-5f, (d, isCl) -> {
                    d.softmax(rows, cols, on(isCl, x2), on(isCl, y2));
                    d.softmaxBackward(rows, cols, on(isCl, y2), on(isCl, gy), on(isCl, gx), acc);
                }, gx);
            }
        }
    }

    @Test
    void softmaxCrossEntropyAndItsBackwardMatchCpu() {
        for (int[] s : new int[][] {{128, 10}, {4, 300}, {1, 2}}) {
            int rows = s[0], cols = s[1];
            float[] labels = new float[rows];
            for (int r = 0; r < rows; r++) labels[r] = rng.nextInt(cols);
            // logits up to 80: exp would overflow without the max subtracted
            Pair x = pair(random(rows * cols, -80f, 80f)), lab = pair(labels), probs = randomPair(rows * cols), loss = randomPair(rows);
            Pair gLoss = pair(new float[] {0.75f}), gx = randomPair(rows * cols);
            check("softmaxCrossEntropy " + rows + "x" + cols, 1e-5f, (d, isCl) -> {
                d.softmaxCrossEntropy(rows, cols, on(isCl, x), on(isCl, lab), on(isCl, probs), on(isCl, loss));
                d.softmaxCrossEntropyBackward(rows, cols, on(isCl, probs), on(isCl, lab), on(isCl, gLoss), 1f / rows, on(isCl, gx), true);
            }, probs, loss, gx);
        }
    }

    @Test
    void bceWithLogitsAndItsBackwardMatchCpu() {
        int n = 999;
        float[] targets = new float[n];
        for (int i = 0; i < n; i++) targets[i] = rng.nextInt(2);
        for (boolean acc : new boolean[] {false, true}) {
            Pair x = pair(random(n, -100f, 100f)), t = pair(targets), loss = randomPair(n), g = pair(new float[] {2f}), gx = randomPair(n);
            check("bce acc=" + acc, 1e-5f, (d, isCl) -> {
                d.bceWithLogits(n, on(isCl, x), on(isCl, t), on(isCl, loss));
                d.bceWithLogitsBackward(n, on(isCl, x), on(isCl, t), on(isCl, g), 1f / n, on(isCl, gx), acc);
            }, loss, gx);
        }
    }

    // ---- optimizers -----------------------------------------------------------------------------------

    @Test
    void sgdStepMatchesCpu() {
        int n = 1025;
        for (float momentum : new float[] {0f, 0.9f}) {
            for (boolean nesterov : new boolean[] {false, true}) {
                if (nesterov && momentum == 0f) continue;
                Pair p = randomPair(n), g = randomPair(n), v = momentum == 0f ? null : randomPair(n);
                Pair[] outs = v == null ? new Pair[] {p} : new Pair[] {p, v};
                check("sgd momentum=" + momentum + " nesterov=" + nesterov, 1e-6f, (d, isCl) -> {
                    for (int step = 0; step < 3; step++) {
                        d.sgdStep(n, on(isCl, p), on(isCl, g), on(isCl, v), 0.1f, momentum, 0.01f, nesterov);
                    }
                }, outs);
            }
        }
    }

    @Test
    void adamStepMatchesCpu() {
        int n = 1025;
        for (boolean decoupled : new boolean[] {false, true}) {
            Pair p = randomPair(n), g = randomPair(n), m = pair(new float[n]), v = pair(new float[n]);
            check("adam decoupled=" + decoupled, 1e-5f, (d, isCl) -> {
                for (int t = 1; t <= 3; t++) {
                    float bc1 = 1f - (float) Math.pow(0.9, t), bc2 = 1f - (float) Math.pow(0.999, t);
                    d.adamStep(n, on(isCl, p), on(isCl, g), on(isCl, m), on(isCl, v), 1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f,
                            decoupled, bc1, bc2);
                }
            }, p, m, v);
        }
    }

    // ---- layers: convolution, pooling, normalisation, dropout, more losses and optimizers ----

    /** {n, c, h, w, kh, kw, strideH, strideW, padH, padW}: plain, padded, strided, rectangular, overlapping. */
    private static final int[][] CONV_GEOMETRIES = {
            {2, 3, 8, 8, 3, 3, 1, 1, 1, 1}, {1, 2, 7, 9, 3, 2, 2, 1, 0, 1}, {3, 1, 5, 5, 5, 5, 1, 1, 2, 2},
            {2, 4, 6, 6, 2, 2, 2, 2, 0, 0}, {1, 1, 1, 1, 1, 1, 1, 1, 0, 0}};

    @Test
    void im2colAndCol2imMatchCpu() {
        for (int[] g : CONV_GEOMETRIES) {
            int n = g[0], c = g[1], h = g[2], w = g[3], kh = g[4], kw = g[5], sh = g[6], sw = g[7], ph = g[8], pw = g[9];
            int oh = (h + 2 * ph - kh) / sh + 1, ow = (w + 2 * pw - kw) / sw + 1;
            int colsSize = n * oh * ow * c * kh * kw;
            Pair x = randomPair(n * c * h * w), cols = randomPair(colsSize);
            check("im2col " + java.util.Arrays.toString(g), 0f,
                    (d, isCl) -> d.im2col(n, c, h, w, kh, kw, sh, sw, ph, pw, on(isCl, x), on(isCl, cols)), cols);
            for (boolean acc : new boolean[] {false, true}) {
                Pair cs = randomPair(colsSize), xs = randomPair(n * c * h * w);
                check("col2im " + java.util.Arrays.toString(g) + " acc=" + acc, 1e-6f * kh * kw,
                        (d, isCl) -> d.col2im(n, c, h, w, kh, kw, sh, sw, ph, pw, on(isCl, cs), on(isCl, xs), acc), xs);
            }
        }
    }

    @Test
    void batchTransposeMatchesCpu() {
        for (int[] s : new int[][] {{1, 1, 1}, {3, 7, 5}, {2, 64, 33}}) {
            Pair x = randomPair(s[0] * s[1] * s[2]), y = randomPair(s[0] * s[1] * s[2]);
            check("batchTranspose " + java.util.Arrays.toString(s), 0f,
                    (d, isCl) -> d.batchTranspose(s[0], s[1], s[2], on(isCl, x), on(isCl, y)), y);
        }
    }

    /** {planes, h, w, k, stride, pad}: disjoint windows, overlapping windows, padding. */
    private static final int[][] POOLS = {{6, 8, 8, 2, 2, 0}, {3, 7, 9, 3, 2, 1}, {2, 5, 5, 3, 1, 1}, {1, 4, 6, 2, 1, 0}};

    @Test
    void maxAndAveragePoolingMatchCpu() {
        for (int[] g : POOLS) {
            int planes = g[0], h = g[1], w = g[2], k = g[3], stride = g[4], pad = g[5];
            int outs = planes * ((h + 2 * pad - k) / stride + 1) * ((w + 2 * pad - k) / stride + 1);
            String geometry = java.util.Arrays.toString(g);
            for (boolean acc : new boolean[] {false, true}) {
                Pair x = randomPair(planes * h * w), y = randomPair(outs), idx = randomPair(outs), gy = randomPair(outs),
                        gx = randomPair(planes * h * w);
                check("maxPool2d and backward " + geometry + " acc=" + acc, 1e-6f * k * k, (d, isCl) -> {
                    d.maxPool2d(planes, h, w, k, stride, pad, on(isCl, x), on(isCl, y), on(isCl, idx));
                    d.maxPool2dBackward(planes, h, w, k, stride, pad, on(isCl, gy), on(isCl, idx), on(isCl, gx), acc);
                }, y, idx, gx);
                Pair x2 = randomPair(planes * h * w), y2 = randomPair(outs), gy2 = randomPair(outs), gx2 = randomPair(planes * h * w);
                check("avgPool2d and backward " + geometry + " acc=" + acc, 1e-6f * k * k, (d, isCl) -> {
                    d.avgPool2d(planes, h, w, k, stride, pad, on(isCl, x2), on(isCl, y2));
                    d.avgPool2dBackward(planes, h, w, k, stride, pad, on(isCl, gy2), on(isCl, gx2), acc);
                }, y2, gx2);
            }
        }
    }

    @Test
    void batchNormMatchesCpu() {
        for (int[] s : new int[][] {{16, 5, 1}, {4, 3, 49}, {1, 2, 300}}) {
            int n = s[0], c = s[1], inner = s[2], size = n * c * inner;
            float tol = 1e-6f * n * inner;
            for (boolean batchStats : new boolean[] {true, false}) {
                for (boolean acc : new boolean[] {false, true}) {
                    Pair x = pair(random(size, 2f, 5f)), mean = randomPair(c), var = randomPair(c), gamma = randomPair(c),
                            beta = randomPair(c), y = randomPair(size), gy = randomPair(size), gx = randomPair(size),
                            gGamma = randomPair(c), gBeta = randomPair(c);
                    check("batchNorm " + java.util.Arrays.toString(s) + " batchStatistics=" + batchStats + " acc=" + acc, tol, (d, isCl) -> {
                        d.batchNormStats(n, c, inner, on(isCl, x), on(isCl, mean), on(isCl, var));
                        d.batchNormForward(n, c, inner, on(isCl, x), on(isCl, mean), on(isCl, var), 1e-5f, on(isCl, gamma),
                                on(isCl, beta), on(isCl, y));
                        d.batchNormBackward(n, c, inner, on(isCl, x), on(isCl, mean), on(isCl, var), 1e-5f, on(isCl, gamma),
                                on(isCl, gy), batchStats, on(isCl, gx), acc, on(isCl, gGamma), on(isCl, gBeta), acc);
                    }, mean, var, y, gx, gGamma, gBeta);
                }
            }
            // gradients that are not wanted are passed as null and left alone
            Pair x = randomPair(size), mean = randomPair(c), var = pair(random(c, 0.5f, 1f)), gamma = randomPair(c), gy = randomPair(size),
                    gGamma = randomPair(c);
            check("batchNormBackward without gx and gBeta", tol, (d, isCl) -> d.batchNormBackward(n, c, inner, on(isCl, x),
                    on(isCl, mean), on(isCl, var), 1e-5f, on(isCl, gamma), on(isCl, gy), true, null, false, on(isCl, gGamma), null,
                    false), gGamma);
        }
    }

    @Test
    void dropoutMasksAreBitIdenticalToCpu() {
        int n = 4099;
        for (long[] so : new long[][] {{42L, 0L}, {0x1234_5678_9abc_def0L, 3L}, {-1L, (1L << 32) + 5}}) {
            for (float p : new float[] {0f, 0.1f, 0.5f, 0.9f}) {
                Pair x = randomPair(n), mask = randomPair(n), y = randomPair(n);
                check("dropout seed=" + so[0] + " offset=" + so[1] + " p=" + p, 0f,
                        (d, isCl) -> d.dropout(n, so[0], so[1], p, on(isCl, x), on(isCl, mask), on(isCl, y)), mask, y);
            }
        }
    }

    @Test
    void logSoftmaxHuberAndClampMatchCpu() {
        for (int[] s : new int[][] {{128, 10}, {3, 1000}}) {
            int rows = s[0], cols = s[1];
            for (boolean acc : new boolean[] {false, true}) {
                Pair x = pair(random(rows * cols, -50f, 50f)), y = randomPair(rows * cols), gy = randomPair(rows * cols),
                        gx = randomPair(rows * cols);
                check("logSoftmax and backward " + rows + "x" + cols + " acc=" + acc, 2e-5f, (d, isCl) -> {
                    d.logSoftmax(rows, cols, on(isCl, x), on(isCl, y));
                    d.logSoftmaxBackward(rows, cols, on(isCl, y), on(isCl, gy), on(isCl, gx), acc);
                }, y, gx);
            }
        }
        int n = 1001;
        for (boolean acc : new boolean[] {false, true}) {
            Pair x = pair(random(n, -3f, 3f)), t = randomPair(n), loss = randomPair(n), g = pair(new float[] {0.5f}), gx = randomPair(n);
            check("huber acc=" + acc, 1e-6f, (d, isCl) -> {
                d.huberLoss(n, 1.5f, on(isCl, x), on(isCl, t), on(isCl, loss));
                d.huberLossBackward(n, 1.5f, on(isCl, x), on(isCl, t), on(isCl, g), 1f / n, on(isCl, gx), acc);
            }, loss, gx);
        }
        Pair x = pair(random(n, -3f, 3f)), y = randomPair(n);
        check("clamp", 0f, (d, isCl) -> d.clamp(n, -1f, 0.5f, on(isCl, x), on(isCl, y)), y);
        Pair inPlace = pair(random(n, -3f, 3f));
        check("clamp in place", 0f, (d, isCl) -> d.clamp(n, -1f, 0.5f, on(isCl, inPlace), on(isCl, inPlace)), inPlace);
    }

    @Test
    void rmspropAndAdagradMatchCpu() {
        int n = 1025;
        for (float momentum : new float[] {0f, 0.9f}) {
            Pair p = randomPair(n), g = randomPair(n), sq = pair(new float[n]), buf = momentum == 0f ? null : pair(new float[n]);
            Pair[] outs = buf == null ? new Pair[] {p, sq} : new Pair[] {p, sq, buf};
            check("rmsprop momentum=" + momentum, 1e-5f, (d, isCl) -> {
                for (int step = 0; step < 3; step++) {
                    d.rmspropStep(n, on(isCl, p), on(isCl, g), on(isCl, sq), on(isCl, buf), 1e-2f, 0.99f, 1e-8f, 0.01f, momentum);
                }
            }, outs);
        }
        Pair p = randomPair(n), g = randomPair(n), sum = pair(new float[n]);
        check("adagrad", 1e-5f, (d, isCl) -> {
            for (int step = 0; step < 3; step++) d.adagradStep(n, on(isCl, p), on(isCl, g), on(isCl, sum), 1e-2f, 1e-10f, 0.01f);
        }, p, sum);
    }
}
