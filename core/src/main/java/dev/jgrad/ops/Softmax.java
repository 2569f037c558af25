package dev.jgrad.ops;

import dev.jgrad.autograd.Node;
import dev.jgrad.backend.Device;
import dev.jgrad.tensor.Tensor;

/** Softmax over the last axis. For classification losses use {@link Losses#crossEntropy}, which fuses it. */
public final class Softmax {
    private Softmax() {}

    public static Tensor softmax(Tensor x) {
        int cols = x.dim(-1);
        int rows = x.size() / cols;
        Device d = x.device();
        Tensor y = Tensor.result(d, x.shape(), Tensor.recording(x) ? new Backward(x, rows, cols) : null);
        d.softmax(rows, cols, x.buffer(), y.buffer());
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
        public void backward(Tensor y) {
            Tensor.GradSlot slot = inputs()[0].gradSlot();
            if (slot == null) return;
            y.device().softmaxBackward(rows, cols, y.buffer(), y.gradBuffer(), slot.buffer(), slot.accumulate());
        }
    }
}
