package dev.jgrad.nn;

/** PyTorch's {@code nn.BatchNorm1d} for [batch, features] inputs. */
public final class BatchNorm1d extends BatchNorm {
    /**
     * Batch normalisation with every option.
     *
     * @param features the number of features (axis 1), 1 or more
     * @param momentum the weight of each batch's statistics in the running ones, in [0, 1] (PyTorch: 0.1)
     * @param eps      added to the variance before its square root, positive (PyTorch: 1e-5)
     */
    public BatchNorm1d(int features, float momentum, float eps) {
        super(features, 2, momentum, eps);
    }

    /**
     * Batch normalisation with PyTorch's defaults (momentum 0.1, eps 1e-5).
     *
     * @param features the number of features (axis 1), 1 or more
     */
    public BatchNorm1d(int features) {
        this(features, 0.1f, 1e-5f);
    }

    @Override
    public String describe() {
        return "batchnorm1d(" + features() + ")";
    }
}
