package dev.jgrad.nn;

/** PyTorch's {@code nn.BatchNorm2d} for [batch, channels, h, w] inputs: statistics per channel over batch and space. */
public final class BatchNorm2d extends BatchNorm {
    public BatchNorm2d(int channels, float momentum, float eps) {
        super(channels, 4, momentum, eps);
    }

    public BatchNorm2d(int channels) {
        this(channels, 0.1f, 1e-5f);
    }

    @Override
    public String describe() {
        return "batchnorm2d(" + features() + ")";
    }
}
