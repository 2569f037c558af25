package dev.jgrad.cpu;

/** The reference kernels for log-softmax and the Huber loss (see {@link dev.jgrad.spi.DeviceKernels#logSoftmax}). */
final class CpuLossKernels {
    private CpuLossKernels() {}

    static void logSoftmax(int rows, int cols, float[] x, float[] y) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) max = Math.max(max, x[o + j]);
            double sum = 0;
            for (int j = 0; j < cols; j++) sum += Math.exp(x[o + j] - max);
            float lse = max + (float) Math.log(sum);
            for (int j = 0; j < cols; j++) y[o + j] = x[o + j] - lse;
        }
    }

    static void logSoftmaxBackward(int rows, int cols, float[] y, float[] gy, float[] gx, boolean accumulate) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            float sum = 0f;
            for (int j = 0; j < cols; j++) sum += gy[o + j];
            for (int j = 0; j < cols; j++) {
                float g = gy[o + j] - (float) Math.exp(y[o + j]) * sum;
                gx[o + j] = accumulate ? gx[o + j] + g : g;
            }
        }
    }

    static void huber(int n, float delta, float[] x, float[] t, float[] loss) {
        for (int i = 0; i < n; i++) {
            float d = x[i] - t[i];
            float a = Math.abs(d);
            loss[i] = a <= delta ? 0.5f * d * d : delta * (a - 0.5f * delta);
        }
    }

    static void huberBackward(int n, float delta, float[] x, float[] t, float gLoss, float scale, float[] gx, boolean accumulate) {
        float s = gLoss * scale;
        for (int i = 0; i < n; i++) {
            float d = Math.max(-delta, Math.min(delta, x[i] - t[i]));
            float g = d * s;
            gx[i] = accumulate ? gx[i] + g : g;
        }
    }
}
