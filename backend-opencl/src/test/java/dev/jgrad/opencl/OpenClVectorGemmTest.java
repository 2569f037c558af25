package dev.jgrad.opencl;

import dev.jgrad.device.DeviceConfig;
import dev.jgrad.device.DeviceConfig.GemmKernel;

import dev.jgrad.spi.Buffer;
import dev.jgrad.spi.UnaryOp;
import dev.jgrad.conformance.UnaryDefinitions;
import dev.jgrad.kernels.GemmLaunch;
import dev.jgrad.kernels.KernelDevice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The vectorized SGEMM (gemm_vec.cl) on PoCL, forced with {@code GemmKernel.VECTOR}, against a float64
 * reference computed here from the same inputs: every transpose, shapes off the 128x128x8 block and off
 * the 4-float vector, k = 0 and 1, accumulate, bias and every fusable activation. Shapes the vector kernel
 * cannot take must fall back to gemm.cl and be right too.
 *
 * <p>Tolerance, per output: {@code |got - ref| <= 1.2 * (k + 2) * 2^-23 * S + 4e-6 * (1 + |ref|)}, where
 * S = sum_i |a_i b_i| + |C_old| + |bias| is the magnitude of the terms summed. Any float32 evaluation order of
 * a sum of k rounded products plus two more terms has error at most about (k + 2) * 2^-24 * S (the classic
 * bound gamma_{k+2} * S); the factor 2 in 2^-23 is margin. 1.2 bounds the slope of every activation (GELU's
 * is at most 1.13), carrying the pre-activation error through; the 4e-6 relative term covers the few ulps of
 * OpenCL's exp/tanh/expm1 in the activations.
 */
class OpenClVectorGemmTest {
    private static KernelDevice vec;     // GemmKernel.VECTOR
    private static KernelDevice auto;    // the default rule
    private final SplittableRandom rng = new SplittableRandom(7);

    @BeforeAll
    static void open() {
        auto = OpenClTestDevices.openOpenClKernels(DeviceConfig.standard());
        vec = OpenClTestDevices.openOpenClKernels(DeviceConfig.standard().withGemmKernel(GemmKernel.VECTOR));
    }

    @AfterAll
    static void close() {
        if (vec != null) vec.close();
        if (auto != null) auto.close();
    }

    /** m, n, k: inside one block, across blocks, off the multiples of 4 and of 8 where a transpose allows. */
    private static final int[][] SHAPES = {
            {1, 4, 4}, {3, 8, 4}, {4, 4, 1}, {8, 12, 1}, {5, 4, 1}, {9, 8, 0}, {7, 5, 8}, {6, 10, 12},
            {127, 132, 8}, {128, 128, 16}, {129, 124, 12}, {131, 260, 36}, {260, 132, 20}, {33, 4, 100}, {4, 36, 44},
            {64, 200, 5}, {257, 136, 28}};

    private static final UnaryOp[] ACTIVATIONS = {UnaryOp.IDENTITY, UnaryOp.RELU, UnaryOp.LEAKY_RELU, UnaryOp.ELU,
            UnaryOp.GELU, UnaryOp.SIGMOID, UnaryOp.TANH};

    @Test
    void everyTransposeAndEdgeShapeMatchesTheFloat64Reference() {
        int run = 0, vectorRuns = 0;
        for (int[] s : SHAPES) {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                int m = s[0], n = s[1], k = s[2];
                String kernel = vec.gemmLaunch(ta, tb, m, n, k).kernel();
                boolean vectorizable = GemmLaunch.vectorizable(ta, tb, m, n, k);
                if (vectorizable) {
                    assertEquals(GemmLaunch.VECTOR_KERNEL, kernel, "forced vector mode, " + m + "x" + n + "x" + k);
                    vectorRuns++;
                } else {
                    assertNotEquals(GemmLaunch.VECTOR_KERNEL, kernel, "not whole vectors: " + m + "x" + n + "x" + k);
                }
                for (int variant = 0; variant < 3; variant++) {
                    UnaryOp act = variant == 2 ? ACTIVATIONS[run++ % ACTIVATIONS.length] : UnaryOp.IDENTITY;
                    checkOne(ta, tb, m, n, k, variant == 1, variant == 2, act, kernel);
                }
            }
        }
        // each shape list entry is vectorizable for at least one transpose: the vector kernel really ran
        assertEquals(true, vectorRuns >= SHAPES.length, "vector kernel runs: " + vectorRuns);
    }

    /** Every activation with a bias, on a shape spanning several blocks in both directions. */
    @Test
    void everyActivationWithBiasOnSeveralBlocks() {
        for (UnaryOp act : ACTIVATIONS) {
            for (int t = 0; t < 3; t++) {
                boolean ta = t == 1, tb = t == 2;
                checkOne(ta, tb, 260, 136, 24, false, true, act, GemmLaunch.VECTOR_KERNEL);
            }
        }
    }

    /** A CPU OpenCL runtime offers only gemm.cl's 64x64 tiling, so the default rule never picks the vector kernel there. */
    @Test
    void theDefaultRuleKeepsCpuRuntimesOnGemmCl() {
        assertNotEquals(GemmLaunch.VECTOR_KERNEL, auto.gemmLaunch(false, false, 4096, 4096, 4096).kernel());
        assertNotEquals(GemmLaunch.TF32_KERNEL, auto.gemmLaunch(false, false, 4096, 4096, 4096).kernel());
    }

    private void checkOne(boolean ta, boolean tb, int m, int n, int k, boolean accumulate, boolean withBias, UnaryOp act,
                          String kernel) {
        float[] a = random(m * k), b = random(k * n), c = random(m * n), bias = random(n);
        Buffer da = upload(a), db = upload(b), dc = upload(c), dbias = upload(bias);
        try {
            if (withBias) vec.gemmBiasActivation(ta, tb, m, n, k, da, db, dbias, act, 0.1f, dc);
            else vec.gemm(ta, tb, m, n, k, da, db, dc, accumulate);
            float[] got = new float[m * n];
            vec.read(dc, 0, got, 0, m * n);
            String what = kernel + " m=" + m + " n=" + n + " k=" + k + " transA=" + ta + " transB=" + tb + " acc=" + accumulate
                    + " bias=" + withBias + " " + act;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0, mag = 0;
                    for (int p = 0; p < k; p++) {
                        double x = ta ? a[p * m + i] : a[i * k + p];
                        double y = tb ? b[j * k + p] : b[p * n + j];
                        sum += x * y;
                        mag += Math.abs(x * y);
                    }
                    if (accumulate) { sum += c[i * n + j]; mag += Math.abs(c[i * n + j]); }
                    if (withBias) { sum += bias[j]; mag += Math.abs(bias[j]); }
                    double ref = UnaryDefinitions.value(act, 0.1, sum);
                    double tol = 1.2 * (k + 2) * Math.scalb(1.0, -23) * mag + 4e-6 * (1 + Math.abs(ref));
                    float v = got[i * n + j];
                    if (!(Math.abs(v - ref) <= tol)) {
                        fail(what + ": C[" + i + "," + j + "] = " + v + ", float64 reference " + ref + " (tolerance " + tol + ")");
                    }
                }
            }
        } finally {
            for (Buffer x : new Buffer[] {da, db, dc, dbias}) vec.free(x);
        }
    }

    private float[] random(int n) {
        float[] v = new float[Math.max(1, n)];
        for (int i = 0; i < v.length; i++) v[i] = (float) (2 * rng.nextDouble() - 1);
        return v;
    }

    private static Buffer upload(float[] values) {
        Buffer buf = vec.allocate(values.length);
        vec.write(values, 0, buf, 0, values.length);
        return buf;
    }
}
