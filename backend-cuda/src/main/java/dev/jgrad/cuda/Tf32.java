package dev.jgrad.cuda;

/**
 * What TF32 does to a GEMM's inputs, and the error bound this backend documents for the TF32 kernel
 * (README, "TF32"). The bound is tested on the CPU against an emulation ({@code Tf32ToleranceTest}) and
 * on a GPU against the kernel ({@code CudaTf32GemmTest}).
 */
public final class Tf32 {
    /** Relative error of rounding a float to TF32: 10 explicit mantissa bits, rounded to nearest, so 2^-11. */
    public static final double UNIT_ROUNDOFF = 0x1p-11;

    private Tf32() {}

    /**
     * {@code x} rounded to TF32 as cvt.rna.tf32.f32 (what wmma::__float_to_tf32 compiles to) does: to nearest,
     * ties away from zero, keeping 10 of float32's 23 mantissa bits. NaN and infinities are kept.
     */
    public static float round(float x) {
        if (!Float.isFinite(x)) return x;
        int bits = Float.floatToRawIntBits(x);
        return Float.intBitsToFloat((bits + 0x1000) & ~0x1FFF);
    }

    /**
     * The bound on |TF32 result - exact result| for one output of a k-long product whose inputs are at most
     * {@code maxAbsA} and {@code maxAbsB} in magnitude: {@code 2 * k * 2^-10 * maxAbsA * maxAbsB}, valid for
     * {@code k <= 4096} (README, "TF32", derives it: 2^-10 from rounding both inputs, at most as much again from
     * the float32 accumulation of k terms).
     */
    public static double errorBound(int k, double maxAbsA, double maxAbsB) {
        if (k > MAX_K) throw new IllegalArgumentException("the documented TF32 bound holds for k <= " + MAX_K + ", not " + k);
        return 2.0 * k * 0x1p-10 * maxAbsA * maxAbsB;
    }

    /** The largest k for which {@link #errorBound} is derived. */
    public static final int MAX_K = 4096;
}
