package dev.jgrad.cpu;

import dev.jgrad.spi.UnaryOp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * SGEMM against a double-precision triple loop, for every transpose combination at shapes chosen to hit
 * every edge: empty and unit dimensions, primes, sizes just under and over the micro-tile (5 rows x 2 vectors),
 * k across several KC blocks, m beyond one MC block and n beyond one NC block.
 *
 * <p>Tolerance: any summation order of k products in float32 (with or without FMA) satisfies
 * |computed - exact| <= gamma_k * sum_p |a_ip b_pj|, gamma_k = k*u/(1-k*u), u = 2^-24 (Higham, Accuracy
 * and Stability of Numerical Algorithms, 3.1); adding an initial C (accumulate) or a bias and rounding
 * the result cost two more units. So each element is checked against (k+2)*u*(sum_p |a_ip b_pj| + |c0_ij|),
 * a bound that always holds for a correct kernel, yet is far smaller than any single product for the
 * k used here, so a dropped, doubled or misplaced term fails.
 */
class SgemmTest {
    private static final double U = Math.ulp(1f) / 2;
    private static final float GUARD = 12345.678f;

    private static Parallel single;
    private static Parallel team;

    @BeforeAll
    static void open() {
        single = new Parallel(1);
        team = new Parallel(3);            // 3 parts: uneven splits of panels between threads
    }

    @AfterAll
    static void close() {
        single.close();
        team.close();
    }

    /** Shapes {m, n, k}: degenerate, primes, tile edges, several K blocks, more than one MC and NC block. */
    private static final int[][] SHAPES = {
            {1, 1, 1}, {1, 1, 0}, {4, 5, 0}, {0, 3, 2}, {3, 0, 2}, {1, 1, 300},
            {1, 37, 5}, {1, 300, 17}, {37, 1, 5}, {300, 1, 17}, {2, 3, 4},
            {4, 15, 3}, {5, 16, 1}, {5, 16, 256}, {6, 17, 257}, {10, 32, 13}, {11, 33, 7}, {12, 32, 512},
            {13, 17, 19}, {37, 53, 300}, {61, 67, 513}, {97, 101, 1031}, {128, 10, 256},
            {193, 31, 41}, {250, 30, 40}, {11, 2100, 64}, {128, 512, 784}, {512, 784, 128},
    };

    @Test
    void matchesDoublePrecisionForEveryTransposeAndShape() {
        Sgemm sgemm = new Sgemm(team);                 // one instance throughout: pack buffers are reused
        SplittableRandom rng = new SplittableRandom(42);
        for (int[] s : SHAPES) {
            for (int t = 0; t < 4; t++) {
                for (boolean acc : new boolean[]{false, true}) {
                    boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                    Problem p = Problem.random(rng, s[0], s[1], s[2]);
                    float[] c = p.c0.clone();
                    sgemm.gemm(ta, tb, p.m, p.n, p.k, p.stored(p.a, ta, p.m, p.k), p.stored(p.b, tb, p.k, p.n), c, acc);
                    p.check(c, acc, null, UnaryOp.IDENTITY, 0f, "transA=" + ta + " transB=" + tb + " accumulate=" + acc);
                }
            }
        }
    }

    @Test
    void fusedBiasAndActivationMatchTheReference() {
        Sgemm sgemm = new Sgemm(team);
        SplittableRandom rng = new SplittableRandom(7);
        UnaryOp[] acts = {UnaryOp.IDENTITY, UnaryOp.RELU, UnaryOp.LEAKY_RELU, UnaryOp.SIGMOID, UnaryOp.TANH, UnaryOp.GELU};
        for (int[] s : SHAPES) {
            for (UnaryOp act : acts) {
                for (boolean withBias : new boolean[]{false, true}) {
                    boolean tb = act.ordinal() % 2 == 0;
                    Problem p = Problem.random(rng, s[0], s[1], s[2]);
                    float[] bias = withBias ? p.randomVector(rng, p.n) : null;
                    float[] c = p.c0.clone();
                    float param = act == UnaryOp.LEAKY_RELU ? 0.1f : 0f;
                    sgemm.gemmBiasActivation(false, tb, p.m, p.n, p.k, p.a, p.stored(p.b, tb, p.k, p.n), bias, act, param, c);
                    p.check(c, false, bias, act, param, act + " bias=" + withBias + " transB=" + tb);
                }
            }
        }
    }

    @Test
    void multiThreadedEqualsSingleThreadedBitForBit() {
        Sgemm one = new Sgemm(single);
        Sgemm three = new Sgemm(team);
        try (Parallel two = new Parallel(2)) {
            Sgemm pair = new Sgemm(two);
            SplittableRandom rng = new SplittableRandom(3);
            int[][] shapes = {{128, 512, 784}, {512, 784, 128}, {128, 784, 512}, {97, 101, 1031}, {7, 300, 200},
                    {300, 7, 200}, {1, 1000, 300}, {1000, 1, 300}, {200, 2100, 40}};
            for (int[] s : shapes) {
                for (int t = 0; t < 4; t++) {
                    boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                    Problem p = Problem.random(rng, s[0], s[1], s[2]);
                    float[] a = p.stored(p.a, ta, p.m, p.k), b = p.stored(p.b, tb, p.k, p.n);
                    float[] bias = p.randomVector(rng, p.n);
                    for (int variant = 0; variant < 3; variant++) {
                        float[][] out = new float[3][];
                        Sgemm[] engines = {one, pair, three};
                        for (int e = 0; e < 3; e++) {
                            out[e] = p.c0.clone();
                            if (variant == 2) engines[e].gemmBiasActivation(ta, tb, p.m, p.n, p.k, a, b, bias, UnaryOp.RELU, 0f, out[e]);
                            else engines[e].gemm(ta, tb, p.m, p.n, p.k, a, b, out[e], variant == 1);
                        }
                        String what = Arrays.toString(s) + " transA=" + ta + " transB=" + tb + " variant " + variant;
                        assertBitwiseEqual(out[0], out[1], "2 threads vs 1, " + what);
                        assertBitwiseEqual(out[0], out[2], "3 threads vs 1, " + what);
                    }
                }
            }
        }
    }

    /**
     * x W^T with W stored [n, k] (where AVX-512 broadcasts W's rows and transposes C's tiles) equals the same
     * product with W^T stored [k, n] (the usual packing), bit for bit: the same multiply-adds in the same order.
     */
    @Test
    void transposedRightOperandGivesTheSameBitsEitherWay() {
        SplittableRandom rng = new SplittableRandom(9);
        int[][] shapes = {{128, 512, 784}, {128, 256, 512}, {33, 70, 200}, {7, 9, 40}, {130, 64, 300}, {64, 3, 100}};
        try (Parallel two = new Parallel(2)) {
            for (Sgemm sgemm : new Sgemm[]{new Sgemm(single), new Sgemm(two), new Sgemm(team)}) {
                for (int[] s : shapes) {
                    Problem p = Problem.random(rng, s[0], s[1], s[2]);
                    float[] bStoredTransposed = p.stored(p.b, true, p.k, p.n);
                    float[] bias = p.randomVector(rng, p.n);
                    for (int variant = 0; variant < 2; variant++) {
                        float[] usual = p.c0.clone(), transposed = p.c0.clone();
                        if (variant == 0) {
                            sgemm.gemm(false, false, p.m, p.n, p.k, p.a, p.b, usual, false);
                            sgemm.gemm(false, true, p.m, p.n, p.k, p.a, bStoredTransposed, transposed, false);
                        } else {
                            sgemm.gemmBiasActivation(false, false, p.m, p.n, p.k, p.a, p.b, bias, UnaryOp.RELU, 0f, usual);
                            sgemm.gemmBiasActivation(false, true, p.m, p.n, p.k, p.a, bStoredTransposed, bias, UnaryOp.RELU, 0f, transposed);
                        }
                        assertBitwiseEqual(usual, transposed, Arrays.toString(s) + (variant == 0 ? " plain" : " bias + relu"));
                    }
                }
            }
        }
    }

    @Test
    void repeatedCallsGiveIdenticalResults() {
        Sgemm sgemm = new Sgemm(team);
        Problem p = Problem.random(new SplittableRandom(5), 128, 512, 784);
        float[] first = p.c0.clone();
        sgemm.gemm(false, true, p.m, p.n, p.k, p.a, p.stored(p.b, true, p.k, p.n), first, false);
        Problem other = Problem.random(new SplittableRandom(6), 300, 70, 1000);     // resizes the pack buffers in between
        sgemm.gemm(true, false, other.m, other.n, other.k, other.stored(other.a, true, other.m, other.k), other.b, other.c0.clone(), false);
        float[] again = p.c0.clone();
        sgemm.gemm(false, true, p.m, p.n, p.k, p.a, p.stored(p.b, true, p.k, p.n), again, false);
        assertBitwiseEqual(first, again, "the same product twice");
    }

    /** A pre-packed A gives the same C bit for bit as packing it in the call, for every shape and layout. */
    @Test
    void prePackedAEqualsPackingInTheCall() {
        Sgemm sgemm = new Sgemm(single);
        Sgemm.PackedA packed = new Sgemm.PackedA();               // one instance throughout: repacked for each shape
        for (int[] s : SHAPES) {
            Problem p = Problem.random(new SplittableRandom(7 + s[0] * 31L + s[1] * 7L + s[2]), s[0], s[1], s[2]);
            for (boolean transA : new boolean[]{false, true}) {
                for (boolean transB : new boolean[]{false, true}) {
                    for (boolean accumulate : new boolean[]{false, true}) {
                        String what = java.util.Arrays.toString(s) + " transA " + transA + " transB " + transB + " accumulate " + accumulate;
                        float[] a = p.stored(p.a, transA, p.m, p.k), b = p.stored(p.b, transB, p.k, p.n);
                        float[] expected = p.c0.clone(), actual = p.c0.clone();
                        sgemm.gemmOnThread(0, transA, transB, p.m, p.n, p.k, a, 0, b, 0, expected, 0, accumulate);
                        Sgemm.pack(transA, p.m, p.k, a, 0, packed);
                        sgemm.gemmOnThread(0, packed, transB, p.n, b, 0, actual, 0, accumulate);
                        assertBitwiseEqual(expected, actual, what);
                    }
                }
            }
        }
    }

    private static void assertBitwiseEqual(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                fail(what + ": element " + i + " is " + actual[i] + ", expected exactly " + expected[i]);
            }
        }
    }

    /** One random product: op(A) [m,k] and op(B) [k,n] in logical row-major form, and an initial C with guards. */
    private record Problem(int m, int n, int k, float[] a, float[] b, float[] c0) {
        static Problem random(SplittableRandom rng, int m, int n, int k) {
            float[] c0 = new float[m * n + 9];
            for (int i = 0; i < c0.length; i++) c0[i] = i < m * n ? (float) rng.nextDouble(-1, 1) : GUARD;
            return new Problem(m, n, k, randomMatrix(rng, m * k), randomMatrix(rng, k * n), c0);
        }

        private static float[] randomMatrix(SplittableRandom rng, int size) {
            float[] x = new float[size];
            for (int i = 0; i < size; i++) x[i] = (float) rng.nextDouble(-1, 1);
            return x;
        }

        float[] randomVector(SplittableRandom rng, int size) {
            return randomMatrix(rng, size);
        }

        /** The layout gemm takes: the [rows, cols] matrix as is, or its transpose [cols, rows] when trans. */
        float[] stored(float[] x, boolean trans, int rows, int cols) {
            if (!trans) return x;
            float[] t = new float[x.length];
            for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) t[j * rows + i] = x[i * cols + j];
            return t;
        }

        void check(float[] c, boolean accumulate, float[] bias, UnaryOp act, float param, String what) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double exact = 0, magnitude = 0;
                    for (int p = 0; p < k; p++) {
                        double prod = (double) a[i * k + p] * b[p * n + j];
                        exact += prod;
                        magnitude += Math.abs(prod);
                    }
                    double start = accumulate ? c0[i * n + j] : bias != null ? bias[j] : 0;
                    exact += start;
                    magnitude += Math.abs(start);
                    double bound = (k + 2) * U * magnitude;
                    double expected = exact, tolerance = bound;
                    if (act != UnaryOp.IDENTITY) {
                        // the activation of the float result: within its own float rounding plus the GEMM error
                        // times the slope (every activation here has |f'| <= 1.13)
                        expected = CpuDevice.apply(act, param, (float) exact);
                        tolerance = 1.13 * (bound + Math.ulp((float) exact)) + 4 * Math.ulp((float) expected);
                    }
                    float got = c[i * n + j];
                    if (!(Math.abs(got - expected) <= tolerance + Float.MIN_NORMAL)) {
                        fail(what + " m=" + m + " n=" + n + " k=" + k + ": C[" + i + "," + j + "] = " + got
                                + ", expected " + expected + " within " + tolerance);
                    }
                }
            }
            for (int g = m * n; g < c.length; g++) {
                assertEquals(GUARD, c[g], what + " m=" + m + " n=" + n + " k=" + k + ": wrote past the end of C");
            }
        }
    }

    @Test
    void toleranceWouldCatchADroppedTerm() {
        // the check is not vacuous: leaving out one unit product of a 1031-long sum exceeds the bound
        Problem p = Problem.random(new SplittableRandom(11), 3, 4, 1031);
        p.a[p.k + 17] = 1f;
        p.b[17 * p.n + 1] = 1f;
        float[] c = p.c0.clone();
        new Sgemm(single).gemm(false, false, p.m, p.n, p.k, p.a, p.b, c, false);
        p.check(c, false, null, UnaryOp.IDENTITY, 0f, "untouched");
        c[p.n + 1] -= 1f;
        assertThrows(AssertionError.class, () -> p.check(c, false, null, UnaryOp.IDENTITY, 0f, "tampered"));
    }
}
