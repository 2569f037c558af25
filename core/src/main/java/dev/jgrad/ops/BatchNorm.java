package dev.jgrad.ops;

import dev.jgrad.autograd.Node;
import dev.jgrad.device.Device;
import dev.jgrad.tensor.Tensor;

/**
 * Batch normalisation (Ioffe and Szegedy, 2015) with PyTorch's semantics: x is [n, c] or [n, c, h, w],
 * statistics are per channel. In training the batch mean and biased variance normalise x and the running
 * statistics move towards the batch's (the running variance with the unbiased estimate); in evaluation
 * the running statistics normalise x.
 */
public final class BatchNorm {
    private BatchNorm() {}

    /**
     * Normalises {@code x} per channel and scales and shifts it, recording the graph when gradients are on.
     *
     * @param x           the input, [n, c] or [n, c, h, w]
     * @param gamma       the per-channel scale, [c]
     * @param beta        the per-channel shift, [c]
     * @param runningMean the running mean, [c]: read in evaluation, updated in place in training
     * @param runningVar  the running variance, [c]: read in evaluation, updated in place (unbiased) in training
     * @param training    true to normalise with the batch's statistics and update the running ones; false to use
     *                    the running ones
     * @param momentum    how far the running statistics move towards the batch's in one step, in [0, 1]
     *                    (PyTorch's {@code momentum}, 0.1 by default there)
     * @param eps         added to the variance before its square root, a small positive number
     * @return the normalised tensor, the shape of {@code x}
     * @throws IllegalArgumentException if {@code x} is not of rank 2 or 4, or a per-channel tensor is not [c]
     */
    public static Tensor batchNorm(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                                   boolean training, float momentum, float eps) {
        if (x.rank() != 2 && x.rank() != 4) {
            throw new IllegalArgumentException("batchNorm: input must be [batch, channels] or [batch, channels, height, width], got "
                    + x.shapeString());
        }
        int n = x.dim(0);
        int c = x.dim(1);
        int inner = x.size() / Math.max(1, n * c);
        for (Tensor t : new Tensor[]{gamma, beta, runningMean, runningVar}) {
            if (t.rank() != 1 || t.dim(0) != c) {
                throw new IllegalArgumentException("batchNorm: per-channel tensor " + t.shapeString() + " does not match input " + x.shapeString());
            }
        }
        int m = n * inner;
        if (training && m < 2) {
            throw new IllegalArgumentException("batchNorm: training needs more than one value per channel, got input " + x.shapeString());
        }
        Device d = x.device();
        Tensor mean = Tensor.empty(d, c);
        Tensor var = Tensor.empty(d, c);
        if (training) {
            d.kernels().batchNormStats(n, c, inner, x.buffer(), mean.buffer(), var.buffer());
            d.kernels().axpby(c, momentum, mean.buffer(), 1f - momentum, runningMean.buffer());
            d.kernels().axpby(c, momentum * m / (m - 1f), var.buffer(), 1f - momentum, runningVar.buffer());
        } else {
            // copies: the running statistics may move before this graph's backward runs
            d.kernels().copy(runningMean.buffer(), mean.buffer(), c);
            d.kernels().copy(runningVar.buffer(), var.buffer(), c);
        }
        Tensor y = Tensor.result(d, x.shape(), Tensor.recording(x, gamma, beta)
                ? new Backward(x, gamma, beta, mean, var, training, eps, n, c, inner) : null);
        d.kernels().batchNormForward(n, c, inner, x.buffer(), mean.buffer(), var.buffer(), eps, gamma.buffer(), beta.buffer(), y.buffer());
        if (y.gradFn() == null) {
            mean.close();
            var.close();
        }
        return y;
    }

    private static final class Backward extends Node {
        private final Tensor mean;
        private final Tensor var;
        private final boolean batchStatistics;
        private final float eps;
        private final int n;
        private final int c;
        private final int inner;

        Backward(Tensor x, Tensor gamma, Tensor beta, Tensor mean, Tensor var, boolean batchStatistics, float eps,
                 int n, int c, int inner) {
            super(x, gamma, beta);
            this.mean = mean;
            this.var = var;
            this.batchStatistics = batchStatistics;
            this.eps = eps;
            this.n = n;
            this.c = c;
            this.inner = inner;
        }

        @Override
        public String name() {
            return "batch_norm";
        }

        @Override
        public void backward(Tensor y) {
            Tensor x = inputs()[0];
            Tensor gamma = inputs()[1];
            Tensor beta = inputs()[2];
            Device d = y.device();
            Tensor.GradSlot gx = x.gradSlot();
            Tensor.GradSlot gg = gamma.gradSlot();
            Tensor.GradSlot gb = beta.gradSlot();
            if (gg != null && gb != null && gg.accumulate() != gb.accumulate()) {
                // the kernel takes one accumulate flag for both: write them in two calls
                run(d, x, gamma, y, gx, gg, null);
                run(d, x, gamma, y, null, null, gb);
            } else {
                run(d, x, gamma, y, gx, gg, gb);
            }
        }

        private void run(Device d, Tensor x, Tensor gamma, Tensor y, Tensor.GradSlot gx, Tensor.GradSlot gg, Tensor.GradSlot gb) {
            if (gx == null && gg == null && gb == null) return;
            boolean accParams = gg != null ? gg.accumulate() : gb != null && gb.accumulate();
            d.kernels().batchNormBackward(n, c, inner, x.buffer(), mean.buffer(), var.buffer(), eps, gamma.buffer(), y.gradBuffer(),
                    batchStatistics, gx == null ? null : gx.buffer(), gx != null && gx.accumulate(),
                    gg == null ? null : gg.buffer(), gb == null ? null : gb.buffer(), accParams);
        }
    }
}
