package dev.jgrad.cpu;

/**
 * The reference batch-normalisation kernels (see {@link dev.jgrad.device.Device#batchNormStats}). x is
 * viewed as [n, c, inner]; per-channel sums are accumulated in double, one channel per task, so the
 * statistics do not depend on the number of threads.
 */
final class CpuBatchNormKernels {
    private static final int PARALLEL_FLOATS = 1 << 15;

    private CpuBatchNormKernels() {}

    static void stats(Parallel parallel, int n, int c, int inner, float[] x, float[] mean, float[] var) {
        int m = n * inner;
        parallel.forRange(c, 1, (long) n * c * inner >= PARALLEL_FLOATS, (from, to) -> {
            for (int ch = from; ch < to; ch++) {
                double s = 0;
                for (int b = 0; b < n; b++) {
                    int o = (b * c + ch) * inner;
                    for (int i = 0; i < inner; i++) s += x[o + i];
                }
                double mu = s / m;
                double q = 0;
                for (int b = 0; b < n; b++) {
                    int o = (b * c + ch) * inner;
                    for (int i = 0; i < inner; i++) {
                        double d = x[o + i] - mu;
                        q += d * d;
                    }
                }
                mean[ch] = (float) mu;
                var[ch] = (float) (q / m);
            }
        });
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
                for (int i = 0; i < inner; i++) y[o + i] = x[o + i] * scale + shift;
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
                double sg = 0, sgx = 0;
                for (int b = 0; b < n; b++) {
                    int o = (b * c + ch) * inner;
                    for (int i = 0; i < inner; i++) {
                        float g = gy[o + i];
                        sg += g;
                        sgx += g * ((x[o + i] - mu) * invStd);
                    }
                }
                if (gGamma != null) gGamma[ch] = (accumulateParams ? gGamma[ch] : 0f) + (float) sgx;
                if (gBeta != null) gBeta[ch] = (accumulateParams ? gBeta[ch] : 0f) + (float) sg;
                if (gx == null) continue;
                float k = gamma[ch] * invStd;
                float meanG = batchStatistics ? (float) (sg / m) : 0f;
                float meanGx = batchStatistics ? (float) (sgx / m) : 0f;
                for (int b = 0; b < n; b++) {
                    int o = (b * c + ch) * inner;
                    for (int i = 0; i < inner; i++) {
                        float xhat = (x[o + i] - mu) * invStd;
                        float g = k * (gy[o + i] - meanG - xhat * meanGx);
                        gx[o + i] = accumulateX ? gx[o + i] + g : g;
                    }
                }
            }
        });
    }
}
