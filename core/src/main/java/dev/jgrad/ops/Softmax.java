package dev.jgrad.ops;

import dev.jgrad.autograd.Node;
import dev.jgrad.device.Device;
import dev.jgrad.tensor.Tensor;

/** Softmax over the last axis. For classification losses use {@link Loss#crossEntropy()}, which fuses it. */
public final class Softmax {
    private Softmax() {}

    /**
     * {@code exp(x) / sum(exp(x))} along the last axis, so each row is a probability distribution. Records the
     * graph when gradients are on for {@code x}.
     *
     * @param x the input, of rank 1 or more; every leading axis is treated as a separate row
     * @return a new tensor of x's shape on x's device, each row summing to 1
     */
    public static Tensor softmax(Tensor x) {
        return overRows(x, false);
    }

    /** Softmax or, with {@code log}, log-softmax ({@link LogSoftmax}) of each row: one kernel each way. */
    static Tensor overRows(Tensor x, boolean log) {
        int cols = x.dim(-1);
        int rows = x.size() / cols;
        Device d = x.device();
        Tensor y = Tensor.result(d, x.shape(), Tensor.recording(x) ? new Backward(x, rows, cols, log) : null);
        if (log) d.kernels().logSoftmax(rows, cols, x.buffer(), y.buffer());
        else d.kernels().softmax(rows, cols, x.buffer(), y.buffer());
        return y;
    }

    private static final class Backward extends Node {
        private final int rows;
        private final int cols;
        private final boolean log;

        Backward(Tensor x, int rows, int cols, boolean log) {
            super(x);
            this.rows = rows;
            this.cols = cols;
            this.log = log;
        }

        @Override
        public String name() {
            return log ? "log_softmax" : super.name();
        }

        @Override
        public void backward(Tensor y) {
            Tensor.GradSlot slot = inputs()[0].gradSlot();
            if (slot == null) return;
            Device d = y.device();
            if (log) d.kernels().logSoftmaxBackward(rows, cols, y.buffer(), y.gradBuffer(), slot.buffer(), slot.accumulate());
            else d.kernels().softmaxBackward(rows, cols, y.buffer(), y.gradBuffer(), slot.buffer(), slot.accumulate());
        }
    }
}
