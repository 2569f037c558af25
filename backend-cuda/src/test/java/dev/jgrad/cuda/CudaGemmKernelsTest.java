package dev.jgrad.cuda;

import dev.jgrad.device.DeviceConfig;
import dev.jgrad.device.DeviceConfig.GemmKernel;

import dev.jgrad.spi.Buffer;
import dev.jgrad.spi.UnaryOp;
import dev.jgrad.conformance.UnaryDefinitions;
import dev.jgrad.kernels.GemmLaunch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The CUDA-specific GEMM kernels on a GPU, against a float64 reference computed here; skipped, with the
 * probe's reason, where there is no GPU (as CudaConformanceTest).
 *
 * <ul>
 *   <li>TF32 (gemm_tf32.cu), forced for every product ({@code withTf32(true)}, {@code withGemmKernel(TF32)}):
 *       within the documented bound {@link Tf32#errorBound} (README, "TF32"), plus 2^-22 of |C| + |bias| for
 *       the two float32 additions of the epilogue; activations carry it with slope at most 1.2, and 4e-6
 *       relative covers their own rounding.</li>
 *   <li>The vectorized SGEMM (gemm_vec.cl), forced ({@code withGemmKernel(VECTOR)}): the float32 tolerance of
 *       OpenClVectorGemmTest, 1.2 (k + 2) 2^-23 (sum |a b| + |C| + |bias|) + 4e-6 (1 + |ref|).</li>
 * </ul>
 * Large products (n = 4096) are checked on a sample of outputs, the reference being a float64 dot product each.
 */
class CudaGemmKernelsTest {
    private static CudaDevice tf32;
    private static CudaDevice vector;
    private static CudaDevice plain;
    private final SplittableRandom rng = new SplittableRandom(11);

    private static final int[][] SHAPES = {
            {1, 1, 1}, {3, 5, 7}, {4, 4, 1}, {9, 8, 0}, {16, 16, 8}, {17, 15, 9}, {127, 132, 8}, {128, 128, 32},
            {129, 124, 33}, {131, 260, 36}, {260, 132, 20}, {64, 200, 5}, {300, 257, 100}};

    private static final UnaryOp[] ACTIVATIONS = {UnaryOp.IDENTITY, UnaryOp.RELU, UnaryOp.LEAKY_RELU, UnaryOp.ELU,
            UnaryOp.GELU, UnaryOp.SIGMOID, UnaryOp.TANH};

    @BeforeAll
    static void open() {
        plain = CudaTestDevices.openKernels(DeviceConfig.standard());
        tf32 = CudaTestDevices.openKernels(DeviceConfig.standard().withTf32(true).withGemmKernel(GemmKernel.TF32));
        vector = CudaTestDevices.openKernels(DeviceConfig.standard().withGemmKernel(GemmKernel.VECTOR));
    }

    @AfterAll
    static void close() {
        for (CudaDevice d : new CudaDevice[] {tf32, vector, plain}) if (d != null) d.close();
    }

    @Test
    void tf32OnlyOnTheDeviceThatOptedIn() {
        assertTrue(tf32.tf32Enabled());
        assertFalse(plain.tf32Enabled());
        assertFalse(vector.tf32Enabled());
        assertEquals(GemmLaunch.TF32_KERNEL, tf32.gemmLaunch(false, false, 3, 5, 7).kernel());
        for (CudaDevice d : new CudaDevice[] {plain, vector}) {
            assertNotEquals(GemmLaunch.TF32_KERNEL, d.gemmLaunch(false, false, 4096, 4096, 4096).kernel());
        }
        assertEquals(GemmLaunch.VECTOR_KERNEL, plain.gemmLaunch(false, false, 4096, 4096, 4096).kernel(),
                "the default rule on a GPU with 4096-square products");
    }

    @Test
    void tf32EveryTransposeShapeAccumulateBiasAndActivation() {
        everyCase(tf32, true);
    }

    @Test
    void vectorKernelEveryTransposeShapeAccumulateBiasAndActivation() {
        everyCase(vector, false);
    }

    @Test
    void n4096SampledAgainstFloat64() {
        for (CudaDevice d : new CudaDevice[] {tf32, vector, plain}) {
            for (int t = 0; t < 3; t++) checkCase(d, d == tf32, t == 1, t == 2, 4096, 4096, 4096, false, false, UnaryOp.IDENTITY, 2000);
        }
    }

    private void everyCase(CudaDevice d, boolean isTf32) {
        int run = 0;
        for (int[] s : SHAPES) {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                for (int variant = 0; variant < 3; variant++) {
                    UnaryOp act = variant == 2 ? ACTIVATIONS[run++ % ACTIVATIONS.length] : UnaryOp.IDENTITY;
                    checkCase(d, isTf32, ta, tb, s[0], s[1], s[2], variant == 1, variant == 2, act, Integer.MAX_VALUE);
                }
            }
        }
    }

    /** Runs one product on {@code d} and checks {@code samples} outputs (all when there are fewer). */
    private void checkCase(CudaDevice d, boolean isTf32, boolean ta, boolean tb, int m, int n, int k, boolean accumulate,
                           boolean withBias, UnaryOp act, int samples) {
        float[] a = random(m * k), b = random(k * n), c = random(m * n), bias = random(n);
        Buffer da = upload(d, a), db = upload(d, b), dc = upload(d, c), dbias = upload(d, bias);
        try {
            String kernel = d.gemmLaunch(ta, tb, m, n, k).kernel();
            if (withBias) d.gemmBiasActivation(ta, tb, m, n, k, da, db, dbias, act, 0.1f, dc);
            else d.gemm(ta, tb, m, n, k, da, db, dc, accumulate);
            float[] got = new float[m * n];
            d.read(dc, 0, got, 0, m * n);
            double maxA = maxAbs(a), maxB = maxAbs(b);
            String what = kernel + " m=" + m + " n=" + n + " k=" + k + " transA=" + ta + " transB=" + tb + " acc=" + accumulate
                    + " bias=" + withBias + " " + act;
            long outputs = (long) m * n;
            for (long s = 0; s < Math.min(samples, outputs); s++) {
                long o = samples >= outputs ? s : rng.nextLong(outputs);
                int i = (int) (o / n), j = (int) (o % n);
                double sum = 0, mag = 0, extra = 0;
                for (int p = 0; p < k; p++) {
                    double x = ta ? a[p * m + i] : a[i * k + p];
                    double y = tb ? b[j * k + p] : b[p * n + j];
                    sum += x * y;
                    mag += Math.abs(x * y);
                }
                if (accumulate) { sum += c[i * n + j]; extra += Math.abs(c[i * n + j]); }
                if (withBias) { sum += bias[j]; extra += Math.abs(bias[j]); }
                double pre = isTf32 ? Tf32.errorBound(k, maxA, maxB) + extra * 0x1p-22 : (k + 2) * 0x1p-23 * (mag + extra);
                double ref = UnaryDefinitions.value(act, 0.1, sum);
                double tol = 1.2 * pre + 4e-6 * (1 + Math.abs(ref));
                float v = got[i * n + j];
                if (!(Math.abs(v - ref) <= tol)) fail(what + ": C[" + i + "," + j + "] = " + v + ", float64 " + ref + " (tolerance " + tol + ")");
            }
        } finally {
            for (Buffer x : new Buffer[] {da, db, dc, dbias}) d.free(x);
        }
    }

    private float[] random(int n) {
        float[] v = new float[Math.max(1, n)];
        for (int i = 0; i < v.length; i++) v[i] = (float) (2 * rng.nextDouble() - 1);
        return v;
    }

    private static double maxAbs(float[] v) {
        double m = 0;
        for (float x : v) m = Math.max(m, Math.abs(x));
        return m;
    }

    private static Buffer upload(CudaDevice d, float[] values) {
        Buffer buf = d.allocate(values.length);
        d.write(values, 0, buf, 0, values.length);
        return buf;
    }
}
