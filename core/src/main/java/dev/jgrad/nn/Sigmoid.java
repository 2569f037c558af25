package dev.jgrad.nn;

import dev.jgrad.spi.UnaryOp;

/** PyTorch's {@code nn.Sigmoid}. */
public final class Sigmoid extends Activation {
    public Sigmoid() {
        super(UnaryOp.SIGMOID);
    }
}
