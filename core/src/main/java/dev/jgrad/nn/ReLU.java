package dev.jgrad.nn;

import dev.jgrad.spi.UnaryOp;

/** PyTorch's {@code nn.ReLU}. */
public final class ReLU extends Activation {
    public ReLU() {
        super(UnaryOp.RELU);
    }
}
