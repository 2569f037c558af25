package dev.jgrad.conformance;

import dev.jgrad.spi.UnaryOp;
import dev.jgrad.testing.SeededArrays;

/**
 * Each {@link UnaryOp} and its derivative as {@code UnaryOp}'s documentation defines them, in double: the
 * analytic checks hold every backend (the CPU included) to these, not to another backend. Also the
 * inputs each op is tested on.
 */
public final class UnaryDefinitions {
    private UnaryDefinitions() {}

    private static final double GELU_C = Math.sqrt(2 / Math.PI);

    /** The parameter each op is tested with (LeakyReLU's slope, ELU's alpha); ignored by the others. */
    static float param(UnaryOp op) {
        return switch (op) {
            case LEAKY_RELU -> 0.1f;
            case ELU -> 0.7f;
            default -> 0f;
        };
    }

    /** op(x) with parameter p, in double: the reference every backend's kernels (fused epilogues too) are held to. */
    public static double value(UnaryOp op, double p, double x) {
        return switch (op) {
            case IDENTITY -> x;
            case RELU -> Math.max(x, 0);
            case LEAKY_RELU -> x > 0 ? x : p * x;
            case ELU -> x > 0 ? x : p * Math.expm1(x);
            case GELU -> 0.5 * x * (1 + Math.tanh(GELU_C * (x + 0.044715 * x * x * x)));
            case SIGMOID -> 1 / (1 + Math.exp(-x));
            case TANH -> Math.tanh(x);
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case NEG -> -x;
            case SQUARE -> x * x;
            case SQRT -> Math.sqrt(x);
            case ABS -> Math.abs(x);
        };
    }

    static double derivative(UnaryOp op, double p, double x) {
        return switch (op) {
            case IDENTITY -> 1;
            case RELU -> x > 0 ? 1 : 0;
            case LEAKY_RELU -> x > 0 ? 1 : p;
            case ELU -> x > 0 ? 1 : p * Math.exp(x);
            case GELU -> {
                double t = Math.tanh(GELU_C * (x + 0.044715 * x * x * x));
                yield 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * GELU_C * (1 + 3 * 0.044715 * x * x);
            }
            case SIGMOID -> {
                double s = 1 / (1 + Math.exp(-x));
                yield s * (1 - s);
            }
            case TANH -> 1 - Math.tanh(x) * Math.tanh(x);
            case EXP -> Math.exp(x);
            case LOG -> 1 / x;
            case NEG -> -1;
            case SQUARE -> 2 * x;
            case SQRT -> 0.5 / Math.sqrt(x);
            case ABS -> Math.signum(x);
        };
    }

    /** Inputs for kernel tests: wide ranges, positive where the op needs it. */
    static float[] kernelInputs(UnaryOp op, SeededArrays rnd, int n) {
        return switch (op) {
            case LOG, SQRT -> rnd.uniform(n, 0.05, 8);
            case EXP -> rnd.uniform(n, -8, 8);
            default -> rnd.uniform(n, -4, 4);
        };
    }

    /**
     * Inputs for finite differences with step h = 1e-2: kinked ops (relu, leaky relu, elu's second
     * derivative, abs) stay at least 0.1 from the kink, log and sqrt stay in [0.5, 2] where their third
     * derivatives (which set the truncation error) are at most 16, exp in [-2, 2].
     */
    static float[] gradientInputs(UnaryOp op, SeededArrays rnd, int n) {
        return switch (op) {
            case RELU, LEAKY_RELU, ELU, ABS -> rnd.awayFromZero(n, 0.1, 2);
            case LOG, SQRT -> rnd.uniform(n, 0.5, 2);
            default -> rnd.uniform(n, -2, 2);
        };
    }
}
