package dev.jgrad.nn;

import dev.jgrad.spi.UnaryOp;

/** PyTorch's {@code nn.LeakyReLU}; see {@link UnaryOp#LEAKY_RELU} for the definition. */
public final class LeakyReLU extends Activation {
    public LeakyReLU(float negativeSlope) {
        super(UnaryOp.LEAKY_RELU, negativeSlope);
    }

    /** PyTorch's default parameter. */
    public LeakyReLU() {
        super(UnaryOp.LEAKY_RELU);
    }
}
