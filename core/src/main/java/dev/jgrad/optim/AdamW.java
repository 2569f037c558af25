package dev.jgrad.optim;

import dev.jgrad.tensor.Tensor;

import java.util.List;

/** Adam with decoupled weight decay (PyTorch's default decay 0.01). */
public final class AdamW extends Adam {
    public AdamW(List<Tensor> params, float lr, float weightDecay) {
        super(params, lr, 0.9f, 0.999f, 1e-8f, weightDecay, true);
    }

    public AdamW(List<Tensor> params, float lr) {
        this(params, lr, 0.01f);
    }
}
