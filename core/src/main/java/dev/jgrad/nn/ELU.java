package dev.jgrad.nn;

import dev.jgrad.spi.UnaryOp;

/** PyTorch's {@code nn.ELU}; see {@link UnaryOp#ELU} for the definition. */
public final class ELU extends Activation {
    public ELU(float alpha) {
        super(UnaryOp.ELU, alpha);
    }

    /** PyTorch's default parameter. */
    public ELU() {
        super(UnaryOp.ELU);
    }
}
