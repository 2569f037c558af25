package dev.jgrad.spi;

/**
 * Elementwise functions y = f(x). The ones marked activation may also be fused into a GEMM epilogue.
 * {@code param} is the op's one parameter where it has one (LeakyReLU's slope, ELU's alpha), else ignored.
 * The derivative each backend implements is written beside each constant; kernels must agree with the
 * CPU backend's (its {@code CpuDevice.unary} and {@code unaryBackward}), the reference the conformance
 * suite compares every backend with.
 */
public enum UnaryOp {
    /** y = x; dy/dx = 1. */
    IDENTITY(true),
    /** y = max(x, 0); dy/dx = x > 0 ? 1 : 0. */
    RELU(true),
    /** y = x > 0 ? x : param*x; dy/dx = x > 0 ? 1 : param. */
    LEAKY_RELU(true),
    /** y = x > 0 ? x : param*(exp(x)-1); dy/dx = x > 0 ? 1 : y + param. */
    ELU(true),
    /** tanh approximation (PyTorch's approximate='tanh'): y = 0.5x(1+tanh(c(x+0.044715x^3))), c = sqrt(2/pi). */
    GELU(true),
    /** y = 1/(1+exp(-x)); dy/dx = y(1-y). */
    SIGMOID(true),
    /** y = tanh(x); dy/dx = 1-y^2. */
    TANH(true),
    /** y = exp(x); dy/dx = y. */
    EXP(false),
    /** y = ln(x); dy/dx = 1/x. */
    LOG(false),
    /** y = -x; dy/dx = -1. */
    NEG(false),
    /** y = x^2; dy/dx = 2x. */
    SQUARE(false),
    /** y = sqrt(x); dy/dx = 0.5/y. */
    SQRT(false),
    /** y = |x|; dy/dx = sign(x). */
    ABS(false);

    private final boolean activation;

    UnaryOp(boolean activation) {
        this.activation = activation;
    }

    /** Whether backends accept this op as a GEMM epilogue. */
    public boolean isActivation() {
        return activation;
    }
}
