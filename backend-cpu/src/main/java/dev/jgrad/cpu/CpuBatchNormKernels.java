package dev.jgrad.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The reference batch-normalisation kernels (see {@link dev.jgrad.spi.DeviceKernels#batchNormStats}). x is
 * viewed as [n, c, inner], one channel per task. Each channel's sums are taken plane by plane: within a
 * plane (inner values) in float vector lanes added in a fixed order, and the plane totals in double, so
 * the statistics keep double's accuracy over large batches, run at vector speed, and do not depend on the
 * number of threads.
 */
final class CpuBatchNormKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int PARALLEL_FLOATS = 1 << 15;

    private CpuBatchNormKernels() {}

    static void stats(Parallel parallel, int n, int c, int inner, float[] x, float[] mean, float[] var) {
        int m = n * inner;
        parallel.forRange(c, 1, (long) n * c * inner >= PARALLEL_FLOATS, (from, to) -> {
            for (int ch = from; ch < to; ch++) {
                double s = 0;
                for (int b = 0; b < n; b++) {
                    int o = (b * c + ch) * inner;
                    s += VectorKernels.sum(x, o, o + inner);
                }
                double mu = s / m;
                float muF = (float) mu;
                double q = 0;
                for (int b = 0; b < n; b++) {
                    int o = (b * c + ch) * inner;
                    q += squaredDeviations(x, o, o + inner, muF);
                }
                // q is about (x - muF)^2; the small shift from mu to muF is corrected exactly: sum (x-mu)^2 =
                // sum (x-muF)^2 - m (mu-muF)^2
                double shift = mu - muF;
                mean[ch] = muF;
                var[ch] = (float) Math.max(0, q / m - shift * shift);
            }
        });
    }

    /** Sum of (x - mu)^2 over [from, to), in the fixed order of {@link VectorKernels#sum}. */
    private static float squaredDeviations(float[] x, int from, int to, float mu) {
        int i = from;
        FloatVector acc = FloatVector.zero(S);
        for (; i <= to - L; i += L) {
            FloatVector d = FloatVector.fromArray(S, x, i).sub(mu);
            acc = d.fma(d, acc);
        }
        float s = 0f;
        for (int lane = 0; lane < L; lane++) s += acc.lane(lane);
        for (; i < to; i++) {
            float d = x[i] - mu;
            s += d * d;
        }
        return s;
    }

    static void forward(Parallel parallel, int n, int c, int inner, float[] x, float[] mean, float[] var, float eps,
                        float[] gamma, float[] beta, float[] y) {
        int planes = n * c;
        parallel.forRange(planes, 1, (long) planes * inner >= PARALLEL_FLOATS, (from, to) -> {
            for (int p = from; p < to; p++) {
                int ch = p % c;
                float invStd = (float) (1.0 / Math.sqrt(var[ch] + eps));
                float scale = gamma[ch] * invStd;
                float shift = beta[ch] - mean[ch] * scale;
                int o = p * inner;
                int i = 0;
                for (; i <= inner - L; i += L) {
                    FloatVector.fromArray(S, x, o + i).fma(scale, shift).intoArray(y, o + i);
                }
                for (; i < inner; i++) y[o + i] = Math.fma(x[o + i], scale, shift);
            }
        });
    }

    static void backward(Parallel parallel, int n, int c, int inner, float[] x, float[] mean, float[] var, float eps,
                         float[] gamma, float[] gy, boolean batchStatistics, float[] gx, boolean accumulateX,
                         float[] gGamma, float[] gBeta, boolean accumulateParams) {
        int m = n * inner;
        parallel.forRange(c, 1, (long) n * c * inner >= PARALLEL_FLOATS, (from, to) -> {
            for (int ch = from; ch < to; ch++) {
                float mu = mean[ch];
                float invStd = (float) (1.0 / Math.sqrt(var[ch] + eps));
                double sg = 0, sgxc = 0;
                for (int b = 0; b < n; b++) {
                    int o = (b * c + ch) * inner;
                    sg += VectorKernels.sum(gy, o, o + inner);
                    sgxc += centeredDot(gy, x, o, o + inner, mu);
                }
                double sgx = sgxc * invStd;
                if (gGamma != null) gGamma[ch] = (accumulateParams ? gGamma[ch] : 0f) + (float) sgx;
                if (gBeta != null) gBeta[ch] = (accumulateParams ? gBeta[ch] : 0f) + (float) sg;
                if (gx == null) continue;
                // gx = k*(gy - meanG - xhat*meanGx) = k*gy + (x - mu)*a + bias, as two FMAs (x - mu first:
                // folding mu into the constant would cancel badly when |mean| is large against the spread)
                float k = gamma[ch] * invStd;
                float meanG = batchStatistics ? (float) (sg / m) : 0f;
                float meanGx = batchStatistics ? (float) (sgx / m) : 0f;
                float a = -k * invStd * meanGx;
                float bias = -k * meanG;
                FloatVector kv = FloatVector.broadcast(S, k);
                for (int b = 0; b < n; b++) {
                    int o = (b * c + ch) * inner;
                    int i = 0;
                    for (; i <= inner - L; i += L) {
                        FloatVector g = FloatVector.fromArray(S, gy, o + i).fma(kv, FloatVector.fromArray(S, x, o + i).sub(mu).fma(a, bias));
                        if (accumulateX) g = g.add(FloatVector.fromArray(S, gx, o + i));
                        g.intoArray(gx, o + i);
                    }
                    for (; i < inner; i++) {
                        float g = Math.fma(gy[o + i], k, Math.fma(x[o + i] - mu, a, bias));
                        gx[o + i] = accumulateX ? gx[o + i] + g : g;
                    }
                }
            }
        });
    }

    /** Sum of gy * (x - mu) over [from, to), in the fixed order of {@link VectorKernels#sum}. */
    private static float centeredDot(float[] gy, float[] x, int from, int to, float mu) {
        int i = from;
        FloatVector acc = FloatVector.zero(S);
        for (; i <= to - L; i += L) {
            acc = FloatVector.fromArray(S, x, i).sub(mu).fma(FloatVector.fromArray(S, gy, i), acc);
        }
        float s = 0f;
        for (int lane = 0; lane < L; lane++) s += acc.lane(lane);
        for (; i < to; i++) s += gy[i] * (x[i] - mu);
        return s;
    }
}
