package dev.jgrad.ops;

import dev.jgrad.spi.UnaryOp;
import dev.jgrad.tensor.Tensor;

import java.util.Arrays;

/** Losses built from other ops, so their gradients come from those ops' backward passes. */
public final class ComposedLosses {
    private ComposedLosses() {}

    /** Mean absolute error (PyTorch's {@code l1_loss}). */
    public static Tensor l1(Tensor pred, Tensor target) {
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
    public static Tensor crossEntropyOneHot(Tensor logits, Tensor targets) {
        if (logits.rank() != 2 || !Arrays.equals(logits.shape(), targets.shape())) {
            throw new IllegalArgumentException("crossEntropyOneHot: logits " + logits.shapeString() + " and targets "
                    + targets.shapeString() + " must both be [rows, classes]");
        }
        Tensor perRow = Reductions.sum(targets.mul(LogSoftmax.logSoftmax(logits)), 1);
        return perRow.neg().mean();
    }
}
