package dev.jgrad.optim;

import dev.jgrad.tensor.Tensor;

import java.util.List;

/** Adam with decoupled weight decay (PyTorch's default decay 0.01). */
public final class AdamW extends Adam {
    /**
     * AdamW with PyTorch's betas (0.9, 0.999) and eps (1e-8).
     *
     * @param params      the tensors to update, each requiring grad
     * @param lr          the learning rate, positive
     * @param weightDecay the decoupled decay coefficient: each step also does {@code w -= lr * weightDecay * w}
     */
    public AdamW(List<Tensor> params, float lr, float weightDecay) {
        super(params, lr, 0.9f, 0.999f, 1e-8f, weightDecay, true);
    }

    /**
     * AdamW with PyTorch's default weight decay, 0.01.
     *
     * @param params the tensors to update, each requiring grad
     * @param lr     the learning rate, positive
     */
    public AdamW(List<Tensor> params, float lr) {
        this(params, lr, 0.01f);
    }
}
