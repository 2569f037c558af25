package dev.jgrad.conformance;

import dev.jgrad.testing.HostMath;
import dev.jgrad.testing.Tolerance;

import static dev.jgrad.testing.Tolerance.U;

/**
 * How far a float32 kernel on another device may be from the CPU reference (or from the exact value),
 * per kernel family, and why. U = 2^-24 is float32's unit roundoff: one correctly rounded operation
 * is off by at most U relative. Kernel inputs are kept of order 1 (|x| <= 8) so that absolute
 * allowances in units of U are meaningful.
 */
final class KernelTolerances {
    private KernelTolerances() {}

    /**
     * Copies, fills, negation, abs, max with 0, and single correctly rounded +, -, * (IEEE 754, OpenCL C
     * and CUDA all require these to be correctly rounded): every conforming device gives the same bits.
     */
    static final Tolerance EXACT = Tolerance.exact();

    /**
     * A handful (at most ~4) of roundings of values of order 1, where a compiler may contract a*b + c into
     * one FMA (a rounding fewer) or order the operations differently: each rounding moves a result by at
     * most U times the magnitude of the operands (<= 4 here), so 16U absolute plus 8U relative covers
     * both devices with room, while any formula error is orders of magnitude larger.
     */
    static final Tolerance ARITHMETIC = Tolerance.roundoffs(16, 8);

    /** Division: OpenCL allows 2.5 ulp (<= 5U relative) for x/y, the CPU rounds correctly (U). */
    static final Tolerance DIVISION = Tolerance.roundoffs(0, 8);

    /**
     * Transcendental functions and what is built from them (sigmoid, ELU, GELU, their derivatives). The
     * OpenCL full profile allows exp and log 3 ulp, tanh 5 ulp, sqrt 3 ulp, division 2.5 ulp; CUDA's
     * expf/logf/tanhf are within 2 ulp; the CPU reference evaluates in double and rounds once (0.5 ulp).
     * One ulp is at most 2U relative, and a composite chains at most ~5 such steps: <= 50U relative.
     * The absolute part covers results that are a cancellation of order-1 intermediates (1 + tanh(u) in
     * GELU for negative x, exp(x) - 1 in ELU), whose error is relative to the intermediates, not the result.
     */
    static final Tolerance TRANSCENDENTAL = Tolerance.roundoffs(64, 64);

    /**
     * A sum of k terms, each device in any order: |computed - exact| <= gamma(k) * sum|term| (Higham,
     * ch. 3; FMA, blocking, tiles and split-k all stay within it), so two devices differ by at most twice
     * that. {@code magnitude} is sum|term| per output element; the result is the per-element allowance.
     * TF32 or half-precision accumulation would break this bound, and is meant to.
     */
    static double[] sumBound(int k, double[] magnitude) {
        return HostMath.scale(magnitude, 2 * HostMath.gamma(k));
    }

    /**
     * Softmax-style rows: per device, exp(x - max) is off by the rounding of x - max (U * spread, spread =
     * max - min of the row) plus exp's own 3 ulp (6U); the row sum adds gamma(cols) and the division
     * 2.5 ulp (5U). Two devices: twice (cols + spread + 11) U, relative.
     */
    static Tolerance softmax(int cols, double spread) {
        return new Tolerance(1e-30, 2 * (cols + spread + 12) * U);
    }

    /**
     * Cross-entropy rows: logsumexp - logit. log(sum) inherits the sum's relative error (cols + spread +
     * 11) U as an absolute error, log adds 3 ulp of |log sum|, and the final add and subtract round at
     * |lse| and |loss| <= maxAbs + log(cols) + spread. Two devices: twice that, absolute.
     */
    static Tolerance crossEntropy(int cols, double spread, double maxAbs) {
        double bound = (cols + spread + 12) * U + 8 * U * (Math.log(cols) + 1) + 4 * U * (maxAbs + Math.log(cols) + spread);
        return new Tolerance(2 * bound, 8 * U);
    }
}
