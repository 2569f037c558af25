package dev.jgrad.conformance;

import dev.jgrad.autograd.GradMode;
import dev.jgrad.spi.Buffer;
import dev.jgrad.device.Device;
import dev.jgrad.spi.UnaryOp;
import dev.jgrad.ops.BatchNorm;
import dev.jgrad.ops.Conv;
import dev.jgrad.ops.Dropout;
import dev.jgrad.ops.Loss;
import dev.jgrad.ops.LogSoftmax;
import dev.jgrad.ops.Pool;
import dev.jgrad.ops.Reshape;
import dev.jgrad.spi.Philox;
import dev.jgrad.tensor.Scope;
import dev.jgrad.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.SplittableRandom;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The issue-7 kernels (convolution, pooling, batch norm, dropout, log-softmax, Huber, clamp, RMSprop,
 * Adagrad) on one backend: each kernel against a plain host reference written here, and each op built
 * on them against a central finite-difference gradient. A backend module runs it by subclassing and
 * implementing {@link #openDevice()}, as for the backend conformance suite.
 *
 * <p>Tolerances: kernels are float32, the references double, so values are compared to 1e-5 relative
 * (plus 1e-6 absolute); the dropout mask must match the host Philox stream exactly, which is what makes
 * masks equal across backends. Gradient checks perturb by h = 1e-2 and accept 5e-3 + 2e-2*|numeric|:
 * loose enough for float32 forward passes, yet a wrong term (a missed accumulate, a transposed index,
 * a dropped 1/m) misses by far more.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class LayerConformanceTest {
    private Device d;
    private Scope scope;

    /** Opens the device under test; closed after the last test. */
    protected abstract Device openDevice();

    @BeforeAll
    void openOnce() {
        d = openDevice();
    }

    @AfterAll
    void closeOnce() {
        if (d == null) return;      // openDevice() skipped the suite (no such device here)
        d.close();
    }

    @BeforeEach
    void openScope() {
        scope = Scope.open();
    }

    @AfterEach
    void closeScope() {
        scope.close();
    }

    // ---- kernels against host references ----------------------------------------------------------

    @Test
    void im2colMatchesReference() {
        int[][] cases = {{2, 3, 5, 6, 3, 3, 1, 1, 0, 0}, {1, 2, 7, 7, 3, 2, 2, 1, 1, 0}, {3, 1, 4, 4, 1, 1, 1, 1, 0, 0},
                {2, 2, 5, 5, 5, 5, 1, 1, 2, 2}, {1, 3, 9, 8, 4, 3, 3, 2, 1, 1}};
        for (int[] c : cases) {
            int n = c[0], ch = c[1], h = c[2], w = c[3], kh = c[4], kw = c[5], sh = c[6], sw = c[7], ph = c[8], pw = c[9];
            int oh = (h + 2 * ph - kh) / sh + 1, ow = (w + 2 * pw - kw) / sw + 1;
            float[] x = random(n * ch * h * w, 1);
            int rows = n * oh * ow, ckk = ch * kh * kw;
            float[] expected = new float[rows * ckk];
            for (int b = 0; b < n; b++)
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++)
                        for (int ci = 0; ci < ch; ci++)
                            for (int ky = 0; ky < kh; ky++)
                                for (int kx = 0; kx < kw; kx++) {
                                    int iy = oy * sh - ph + ky, ix = ox * sw - pw + kx;
                                    float v = iy >= 0 && iy < h && ix >= 0 && ix < w ? x[((b * ch + ci) * h + iy) * w + ix] : 0f;
                                    expected[((b * oh + oy) * ow + ox) * ckk + (ci * kh + ky) * kw + kx] = v;
                                }
            Buffer xb = upload(x);
            Buffer cols = d.kernels().allocate(rows * ckk);
            d.kernels().fill(cols, rows * ckk, Float.NaN);
            d.kernels().im2col(n, ch, h, w, kh, kw, sh, sw, ph, pw, xb, cols);
            assertArrayEquals(expected, download(cols, rows * ckk), 0f, "im2col case " + java.util.Arrays.toString(c));

            // col2im is im2col's adjoint: <im2col(x), g> = <x, col2im(g)>, and accumulate adds to what is there
            float[] g = random(rows * ckk, 2);
            Buffer gx = d.kernels().allocate(x.length);
            d.kernels().fill(gx, x.length, Float.NaN);
            d.kernels().col2im(n, ch, h, w, kh, kw, sh, sw, ph, pw, upload(g), gx, false);
            float[] back = download(gx, x.length);
            assertEquals(dot(expected, g), dot(x, back), 1e-4 * (1 + Math.abs(dot(expected, g))), "col2im adjoint");
            d.kernels().col2im(n, ch, h, w, kh, kw, sh, sw, ph, pw, upload(g), gx, true);
            float[] twice = download(gx, x.length);
            for (int i = 0; i < x.length; i++) assertEquals(2 * back[i], twice[i], 1e-5 * (1 + Math.abs(back[i])));
        }
    }

    /**
     * The device's own convolution kernels, where it has them, against direct loops in double: forward with
     * bias and a fused activation, and every gradient of the backward pass with and without accumulate.
     * Cases cover padding, strides, a 1x1 kernel, rectangular kernels and batches that are not a multiple
     * of any chunk size a kernel might use.
     */
    @Test
    void conv2dKernelsMatchReference() {
        if (!d.kernels().hasConv2d()) return;
        int[][] cases = {{3, 2, 7, 6, 4, 3, 3, 1, 1, 0, 0}, {2, 3, 8, 7, 5, 3, 2, 2, 1, 1, 0}, {11, 4, 3, 3, 2, 1, 1, 1, 1, 0, 0},
                {9, 1, 10, 9, 6, 3, 3, 1, 1, 1, 1}, {1, 2, 9, 8, 3, 4, 3, 3, 2, 1, 1}, {17, 3, 6, 5, 7, 3, 3, 1, 1, 0, 0},
                // the reference CNN's second convolution (rows of 13), rows of 16 and 17 (one vector, just over) with kh != kw
                {5, 4, 13, 13, 6, 3, 3, 1, 1, 0, 0}, {2, 3, 5, 16, 4, 2, 3, 1, 1, 0, 0}, {2, 3, 5, 17, 4, 2, 3, 1, 1, 0, 0}};
        for (int[] cs : cases) {
            dev.jgrad.spi.ConvGeometry g = new dev.jgrad.spi.ConvGeometry(cs[0], cs[1], cs[2], cs[3], cs[4], cs[5], cs[6],
                    cs[7], cs[8], cs[9], cs[10]);
            int n = g.n(), c = g.c(), h = g.h(), w = g.w(), f = g.f(), kh = g.kh(), kw = g.kw(), oh = g.oh(), ow = g.ow();
            String what = "conv2d " + g;
            float[] x = random(n * c * h * w, 40), wt = random(f * c * kh * kw, 41), b = random(f, 42), gy = random(n * f * oh * ow, 43);
            double[] ref = new double[n * f * oh * ow];
            double[] gx = new double[x.length], gw = new double[wt.length], gb = new double[f];
            // sums of |term|: float32 sums of many terms with cancellation are only as good as eps times this
            double[] gxAbs = new double[x.length], gwAbs = new double[wt.length], gbAbs = new double[f];
            for (int bi = 0; bi < n; bi++)
                for (int fi = 0; fi < f; fi++)
                    for (int oy = 0; oy < oh; oy++)
                        for (int ox = 0; ox < ow; ox++) {
                            int yi = ((bi * f + fi) * oh + oy) * ow + ox;
                            double sum = b[fi];
                            gb[fi] += gy[yi];
                            gbAbs[fi] += Math.abs(gy[yi]);
                            for (int ci = 0; ci < c; ci++)
                                for (int ky = 0; ky < kh; ky++)
                                    for (int kx = 0; kx < kw; kx++) {
                                        int iy = oy * g.strideH() - g.padH() + ky, ix = ox * g.strideW() - g.padW() + kx;
                                        if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                                        int xi = ((bi * c + ci) * h + iy) * w + ix, wi = ((fi * c + ci) * kh + ky) * kw + kx;
                                        sum += x[xi] * wt[wi];
                                        gx[xi] += gy[yi] * wt[wi];
                                        gw[wi] += gy[yi] * x[xi];
                                        gxAbs[xi] += Math.abs(gy[yi] * wt[wi]);
                                        gwAbs[wi] += Math.abs(gy[yi] * x[xi]);
                                    }
                            ref[yi] = sum;
                        }
            float[] expected = new float[ref.length], relu = new float[ref.length];
            for (int i = 0; i < ref.length; i++) {
                expected[i] = (float) ref[i];
                relu[i] = (float) Math.max(ref[i], 0);
            }
            Buffer xb = upload(x), wb = upload(wt), bb = upload(b), gyb = upload(gy);
            Buffer y = d.kernels().allocate(ref.length);
            d.kernels().conv2d(g, xb, wb, bb, UnaryOp.IDENTITY, 0f, y);
            assertClose(expected, download(y, ref.length), what + " forward");
            d.kernels().conv2d(g, xb, wb, bb, UnaryOp.RELU, 0f, y);
            assertClose(relu, download(y, ref.length), what + " forward with ReLU");
            float[] noBias = new float[ref.length];
            for (int i = 0; i < ref.length; i++) noBias[i] = (float) (ref[i] - b[(i / (oh * ow)) % f]);
            d.kernels().conv2d(g, xb, wb, null, UnaryOp.IDENTITY, 0f, y);
            assertClose(noBias, download(y, ref.length), what + " forward without bias");

            Buffer gxb = d.kernels().allocate(x.length), gwb = d.kernels().allocate(wt.length), gbb = d.kernels().allocate(f);
            d.kernels().fill(gxb, x.length, Float.NaN);
            d.kernels().fill(gwb, wt.length, Float.NaN);
            d.kernels().fill(gbb, f, Float.NaN);
            d.kernels().conv2dBackward(g, xb, wb, gyb, gxb, false, gwb, false, gbb, false);
            assertSum(gx, gxAbs, 1, download(gxb, x.length), what + " input gradient");
            assertSum(gw, gwAbs, 1, download(gwb, wt.length), what + " weight gradient");
            assertSum(gb, gbAbs, 1, download(gbb, f), what + " bias gradient");
            d.kernels().conv2dBackward(g, xb, wb, gyb, gxb, true, gwb, true, gbb, true);
            assertSum(gx, gxAbs, 2, download(gxb, x.length), what + " input gradient, accumulated");
            assertSum(gw, gwAbs, 2, download(gwb, wt.length), what + " weight gradient, accumulated");
            assertSum(gb, gbAbs, 2, download(gbb, f), what + " bias gradient, accumulated");
            d.kernels().conv2dBackward(g, xb, wb, gyb, null, false, gwb, false, null, false);
            assertSum(gw, gwAbs, 1, download(gwb, wt.length), what + " weight gradient alone");
            d.kernels().conv2dBackward(g, xb, wb, gyb, gxb, false, null, false, null, false);
            assertSum(gx, gxAbs, 1, download(gxb, x.length), what + " input gradient alone");
        }
    }

    /** actual[i] = scale * expected[i] within 1e-5 * scale * absSum[i] + 1e-6 (the float32 summation bound, with room). */
    private static void assertSum(double[] expected, double[] absSum, double scale, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            double tol = 1e-5 * scale * absSum[i] + 1e-6;
            if (!(Math.abs(actual[i] - scale * expected[i]) <= tol)) {
                fail(what + "[" + i + "]: expected " + scale * expected[i] + ", got " + actual[i] + " (tolerance " + tol + ")");
            }
        }
    }

    @Test
    void batchTransposeMatchesReference() {
        int batch = 3, rows = 37, cols = 45;
        float[] x = random(batch * rows * cols, 3);
        Buffer y = d.kernels().allocate(x.length);
        d.kernels().batchTranspose(batch, rows, cols, upload(x), y);
        float[] got = download(y, x.length);
        for (int b = 0; b < batch; b++)
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < cols; j++)
                    assertEquals(x[(b * rows + i) * cols + j], got[(b * cols + j) * rows + i]);
    }

    @Test
    void maxPoolMatchesReference() {
        // those ending in 1: values from {0, 0.5, 1} (ties everywhere, as after a ReLU) and a few NaNs, which win;
        // rows of 26 and 35 give 2 x 2 windows both a vectorized part (8 windows at a time, of one output row or
        // of two) and a tail; odd and even output row counts; planes enough to be split among threads
        int[][] cases = {{6, 8, 8, 2, 2, 0, 0}, {4, 7, 9, 3, 2, 1, 0}, {2, 5, 5, 3, 1, 1, 0}, {3, 4, 4, 4, 4, 0, 0},
                {5, 8, 7, 2, 2, 0, 1}, {3, 7, 7, 3, 2, 1, 1}, {3, 6, 26, 2, 2, 0, 0}, {3, 6, 26, 2, 2, 0, 1},
                {2, 5, 35, 2, 2, 0, 1}, {64, 26, 26, 2, 2, 0, 1}, {40, 28, 32, 2, 2, 0, 1}, {3, 9, 16, 2, 2, 0, 1}};
        for (int[] c : cases) {
            int planes = c[0], h = c[1], w = c[2], k = c[3], s = c[4], p = c[5];
            int oh = (h + 2 * p - k) / s + 1, ow = (w + 2 * p - k) / s + 1;
            float[] x = random(planes * h * w, 4);
            if (c[6] == 1) {
                for (int i = 0; i < x.length; i++) x[i] = Math.round(Math.max(0f, x[i]) * 2) / 2f;
                for (int i = 3; i < x.length; i += 17) x[i] = Float.NaN;
            }
            float[] ey = new float[planes * oh * ow];
            float[] ei = new float[ey.length];
            for (int pl = 0; pl < planes; pl++)
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++) {
                        float best = Float.NEGATIVE_INFINITY;
                        int at = -1;
                        for (int ky = 0; ky < k; ky++)
                            for (int kx = 0; kx < k; kx++) {
                                int iy = oy * s - p + ky, ix = ox * s - p + kx;
                                if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                                float v = x[pl * h * w + iy * w + ix];
                                if (at < 0 || v > best || (Float.isNaN(v) && !Float.isNaN(best))) {
                                    best = v;
                                    at = iy * w + ix;
                                }
                            }
                        ey[(pl * oh + oy) * ow + ox] = best;
                        ei[(pl * oh + oy) * ow + ox] = at;
                    }
            Buffer y = d.kernels().allocate(ey.length), idx = d.kernels().allocate(ey.length);
            d.kernels().maxPool2d(planes, h, w, k, s, p, upload(x), y, idx);
            assertArrayEquals(ey, download(y, ey.length), 0f, "maxPool2d " + java.util.Arrays.toString(c));
            assertArrayEquals(ei, download(idx, ey.length), 0f, "maxPool2d indices " + java.util.Arrays.toString(c));

            float[] gy = random(ey.length, 5);
            float[] egx = new float[x.length];
            for (int pl = 0; pl < planes; pl++)
                for (int o = 0; o < oh * ow; o++) egx[pl * h * w + (int) ei[pl * oh * ow + o]] += gy[pl * oh * ow + o];
            Buffer gx = d.kernels().allocate(x.length);
            d.kernels().fill(gx, x.length, Float.NaN);
            d.kernels().maxPool2dBackward(planes, h, w, k, s, p, upload(gy), idx, gx, false);
            assertClose(egx, download(gx, x.length), "maxPool2dBackward");
        }
    }

    @Test
    void avgPoolMatchesReference() {
        int[][] cases = {{6, 8, 8, 2, 2, 0}, {4, 7, 9, 3, 2, 1}, {2, 5, 5, 3, 1, 1}};
        for (int[] c : cases) {
            int planes = c[0], h = c[1], w = c[2], k = c[3], s = c[4], p = c[5];
            int oh = (h + 2 * p - k) / s + 1, ow = (w + 2 * p - k) / s + 1;
            float[] x = random(planes * h * w, 6);
            float[] gy = random(planes * oh * ow, 7);
            float[] ey = new float[planes * oh * ow];
            float[] egx = new float[x.length];
            for (int pl = 0; pl < planes; pl++)
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++) {
                        double sum = 0;
                        int o = (pl * oh + oy) * ow + ox;
                        for (int ky = 0; ky < k; ky++)
                            for (int kx = 0; kx < k; kx++) {
                                int iy = oy * s - p + ky, ix = ox * s - p + kx;
                                if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                                sum += x[pl * h * w + iy * w + ix];
                                egx[pl * h * w + iy * w + ix] += gy[o] / (k * k);
                            }
                        ey[o] = (float) (sum / (k * k));
                    }
            Buffer y = d.kernels().allocate(ey.length);
            d.kernels().avgPool2d(planes, h, w, k, s, p, upload(x), y);
            assertClose(ey, download(y, ey.length), "avgPool2d");
            Buffer gx = d.kernels().allocate(x.length);
            d.kernels().fill(gx, x.length, Float.NaN);
            d.kernels().avgPool2dBackward(planes, h, w, k, s, p, upload(gy), gx, false);
            assertClose(egx, download(gx, x.length), "avgPool2dBackward");
        }
    }

    @Test
    void batchNormKernelsMatchReference() {
        int n = 5, c = 3, inner = 7, m = n * inner;
        float eps = 1e-5f;
        float[] x = random(n * c * inner, 8);
        for (int i = 0; i < x.length; i++) x[i] = 3f + 2f * x[i];          // a mean and scale far from 0 and 1
        float[] gamma = {0.5f, -1.5f, 2f}, beta = {0.1f, 0.2f, -0.3f};
        float[] gy = random(x.length, 9);
        double[] mean = new double[c], var = new double[c];
        for (int ch = 0; ch < c; ch++) {
            for (int b = 0; b < n; b++) for (int i = 0; i < inner; i++) mean[ch] += x[(b * c + ch) * inner + i];
            mean[ch] /= m;
            for (int b = 0; b < n; b++) for (int i = 0; i < inner; i++) var[ch] += Math.pow(x[(b * c + ch) * inner + i] - mean[ch], 2);
            var[ch] /= m;
        }
        Buffer xb = upload(x), meanB = d.kernels().allocate(c), varB = d.kernels().allocate(c);
        d.kernels().batchNormStats(n, c, inner, xb, meanB, varB);
        assertClose(toFloat(mean), download(meanB, c), "batch mean");
        assertClose(toFloat(var), download(varB, c), "batch variance");

        float[] ey = new float[x.length], egx = new float[x.length], egGamma = new float[c], egBeta = new float[c];
        float[] egxRunning = new float[x.length];
        for (int ch = 0; ch < c; ch++) {
            double inv = 1 / Math.sqrt(var[ch] + eps), sg = 0, sgx = 0;
            for (int b = 0; b < n; b++)
                for (int i = 0; i < inner; i++) {
                    int j = (b * c + ch) * inner + i;
                    double xhat = (x[j] - mean[ch]) * inv;
                    ey[j] = (float) (xhat * gamma[ch] + beta[ch]);
                    sg += gy[j];
                    sgx += gy[j] * xhat;
                }
            egGamma[ch] = (float) sgx;
            egBeta[ch] = (float) sg;
            for (int b = 0; b < n; b++)
                for (int i = 0; i < inner; i++) {
                    int j = (b * c + ch) * inner + i;
                    double xhat = (x[j] - mean[ch]) * inv;
                    egx[j] = (float) (gamma[ch] * inv * (gy[j] - sg / m - xhat * sgx / m));
                    egxRunning[j] = (float) (gamma[ch] * inv * gy[j]);
                }
        }
        Buffer y = d.kernels().allocate(x.length);
        d.kernels().batchNormForward(n, c, inner, xb, meanB, varB, eps, upload(gamma), upload(beta), y);
        assertClose(ey, download(y, x.length), "batchNormForward");

        Buffer gx = d.kernels().allocate(x.length), gg = d.kernels().allocate(c), gb = d.kernels().allocate(c);
        d.kernels().fill(gx, x.length, Float.NaN);
        d.kernels().fill(gg, c, Float.NaN);
        d.kernels().fill(gb, c, Float.NaN);
        d.kernels().batchNormBackward(n, c, inner, xb, meanB, varB, eps, upload(gamma), upload(gy), true, gx, false, gg, gb, false);
        assertClose(egx, download(gx, x.length), "batchNormBackward gx");
        assertClose(egGamma, download(gg, c), "batchNormBackward gGamma");
        assertClose(egBeta, download(gb, c), "batchNormBackward gBeta");
        // accumulate adds; with fixed statistics gx is gamma*invStd*gy
        d.kernels().batchNormBackward(n, c, inner, xb, meanB, varB, eps, upload(gamma), upload(gy), false, gx, true, gg, gb, true);
        float[] sum = new float[x.length];
        for (int i = 0; i < x.length; i++) sum[i] = egx[i] + egxRunning[i];
        assertClose(sum, download(gx, x.length), "batchNormBackward accumulate, running statistics");
        float[] twiceGamma = new float[c];
        for (int i = 0; i < c; i++) twiceGamma[i] = 2 * egGamma[i];
        assertClose(twiceGamma, download(gg, c), "batchNormBackward gGamma accumulate");
    }

    @Test
    void dropoutMaskIsThePhiloxStreamBitForBit() {
        int n = 100_003;
        float p = 0.3f;
        long seed = 0x1234_5678_9abc_def0L;
        for (long offset : new long[]{0, 1, 7, 1L << 33}) {
            float[] x = random(n, 10);
            Buffer mask = d.kernels().allocate(n), y = d.kernels().allocate(n);
            d.kernels().dropout(n, seed, offset, p, upload(x), mask, y);
            float[] m = download(mask, n), got = download(y, n);
            float keep = 1f / (1f - p);
            int kept = 0;
            for (int i = 0; i < n; i++) {
                float expected = Philox.uniform(seed, offset + i) >= p ? keep : 0f;
                if (m[i] != expected) fail("mask element " + i + " at offset " + offset + ": " + m[i] + ", Philox says " + expected);
                assertEquals(x[i] * expected, got[i], 0f);
                if (m[i] != 0f) kept++;
            }
            assertEquals(1 - p, (double) kept / n, 0.01, "fraction kept");
        }
        assertArrayEquals(Dropout.mask(d, 64, 0.5f, 99, 0), Dropout.mask(d, 64, 0.5f, 99, 0), "same seed, same mask");
        float[] other = Dropout.mask(d, 64, 0.5f, 100, 0);
        assertTrue(!java.util.Arrays.equals(Dropout.mask(d, 64, 0.5f, 99, 0), other), "another seed, another mask");
    }

    @Test
    void logSoftmaxMatchesReference() {
        int rows = 4, cols = 7;
        float[] x = random(rows * cols, 11);
        x[3] = 80f;      // exp would overflow without the max shift
        x[10] = -90f;
        float[] gy = random(x.length, 12);
        float[] ey = new float[x.length], egx = new float[x.length];
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0, gsum = 0;
            for (int j = 0; j < cols; j++) max = Math.max(max, x[r * cols + j]);
            for (int j = 0; j < cols; j++) sum += Math.exp(x[r * cols + j] - max);
            for (int j = 0; j < cols; j++) {
                ey[r * cols + j] = (float) (x[r * cols + j] - max - Math.log(sum));
                gsum += gy[r * cols + j];
            }
            for (int j = 0; j < cols; j++) egx[r * cols + j] = (float) (gy[r * cols + j] - Math.exp(ey[r * cols + j]) * gsum);
        }
        Buffer y = d.kernels().allocate(x.length), gx = d.kernels().allocate(x.length);
        d.kernels().logSoftmax(rows, cols, upload(x), y);
        assertClose(ey, download(y, x.length), "logSoftmax");
        d.kernels().logSoftmaxBackward(rows, cols, y, upload(gy), gx, false);
        assertClose(egx, download(gx, x.length), "logSoftmaxBackward");
    }

    @Test
    void huberAndClampMatchReference() {
        int n = 50;
        float delta = 0.7f;
        float[] x = random(n, 13), t = random(n, 14);
        for (int i = 0; i < n; i++) x[i] *= 2;
        float[] loss = new float[n], grad = new float[n], clamped = new float[n];
        float gLoss = 1.5f, scale = 0.25f;
        for (int i = 0; i < n; i++) {
            float diff = x[i] - t[i];
            loss[i] = Math.abs(diff) <= delta ? 0.5f * diff * diff : delta * (Math.abs(diff) - 0.5f * delta);
            grad[i] = Math.max(-delta, Math.min(delta, diff)) * gLoss * scale;
            clamped[i] = Math.max(-0.5f, Math.min(0.5f, x[i]));
        }
        Buffer lb = d.kernels().allocate(n), gx = d.kernels().allocate(n), gl = upload(new float[]{gLoss});
        d.kernels().huberLoss(n, delta, upload(x), upload(t), lb);
        assertClose(loss, download(lb, n), "huberLoss");
        d.kernels().huberLossBackward(n, delta, upload(x), upload(t), gl, scale, gx, false);
        assertClose(grad, download(gx, n), "huberLossBackward");
        Buffer xb = upload(x);
        d.kernels().clamp(n, -0.5f, 0.5f, xb, xb);
        assertArrayEquals(clamped, download(xb, n), 0f, "clamp in place");
    }

    @Test
    void rmspropAndAdagradMatchPyTorchFormulas() {
        int n = 33;
        float lr = 0.01f, alpha = 0.9f, eps = 1e-8f, wd = 0.01f, mom = 0.5f;
        float[] p = random(n, 15);
        float[] pr = p.clone(), sq = new float[n], buf = new float[n];
        float[] pa = p.clone(), acc = new float[n];
        Buffer pb = upload(p), sqb = upload(new float[n]), bufb = upload(new float[n]);
        Buffer pab = upload(p), accb = upload(new float[n]);
        for (int step = 0; step < 3; step++) {
            float[] g = random(n, 16 + step);
            for (int i = 0; i < n; i++) {
                float gi = g[i] + wd * pr[i];
                sq[i] = alpha * sq[i] + (1 - alpha) * gi * gi;
                buf[i] = mom * buf[i] + gi / ((float) Math.sqrt(sq[i]) + eps);
                pr[i] -= lr * buf[i];
                float ga = g[i] + wd * pa[i];
                acc[i] += ga * ga;
                pa[i] -= lr * ga / ((float) Math.sqrt(acc[i]) + 1e-10f);
            }
            Buffer gb = upload(g);
            d.kernels().rmspropStep(n, pb, gb, sqb, bufb, lr, alpha, eps, wd, mom);
            d.kernels().adagradStep(n, pab, gb, accb, lr, 1e-10f, wd);
        }
        assertClose(pr, download(pb, n), "rmspropStep");
        assertClose(pa, download(pab, n), "adagradStep");
    }

    // ---- ops against finite differences -----------------------------------------------------------

    @Test
    void conv2dGradients() {
        gradCheck("conv2d 3x3", in -> Conv.conv2d(in[0], in[1], in[2], 1, 0),
                new int[][]{{2, 3, 6, 5}, {4, 3, 3, 3}, {4}});
        gradCheck("conv2d stride 2 padding 1", in -> Conv.conv2d(in[0], in[1], in[2], 2, 1),
                new int[][]{{2, 2, 7, 6}, {3, 2, 3, 3}, {3}});
        gradCheck("conv2d 1x1 without bias", in -> Conv.conv2d(in[0], in[1], null, 1, 0),
                new int[][]{{3, 4, 3, 3}, {2, 4, 1, 1}});
        gradCheck("conv2d with fused tanh", in -> Conv.conv2d(in[0], in[1], in[2], 1, 1, UnaryOp.TANH, 0f),
                new int[][]{{2, 2, 4, 4}, {3, 2, 3, 3}, {3}});
        gradCheck("conv2d with fused leaky ReLU", in -> Conv.conv2d(in[0], in[1], in[2], 1, 0, UnaryOp.LEAKY_RELU, 0.1f),
                new int[][]{{2, 2, 5, 4}, {3, 2, 3, 3}, {3}});
    }

    @Test
    void conv2dForwardMatchesDirectConvolution() {
        int n = 2, c = 3, h = 6, w = 7, f = 4, k = 3, s = 2, p = 1;
        float[] x = random(n * c * h * w, 20), wt = random(f * c * k * k, 21), b = random(f, 22);
        int oh = (h + 2 * p - k) / s + 1, ow = (w + 2 * p - k) / s + 1;
        float[] expected = new float[n * f * oh * ow];
        for (int bi = 0; bi < n; bi++)
            for (int fi = 0; fi < f; fi++)
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++) {
                        double sum = b[fi];
                        for (int ci = 0; ci < c; ci++)
                            for (int ky = 0; ky < k; ky++)
                                for (int kx = 0; kx < k; kx++) {
                                    int iy = oy * s - p + ky, ix = ox * s - p + kx;
                                    if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                                    sum += x[((bi * c + ci) * h + iy) * w + ix] * wt[((fi * c + ci) * k + ky) * k + kx];
                                }
                        expected[((bi * f + fi) * oh + oy) * ow + ox] = (float) sum;
                    }
        Tensor y = Conv.conv2d(Tensor.of(d, x, n, c, h, w), Tensor.of(d, wt, f, c, k, k), Tensor.of(d, b, f), s, p);
        assertArrayEquals(new int[]{n, f, oh, ow}, y.shape());
        assertClose(expected, y.toArray(), "conv2d forward");
    }

    @Test
    void poolingGradients() {
        gradCheck("max pool 2x2", in -> Pool.maxPool2d(in[0], 2, 2, 0), new int[][]{{2, 3, 6, 6}});
        gradCheck("max pool 3x3 stride 2 padding 1 (overlapping)", in -> Pool.maxPool2d(in[0], 3, 2, 1), new int[][]{{2, 2, 7, 5}});
        gradCheck("avg pool 2x2", in -> Pool.avgPool2d(in[0], 2, 2, 0), new int[][]{{2, 3, 6, 6}});
        gradCheck("avg pool 3x3 stride 1 padding 1", in -> Pool.avgPool2d(in[0], 3, 1, 1), new int[][]{{1, 2, 5, 4}});
    }

    /**
     * {@link dev.jgrad.nn.Sequential} runs a ReLU followed by max pooling as pooling first: the output and the
     * input's gradient must equal those of the layers in their written order exactly (as numbers: a zero
     * gradient may come out as 0 where the written order gives -0), including windows whose values are all
     * negative or tied at zero, and overlapping windows.
     */
    @Test
    void reluBeforeMaxPoolingMatchesTheWrittenOrderExactly() {
        SplittableRandom rnd = new SplittableRandom(11);
        int[][] geometries = {{2, 0}, {3, 1}};    // kernel 2 stride 2, kernel 3 stride 2 padding 1
        for (int[] g : geometries) {
            int k = g[0], pad = g[1];
            int[] shape = {2, 3, 7, 6};
            float[] x = new float[2 * 3 * 7 * 6];
            for (int i = 0; i < x.length; i++) {
                int kind = rnd.nextInt(4);
                x[i] = kind == 0 ? 0f : kind == 1 ? -(float) rnd.nextDouble() : (float) rnd.nextDouble(-1, 1);
            }
            dev.jgrad.nn.Sequential seq = new dev.jgrad.nn.Sequential(new dev.jgrad.nn.ReLU(), new dev.jgrad.nn.MaxPool2d(k, 2, pad));
            Tensor a = Tensor.of(d, x, shape).requiresGrad(true);
            Tensor ya = seq.forward(a);
            Tensor b = Tensor.of(d, x, shape).requiresGrad(true);
            Tensor yb = Pool.maxPool2d(b.relu(), k, 2, pad);
            assertArrayEquals(yb.toArray(), ya.toArray(), "output, kernel " + k);
            float[] r = new float[ya.size()];
            for (int i = 0; i < r.length; i++) r[i] = (float) rnd.nextDouble(-1, 1);
            ya.mul(Tensor.of(d, r, ya.shape())).sum().backward();
            yb.mul(Tensor.of(d, r, yb.shape())).sum().backward();
            float[] expected = b.gradToArray(), got = a.gradToArray();
            for (int i = 0; i < expected.length; i++) {
                if (!(expected[i] == got[i])) fail("input gradient, kernel " + k + ", [" + i + "]: " + got[i] + " instead of " + expected[i]);
            }
        }
    }

    @Test
    void batchNormGradients() {
        int c = 3;
        Tensor rm = Tensor.zeros(d, c), rv = Tensor.full(d, 1f, c);
        gradCheck("batch norm 2-D, training", in -> BatchNorm.batchNorm(in[0], in[1], in[2], rm, rv, true, 0.1f, 1e-5f),
                new int[][]{{4, c, 3, 2}, {c}, {c}});
        gradCheck("batch norm 1-D, training", in -> BatchNorm.batchNorm(in[0], in[1], in[2], rm, rv, true, 0.1f, 1e-5f),
                new int[][]{{6, c}, {c}, {c}});
        rm.copyFrom(new float[]{0.3f, -0.2f, 0.1f});
        rv.copyFrom(new float[]{0.5f, 2f, 1.2f});
        Tensor rmBefore = Tensor.of(d, rm.toArray(), c);
        gradCheck("batch norm, evaluation (running statistics)",
                in -> BatchNorm.batchNorm(in[0], in[1], in[2], rm, rv, false, 0.1f, 1e-5f), new int[][]{{4, c, 2, 2}, {c}, {c}});
        assertArrayEquals(rmBefore.toArray(), rm.toArray(), "evaluation must not move the running mean");
    }

    @Test
    void batchNormUpdatesRunningStatisticsLikePyTorch() {
        int n = 4, c = 2;
        float[] x = random(n * c, 30);
        Tensor rm = Tensor.zeros(d, c), rv = Tensor.full(d, 1f, c);
        BatchNorm.batchNorm(Tensor.of(d, x, n, c), Tensor.full(d, 1f, c), Tensor.zeros(d, c), rm, rv, true, 0.1f, 1e-5f);
        float[] em = new float[c], ev = new float[c];
        for (int ch = 0; ch < c; ch++) {
            double mu = 0, q = 0;
            for (int b = 0; b < n; b++) mu += x[b * c + ch];
            mu /= n;
            for (int b = 0; b < n; b++) q += Math.pow(x[b * c + ch] - mu, 2);
            em[ch] = (float) (0.1 * mu);
            ev[ch] = (float) (0.9 + 0.1 * q / (n - 1));       // unbiased variance in the running estimate
        }
        assertClose(em, rm.toArray(), "running mean");
        assertClose(ev, rv.toArray(), "running variance");
    }

    @Test
    void dropoutGradientIsTheMask() {
        gradCheck("dropout", in -> Dropout.dropout(in[0], 0.4f, 77, 5), new int[][]{{6, 10}});
    }

    @Test
    void reshapeAndLogSoftmaxGradients() {
        gradCheck("reshape", in -> Reshape.reshape(in[0], 3, 8).mul(in[0].mul(in[0]).sum().add(Tensor.full(d, 1f))), new int[][]{{2, 3, 4}});
        gradCheck("log-softmax", in -> LogSoftmax.logSoftmax(in[0]), new int[][]{{3, 5}});
    }

    @Test
    void oneHotCrossEntropyEqualsClassIndexCrossEntropy() {
        float[] logits = random(12, 41);
        float[] onehot = new float[12];
        int[] labels = {1, 3, 0};
        for (int r = 0; r < 3; r++) onehot[r * 4 + labels[r]] = 1f;
        float a = Loss.crossEntropy().apply(Tensor.of(d, logits, 3, 4), Tensor.of(d, onehot, 3, 4)).item();
        float b = Loss.crossEntropy().apply(Tensor.of(d, logits, 3, 4), Tensor.of(d, new float[]{1, 3, 0}, 3)).item();
        assertEquals(b, a, 1e-5f);
    }

    // ---- helpers ----------------------------------------------------------------------------------

    /**
     * Checks d(sum(f(inputs) * r))/d(input) from backward against central differences, for random
     * inputs of the given shapes and random fixed weights r. Inputs are spaced-apart values (a shuffled
     * ramp) so that no max-pool window or L1 kink is within h of a tie.
     */
    private void gradCheck(String what, Function<Tensor[], Tensor> f, int[][] shapes) {
        float h = 1e-2f;
        SplittableRandom rng = new SplittableRandom(what.hashCode());
        float[][] values = new float[shapes.length][];
        for (int i = 0; i < shapes.length; i++) values[i] = spacedValues(size(shapes[i]), rng);
        Tensor[] leaves = new Tensor[shapes.length];
        for (int i = 0; i < shapes.length; i++) leaves[i] = Tensor.of(d, values[i], shapes[i]).requiresGrad(true);
        Tensor out = f.apply(leaves);
        float[] weights = new float[out.size()];
        for (int i = 0; i < weights.length; i++) weights[i] = (float) (rng.nextDouble() * 2 - 1);
        Tensor loss = out.mul(Tensor.of(d, weights, out.shape())).sum();
        loss.backward();
        for (int i = 0; i < shapes.length; i++) {
            float[] analytic = leaves[i].gradToArray();
            if (analytic == null) fail(what + ": input " + i + " got no gradient");
            for (int j = 0; j < values[i].length; j++) {
                float saved = values[i][j];
                values[i][j] = saved + h;
                double plus = weightedOutput(f, values, shapes, weights);
                values[i][j] = saved - h;
                double minus = weightedOutput(f, values, shapes, weights);
                values[i][j] = saved;
                double numeric = (plus - minus) / (2 * h);
                if (Math.abs(analytic[j] - numeric) > 5e-3 + 2e-2 * Math.abs(numeric)) {
                    fail(what + ": d/d input" + i + "[" + j + "]: backward gives " + analytic[j] + ", finite differences " + numeric);
                }
            }
        }
    }

    private double weightedOutput(Function<Tensor[], Tensor> f, float[][] values, int[][] shapes, float[] weights) {
        try (GradMode g = GradMode.noGrad(); Scope s = Scope.open()) {
            Tensor[] in = new Tensor[shapes.length];
            for (int i = 0; i < shapes.length; i++) in[i] = Tensor.of(d, values[i], shapes[i]);
            float[] out = f.apply(in).toArray();
            double sum = 0;
            for (int i = 0; i < out.length; i++) sum += (double) out[i] * weights[i];
            return sum;
        }
    }

    private static float[] spacedValues(int n, SplittableRandom rng) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (i - n / 2f) * (2f / Math.max(n, 2)) + 0.013f;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            float t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        return v;
    }

    private static int size(int[] shape) {
        int n = 1;
        for (int s : shape) n *= s;
        return n;
    }

    private Buffer upload(float[] x) {
        Buffer b = d.kernels().allocate(x.length);
        d.kernels().write(x, 0, b, 0, x.length);
        return b;
    }

    private float[] download(Buffer b, int n) {
        float[] out = new float[n];
        d.kernels().read(b, 0, out, 0, n);
        return out;
    }

    private static float[] random(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (rng.nextDouble() * 2 - 1);
        return x;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (double) a[i] * b[i];
        return s;
    }

    private static float[] toFloat(double[] x) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) out[i] = (float) x[i];
        return out;
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(expected[i] - actual[i]) <= 1e-6 + 1e-5 * Math.abs(expected[i]))) {
                fail(what + "[" + i + "]: expected " + expected[i] + ", got " + actual[i]);
            }
        }
    }
}
