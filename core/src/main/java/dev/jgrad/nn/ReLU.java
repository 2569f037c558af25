package dev.jgrad.nn;

import dev.jgrad.spi.UnaryOp;

/** PyTorch's {@code nn.ReLU}. */
public final class ReLU extends Activation {
    /** The ReLU activation, max(x, 0). */
    public ReLU() {
        super(UnaryOp.RELU);
    }
}
