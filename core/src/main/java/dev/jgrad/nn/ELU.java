package dev.jgrad.nn;

import dev.jgrad.spi.UnaryOp;

/** PyTorch's {@code nn.ELU}; see {@link UnaryOp#ELU} for the definition. */
public final class ELU extends Activation {
    /**
     * An ELU with a given alpha.
     *
     * @param alpha the value approached for very negative inputs is {@code -alpha}; PyTorch's default is 1
     */
    public ELU(float alpha) {
        super(UnaryOp.ELU, alpha);
    }

    /** An ELU with PyTorch's default alpha, 1. */
    public ELU() {
        super(UnaryOp.ELU);
    }
}
