package dev.jgrad.nn;

import dev.jgrad.spi.UnaryOp;

/** PyTorch's {@code nn.LeakyReLU}; see {@link UnaryOp#LEAKY_RELU} for the definition. */
public final class LeakyReLU extends Activation {
    /**
     * A LeakyReLU with a given slope.
     *
     * @param negativeSlope the slope for negative inputs; PyTorch's default is 0.01
     */
    public LeakyReLU(float negativeSlope) {
        super(UnaryOp.LEAKY_RELU, negativeSlope);
    }

    /** A LeakyReLU with PyTorch's default slope, 0.01. */
    public LeakyReLU() {
        super(UnaryOp.LEAKY_RELU);
    }
}
