package dev.jgrad.nn;

/** PyTorch's {@code nn.BatchNorm2d} for [batch, channels, h, w] inputs: statistics per channel over batch and space. */
public final class BatchNorm2d extends BatchNorm {
    /**
     * Batch normalisation with every option.
     *
     * @param channels the number of channels (axis 1), 1 or more
     * @param momentum the weight of each batch's statistics in the running ones, in [0, 1] (PyTorch: 0.1)
     * @param eps      added to the variance before its square root, positive (PyTorch: 1e-5)
     */
    public BatchNorm2d(int channels, float momentum, float eps) {
        super(channels, 4, momentum, eps);
    }

    /**
     * Batch normalisation with PyTorch's defaults (momentum 0.1, eps 1e-5).
     *
     * @param channels the number of channels (axis 1), 1 or more
     */
    public BatchNorm2d(int channels) {
        this(channels, 0.1f, 1e-5f);
    }

    @Override
    public String describe() {
        return "batchnorm2d(" + features() + ")";
    }
}
