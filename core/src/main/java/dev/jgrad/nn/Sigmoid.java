package dev.jgrad.nn;

import dev.jgrad.spi.UnaryOp;

/** PyTorch's {@code nn.Sigmoid}. */
public final class Sigmoid extends Activation {
    /** The logistic sigmoid, 1 / (1 + exp(-x)). */
    public Sigmoid() {
        super(UnaryOp.SIGMOID);
    }
}
