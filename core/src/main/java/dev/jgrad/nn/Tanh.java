package dev.jgrad.nn;

import dev.jgrad.spi.UnaryOp;

/** PyTorch's {@code nn.Tanh}. */
public final class Tanh extends Activation {
    /** The hyperbolic tangent. */
    public Tanh() {
        super(UnaryOp.TANH);
    }
}
