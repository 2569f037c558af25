package dev.jgrad.opencl;

import dev.jgrad.backend.BinaryOp;
import dev.jgrad.backend.Broadcast;
import dev.jgrad.backend.Buffer;
import dev.jgrad.backend.Device;
import dev.jgrad.backend.UnaryOp;
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
    private static Device cl;
    private static Device cpu;
    private final SplittableRandom rng = new SplittableRandom(42);

    @BeforeAll
    static void open() {
        cl = OpenClTestDevices.openOpenCl();
        cpu = OpenClTestDevices.openCpu();
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

    private static float[] read(Device d, Buffer b, int n) {
        float[] out = new float[n];
        d.read(b, 0, out, 0, n);
        return out;
    }

    /** Runs {@code kernel} on each device, then compares {@code outputs} within |diff| <= tol * (1 + |expected|). */
    private void check(String what, float tol, BiConsumer<Device, Boolean> kernel, Pair... outputs) {
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
}
