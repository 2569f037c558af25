package dev.jgrad.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The reference batch-normalisation kernels (see {@link dev.jgrad.spi.DeviceKernels#batchNormStats}). x is
 * viewed as [n, c, inner], one channel per task. Each channel's sums are taken plane by plane: within a
 * plane (inner values) in float vector lanes added in a fixed order ({@code planeSum}), and the plane totals in double, so
 * the statistics keep double's accuracy over large batches, run at vector speed, and do not depend on the
 * number of threads.
 */
final class CpuBatchNormKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int PARALLEL_FLOATS = 1 << 15;
    /** Lane i takes lane i + w (mod L): the steps of {@link #addLanes}. */
    private static final VectorShuffle<Float> ROTATE_8 = rotate(8), ROTATE_4 = rotate(4), ROTATE_2 = rotate(2), ROTATE_1 = rotate(1);

    private CpuBatchNormKernels() {}

    private static VectorShuffle<Float> rotate(int w) {
        return VectorShuffle.fromOp(S, i -> (i + w) % L);
    }

    static void stats(Parallel parallel, int n, int c, int inner, float[] x, float[] mean, float[] var) {
        int m = n * inner;
        parallel.forRange(c, 1, (long) n * c * inner >= PARALLEL_FLOATS, (from, to) -> {
            for (int ch = from; ch < to; ch++) {
                double s = 0;
                for (int b = 0; b < n; b++) {
                    int o = (b * c + ch) * inner;
                    s += planeSum(x, o, o + inner);
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

    /**
     * The sum of v's lanes as a pairwise tree (lane i plus lane i + L/2, and so on) of exact lane-wise adds.
     * Not {@code reduceLanes(ADD)}: its order may change once the JIT compiles it, and the results must not
     * depend on the JIT.
     */
    private static float addLanes(FloatVector v) {
        if (L > 8) v = v.add(v.rearrange(ROTATE_8));
        if (L > 4) v = v.add(v.rearrange(ROTATE_4));
        if (L > 2) v = v.add(v.rearrange(ROTATE_2));
        if (L > 1) v = v.add(v.rearrange(ROTATE_1));
        return v.lane(0);
    }

    /**
     * Sum of x[from, to): two vector accumulators (a plane of the reference CNN is 42 or 7 vectors, and one
     * chain of dependent adds would leave the adder idle), lanes reduced once, then the scalar tail.
     */
    private static float planeSum(float[] x, int from, int to) {
        int i = from;
        FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S);
        for (; i <= to - 2 * L; i += 2 * L) {
            a0 = a0.add(FloatVector.fromArray(S, x, i));
            a1 = a1.add(FloatVector.fromArray(S, x, i + L));
        }
        if (i <= to - L) {
            a0 = a0.add(FloatVector.fromArray(S, x, i));
            i += L;
        }
        float s = addLanes(a0.add(a1));
        for (; i < to; i++) s += x[i];
        return s;
    }

    /** Sum of (x - mu)^2 over [from, to), in the order of {@link #planeSum}. */
    private static float squaredDeviations(float[] x, int from, int to, float mu) {
        int i = from;
        FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S);
        for (; i <= to - 2 * L; i += 2 * L) {
            FloatVector d0 = FloatVector.fromArray(S, x, i).sub(mu), d1 = FloatVector.fromArray(S, x, i + L).sub(mu);
            a0 = d0.fma(d0, a0);
            a1 = d1.fma(d1, a1);
        }
        if (i <= to - L) {
            FloatVector d = FloatVector.fromArray(S, x, i).sub(mu);
            a0 = d.fma(d, a0);
            i += L;
        }
        float s = addLanes(a0.add(a1));
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
                    sg += planeSum(gy, o, o + inner);
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

    /** Sum of gy * (x - mu) over [from, to), in the order of {@link #planeSum}. */
    private static float centeredDot(float[] gy, float[] x, int from, int to, float mu) {
        int i = from;
        FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S);
        for (; i <= to - 2 * L; i += 2 * L) {
            a0 = FloatVector.fromArray(S, x, i).sub(mu).fma(FloatVector.fromArray(S, gy, i), a0);
            a1 = FloatVector.fromArray(S, x, i + L).sub(mu).fma(FloatVector.fromArray(S, gy, i + L), a1);
        }
        if (i <= to - L) {
            a0 = FloatVector.fromArray(S, x, i).sub(mu).fma(FloatVector.fromArray(S, gy, i), a0);
            i += L;
        }
        float s = addLanes(a0.add(a1));
        for (; i < to; i++) s += gy[i] * (x[i] - mu);
        return s;
    }
}
