package dev.jgrad.ops;

import dev.jgrad.tensor.Tensor;

/** Log-softmax over the last axis, computed stably in one kernel (PyTorch's {@code log_softmax(x, -1)}). */
public final class LogSoftmax {
    private LogSoftmax() {}

    public static Tensor logSoftmax(Tensor x) {
        return Softmax.overRows(x, true);
    }
}
