package dev.jgrad.ops;

import dev.jgrad.autograd.Node;
import dev.jgrad.spi.Buffer;
import dev.jgrad.device.Device;
import dev.jgrad.internal.DeviceMemory;
import dev.jgrad.tensor.Tensor;

import java.util.Arrays;

/** Losses, each the mean over the batch, each one fused kernel forward and one backward where it pays. */
public final class Losses {
    private Losses() {}

    /**
     * Softmax cross-entropy of logits [rows, classes] against class indices [rows] (held as floats), as
     * PyTorch's {@code cross_entropy}: computed from log-sum-exp, so no logit overflows.
     */
    public static Tensor crossEntropy(Tensor logits, Tensor labels) {
        if (logits.rank() != 2 || labels.size() != logits.dim(0)) {
            throw new IllegalArgumentException("crossEntropy: logits " + logits.shapeString() + " and labels "
                    + labels.shapeString() + " do not match (expected [rows, classes] and [rows])");
        }
        int rows = logits.dim(0);
        int cols = logits.dim(1);
        Device d = logits.device();
        Tensor probs = Tensor.empty(d, rows, cols);
        Tensor loss = Tensor.result(d, new int[0], Tensor.recording(logits) ? new CrossEntropyBackward(logits, labels, probs) : null);
        DeviceMemory pool = DeviceMemory.of(d);
        Buffer perRow = pool.take(rows);
        try {
            d.softmaxCrossEntropy(rows, cols, logits.buffer(), labels.buffer(), probs.buffer(), perRow);
            d.reduceSum(1, rows, 1, perRow, loss.buffer(), 1f / rows, false);
        } finally {
            pool.give(perRow);
        }
        if (loss.gradFn() == null) probs.close();
        return loss;
    }

    private static final class CrossEntropyBackward extends Node {
        private final Tensor labels;
        private final Tensor probs;

        CrossEntropyBackward(Tensor logits, Tensor labels, Tensor probs) {
            super(logits);
            this.labels = labels;
            this.probs = probs;
        }

        @Override
        public String name() {
            return "cross_entropy";
        }

        @Override
        public void backward(Tensor loss) {
            Tensor logits = inputs()[0];
            Tensor.GradSlot slot = logits.gradSlot();
            if (slot == null) return;
            int rows = logits.dim(0);
            logits.device().softmaxCrossEntropyBackward(rows, logits.dim(1), probs.buffer(), labels.buffer(),
                    loss.gradBuffer(), 1f / rows, slot.buffer(), slot.accumulate());
        }
    }

    /** Binary cross-entropy on logits (PyTorch's {@code binary_cross_entropy_with_logits}), mean over all elements. */
    public static Tensor bceWithLogits(Tensor logits, Tensor targets) {
        if (!Arrays.equals(logits.shape(), targets.shape())) {
            throw new IllegalArgumentException("bceWithLogits: logits " + logits.shapeString() + " and targets "
                    + targets.shapeString() + " differ in shape");
        }
        int n = logits.size();
        Device d = logits.device();
        Tensor loss = Tensor.result(d, new int[0], Tensor.recording(logits) ? new BceBackward(logits, targets) : null);
        DeviceMemory pool = DeviceMemory.of(d);
        Buffer each = pool.take(n);
        try {
            d.bceWithLogits(n, logits.buffer(), targets.buffer(), each);
            d.reduceSum(1, n, 1, each, loss.buffer(), 1f / n, false);
        } finally {
            pool.give(each);
        }
        return loss;
    }

    private static final class BceBackward extends Node {
        private final Tensor targets;

        BceBackward(Tensor logits, Tensor targets) {
            super(logits);
            this.targets = targets;
        }

        @Override
        public String name() {
            return "bce_with_logits";
        }

        @Override
        public void backward(Tensor loss) {
            Tensor x = inputs()[0];
            Tensor.GradSlot slot = x.gradSlot();
            if (slot == null) return;
            x.device().bceWithLogitsBackward(x.size(), x.buffer(), targets.buffer(), loss.gradBuffer(), 1f / x.size(),
                    slot.buffer(), slot.accumulate());
        }
    }

    /** Mean squared error, built from primitive ops. */
    public static Tensor mse(Tensor pred, Tensor target) {
        if (!Arrays.equals(pred.shape(), target.shape())) {
            throw new IllegalArgumentException("mse: prediction " + pred.shapeString() + " and target " + target.shapeString() + " differ in shape");
        }
        return pred.sub(target).square().mean();
    }
}
