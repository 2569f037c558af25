package dev.jgrad.ops;

import dev.jgrad.tensor.Tensor;

/** Log-softmax over the last axis, computed stably in one kernel (PyTorch's {@code log_softmax(x, -1)}). */
public final class LogSoftmax {
    private LogSoftmax() {}

    /**
     * {@code x - logsumexp(x)} along the last axis, so each row's exponentials sum to 1. Records the graph when
     * gradients are on for {@code x}.
     *
     * @param x the input, of rank 1 or more; every leading axis is treated as a separate row
     * @return a new tensor of x's shape on x's device
     */
    public static Tensor logSoftmax(Tensor x) {
        return Softmax.overRows(x, true);
    }
}
