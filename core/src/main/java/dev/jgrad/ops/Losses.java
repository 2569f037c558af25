package dev.jgrad.ops;

import dev.jgrad.autograd.Node;
import dev.jgrad.spi.Buffer;
import dev.jgrad.device.Device;
import dev.jgrad.internal.DeviceMemory;
import dev.jgrad.spi.UnaryOp;
import dev.jgrad.tensor.Tensor;

import java.util.Arrays;
import java.util.function.BiFunction;

/**
 * The built-in losses behind {@link Loss}'s factories, each the mean over the batch: one fused kernel forward
 * and one backward where it pays (cross-entropy, BCE with logits, Huber), else composed of other ops, whose
 * backward passes give the gradient (MSE, L1, cross-entropy with probability targets).
 */
final class Losses {
    private Losses() {}

    /** A built-in loss: its name and its function. */
    record Named(String name, BiFunction<Tensor, Tensor, Tensor> function) implements Loss {
        @Override
        public Tensor apply(Tensor output, Tensor target) {
            return function.apply(output, target);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * Softmax cross-entropy of logits [rows, classes] against class indices [rows] (held as floats), as
     * PyTorch's {@code cross_entropy}: computed from log-sum-exp, so no logit overflows.
     */
    static Tensor crossEntropy(Tensor logits, Tensor labels) {
        if (logits.rank() != 2 || labels.size() != logits.dim(0)) {
            throw new IllegalArgumentException("crossEntropy: logits " + logits.shapeString() + " and labels "
                    + labels.shapeString() + " do not match (expected [rows, classes] and [rows])");
        }
        int rows = logits.dim(0);
        int cols = logits.dim(1);
        Device d = logits.device();
        Tensor probs = Tensor.empty(d, rows, cols);
        Tensor loss = Tensor.result(d, new int[0], Tensor.recording(logits) ? new CrossEntropyBackward(logits, labels, probs) : null);
        DeviceMemory pool = d.memory();
        Buffer perRow = pool.take(rows);
        try {
            d.kernels().softmaxCrossEntropy(rows, cols, logits.buffer(), labels.buffer(), probs.buffer(), perRow);
            d.kernels().reduceSum(1, rows, 1, perRow, loss.buffer(), 1f / rows, false);
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
            logits.device().kernels().softmaxCrossEntropyBackward(rows, logits.dim(1), probs.buffer(), labels.buffer(),
                    loss.gradBuffer(), 1f / rows, slot.buffer(), slot.accumulate());
        }
    }

    /** Binary cross-entropy on logits (PyTorch's {@code binary_cross_entropy_with_logits}), mean over all elements. */
    static Tensor bceWithLogits(Tensor logits, Tensor targets) {
        if (!Arrays.equals(logits.shape(), targets.shape())) {
            throw new IllegalArgumentException("bceWithLogits: logits " + logits.shapeString() + " and targets "
                    + targets.shapeString() + " differ in shape");
        }
        int n = logits.size();
        Device d = logits.device();
        Tensor loss = Tensor.result(d, new int[0], Tensor.recording(logits) ? new BceBackward(logits, targets) : null);
        DeviceMemory pool = d.memory();
        Buffer each = pool.take(n);
        try {
            d.kernels().bceWithLogits(n, logits.buffer(), targets.buffer(), each);
            d.kernels().reduceSum(1, n, 1, each, loss.buffer(), 1f / n, false);
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
            x.device().kernels().bceWithLogitsBackward(x.size(), x.buffer(), targets.buffer(), loss.gradBuffer(), 1f / x.size(),
                    slot.buffer(), slot.accumulate());
        }
    }

    /** Mean squared error, built from primitive ops. */
    static Tensor mse(Tensor pred, Tensor target) {
        if (!Arrays.equals(pred.shape(), target.shape())) {
            throw new IllegalArgumentException("mse: prediction " + pred.shapeString() + " and target " + target.shapeString() + " differ in shape");
        }
        return pred.sub(target).square().mean();
    }

    /** The Huber loss (PyTorch's {@code huber_loss}): quadratic within delta of the target, linear beyond. */
    static Tensor huber(Tensor pred, Tensor target, float delta) {
        if (!Arrays.equals(pred.shape(), target.shape())) {
            throw new IllegalArgumentException("huber: prediction " + pred.shapeString() + " and target " + target.shapeString() + " differ in shape");
        }
        if (!(delta > 0)) throw new IllegalArgumentException("huber: delta must be positive, got " + delta);
        int n = pred.size();
        Device d = pred.device();
        Tensor loss = Tensor.result(d, new int[0], Tensor.recording(pred) ? new HuberBackward(pred, target, delta) : null);
        DeviceMemory pool = d.memory();
        Buffer each = pool.take(n);
        try {
            d.kernels().huberLoss(n, delta, pred.buffer(), target.buffer(), each);
            d.kernels().reduceSum(1, n, 1, each, loss.buffer(), 1f / n, false);
        } finally {
            pool.give(each);
        }
        return loss;
    }

    private static final class HuberBackward extends Node {
        private final Tensor target;
        private final float delta;

        HuberBackward(Tensor pred, Tensor target, float delta) {
            super(pred);
            this.target = target;
            this.delta = delta;
        }

        @Override
        public String name() {
            return "huber_loss";
        }

        @Override
        public void backward(Tensor loss) {
            Tensor x = inputs()[0];
            Tensor.GradSlot slot = x.gradSlot();
            if (slot == null) return;
            x.device().kernels().huberLossBackward(x.size(), delta, x.buffer(), target.buffer(), loss.gradBuffer(), 1f / x.size(),
                    slot.buffer(), slot.accumulate());
        }
    }

    /** Mean absolute error (PyTorch's {@code l1_loss}). */
    static Tensor l1(Tensor pred, Tensor target) {
        if (!Arrays.equals(pred.shape(), target.shape())) {
            throw new IllegalArgumentException("l1: prediction " + pred.shapeString() + " and target " + target.shapeString() + " differ in shape");
        }
        return Elementwise.unary(UnaryOp.ABS, 0f, pred.sub(target)).mean();
    }

    /**
     * Categorical cross-entropy of logits [rows, classes] against target distributions of the same shape
     * (one-hot rows, or soft labels summing to 1): mean over rows of -sum_j t_j log softmax(x)_j, which is
     * PyTorch's {@code cross_entropy} with probability targets.
     */
    static Tensor crossEntropyOneHot(Tensor logits, Tensor targets) {
        if (logits.rank() != 2 || !Arrays.equals(logits.shape(), targets.shape())) {
            throw new IllegalArgumentException("crossEntropyOneHot: logits " + logits.shapeString() + " and targets "
                    + targets.shapeString() + " must both be [rows, classes]");
        }
        Tensor perRow = Reductions.sum(targets.mul(LogSoftmax.logSoftmax(logits)), 1);
        return perRow.neg().mean();
    }
}
