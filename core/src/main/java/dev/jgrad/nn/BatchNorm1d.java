package dev.jgrad.nn;

/** PyTorch's {@code nn.BatchNorm1d} for [batch, features] inputs. */
public final class BatchNorm1d extends BatchNorm {
    public BatchNorm1d(int features, float momentum, float eps) {
        super(features, 2, momentum, eps);
    }

    public BatchNorm1d(int features) {
        this(features, 0.1f, 1e-5f);
    }

    @Override
    public String describe() {
        return "batchnorm1d(" + features() + ")";
    }
}
