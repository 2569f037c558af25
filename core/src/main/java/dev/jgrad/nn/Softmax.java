package dev.jgrad.nn;

import dev.jgrad.tensor.Tensor;

/**
 * PyTorch's {@code nn.Softmax(dim=-1)}. Not for training a classifier with {@code crossEntropy}, which
 * applies softmax itself; use it for a model that must output probabilities.
 */
public final class Softmax extends Module {
    /** A softmax layer over the last axis; it has no parameters. */
    public Softmax() {}

    @Override
    public Tensor forward(Tensor x) {
        return dev.jgrad.ops.Softmax.softmax(x);
    }

    @Override
    public String describe() {
        return "softmax";
    }
}
