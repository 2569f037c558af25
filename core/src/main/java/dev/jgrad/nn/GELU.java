package dev.jgrad.nn;

import dev.jgrad.spi.UnaryOp;

/** PyTorch's {@code nn.GELU(approximate='tanh')}; see {@link UnaryOp#GELU} for the definition. */
public final class GELU extends Activation {
    /** The GELU activation, tanh approximation. */
    public GELU() {
        super(UnaryOp.GELU);
    }
}
