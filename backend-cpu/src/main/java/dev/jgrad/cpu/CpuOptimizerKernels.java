package dev.jgrad.cpu;

/** The reference kernels for RMSprop, Adagrad and clipping by value (see {@link dev.jgrad.spi.DeviceKernels#rmspropStep}). */
final class CpuOptimizerKernels {
    private static final int PARALLEL_ELEMENTS = 1 << 16;

    private CpuOptimizerKernels() {}

    static void rmsprop(Parallel parallel, int n, float[] p, float[] g, float[] sq, float[] buf, float lr, float alpha,
                        float eps, float weightDecay, float momentum) {
        parallel.forRange(n, 1024, n >= PARALLEL_ELEMENTS, (from, to) -> {
            for (int i = from; i < to; i++) {
                float gi = g[i] + weightDecay * p[i];
                float s = alpha * sq[i] + (1f - alpha) * gi * gi;
                sq[i] = s;
                float d = gi / ((float) Math.sqrt(s) + eps);
                if (buf != null) {
                    d = momentum * buf[i] + d;
                    buf[i] = d;
                }
                p[i] -= lr * d;
            }
        });
    }

    static void adagrad(Parallel parallel, int n, float[] p, float[] g, float[] sum, float lr, float eps, float weightDecay) {
        parallel.forRange(n, 1024, n >= PARALLEL_ELEMENTS, (from, to) -> {
            for (int i = from; i < to; i++) {
                float gi = g[i] + weightDecay * p[i];
                float s = sum[i] + gi * gi;
                sum[i] = s;
                p[i] -= lr * gi / ((float) Math.sqrt(s) + eps);
            }
        });
    }

    static void clamp(Parallel parallel, int n, float lo, float hi, float[] x, float[] y) {
        parallel.forRange(n, 1024, n >= PARALLEL_ELEMENTS, (from, to) -> {
            for (int i = from; i < to; i++) y[i] = Math.max(lo, Math.min(hi, x[i]));
        });
    }
}
