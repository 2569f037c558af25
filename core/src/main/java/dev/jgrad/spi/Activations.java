package dev.jgrad.spi;

/** Facts about {@link UnaryOp}s that every backend and the layers rely on. */
public final class Activations {
    private Activations() {}

    /**
     * Whether op'(x) can be computed from y = op(x) alone, so a fused layer need not keep x.
     * LeakyReLU qualifies only with a positive slope (then y > 0 exactly when x > 0).
     */
    public static boolean derivativeFromOutput(UnaryOp op, float param) {
        return switch (op) {
            case IDENTITY, RELU, SIGMOID, TANH, ELU, EXP -> true;
            case LEAKY_RELU -> param > 0;
            default -> false;
        };
    }
}
