package dev.jgrad.nn;

import dev.jgrad.tensor.Tensor;

/**
 * Batch normalisation over the channel axis (axis 1) with PyTorch's names and defaults: learnable
 * {@code weight} (gamma, starts at 1) and {@code bias} (beta, starts at 0), persistent buffers
 * {@code running_mean} (starts at 0) and {@code running_var} (starts at 1), momentum 0.1, eps 1e-5.
 * Training uses batch statistics and updates the running ones; evaluation uses the running ones.
 * {@link BatchNorm1d} takes [batch, features], {@link BatchNorm2d} [batch, channels, h, w].
 */
public abstract class BatchNorm extends Module {
    private final int features;
    private final int rank;
    private final float momentum;
    private final float eps;

    /**
     * Checks and keeps the options; the parameters are made by {@link #to}.
     *
     * @param features the number of channels on axis 1, 1 or more
     * @param rank     the input's rank: 2 for [batch, features], 4 for [batch, channels, h, w]
     * @param momentum the weight of each batch's statistics in the running ones, in [0, 1] (PyTorch: 0.1)
     * @param eps      added to the variance before its square root, positive (PyTorch: 1e-5)
     * @throws IllegalArgumentException when a value is out of range
     */
    protected BatchNorm(int features, int rank, float momentum, float eps) {
        if (features < 1) throw new IllegalArgumentException("BatchNorm needs at least one feature, got " + features);
        if (!(momentum >= 0 && momentum <= 1)) throw new IllegalArgumentException("BatchNorm momentum must be in [0, 1], got " + momentum);
        if (!(eps > 0)) throw new IllegalArgumentException("BatchNorm eps must be positive, got " + eps);
        this.features = features;
        this.rank = rank;
        this.momentum = momentum;
        this.eps = eps;
        registerParameter("weight", new int[]{features}, Initializer.constant(1f));
        registerParameter("bias", new int[]{features}, Initializer.constant(0f));
        registerBuffer("running_mean", new int[]{features}, Initializer.constant(0f));
        registerBuffer("running_var", new int[]{features}, Initializer.constant(1f));
    }

    /** {@return the number of channels normalised (axis 1 of the input)} */
    public int features() {
        return features;
    }

    /** {@return the learnable scale gamma [features]} */
    public Tensor weight() {
        return tensor("weight");
    }

    /** {@return the learnable shift beta [features]} */
    public Tensor bias() {
        return tensor("bias");
    }

    /** {@return the running mean [features] used in evaluation} */
    public Tensor runningMean() {
        return tensor("running_mean");
    }

    /** {@return the running (unbiased) variance [features] used in evaluation} */
    public Tensor runningVar() {
        return tensor("running_var");
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != rank || x.dim(1) != features) {
            throw new IllegalArgumentException(describe() + " expects input of rank " + rank + " with " + features
                    + " channels on axis 1, got " + x.shapeString());
        }
        return dev.jgrad.ops.BatchNorm.batchNorm(x, weight(), bias(), runningMean(), runningVar(), isTraining(), momentum, eps);
    }
}
