package dev.jgrad.ops;

import dev.jgrad.autograd.Node;
import dev.jgrad.backend.Device;
import dev.jgrad.tensor.Tensor;

/** Log-softmax over the last axis, computed stably in one kernel (PyTorch's {@code log_softmax(x, -1)}). */
public final class LogSoftmax {
    private LogSoftmax() {}

    public static Tensor logSoftmax(Tensor x) {
        int cols = x.dim(-1);
        int rows = x.size() / cols;
        Device d = x.device();
        Tensor y = Tensor.result(d, x.shape(), Tensor.recording(x) ? new Backward(x, rows, cols) : null);
        d.logSoftmax(rows, cols, x.buffer(), y.buffer());
        return y;
    }

    private static final class Backward extends Node {
        private final int rows;
        private final int cols;

        Backward(Tensor x, int rows, int cols) {
            super(x);
            this.rows = rows;
            this.cols = cols;
        }

        @Override
        public String name() {
            return "log_softmax";
        }

        @Override
        public void backward(Tensor y) {
            Tensor.GradSlot slot = inputs()[0].gradSlot();
            if (slot == null) return;
            y.device().logSoftmaxBackward(rows, cols, y.buffer(), y.gradBuffer(), slot.buffer(), slot.accumulate());
        }
    }
}
