package dev.jgrad.kernels;

import dev.jgrad.device.DeviceConfig.GemmKernel;

import java.util.List;

/**
 * Which GEMM kernel computes a product, and its launch geometry: the one place that decides, for both GPU
 * backends (KernelDevice launches what this returns).
 *
 * <ul>
 *   <li>{@link #TF32_KERNEL} (gemm_tf32.cu, CUDA only): only where the device opted in to TF32
 *       ({@code tf32Allowed}: the CUDA device opened with {@code DeviceConfig.withTf32(true)}); any shape.</li>
 *   <li>{@link #VECTOR_KERNEL} (gemm_vec.cl): 128x128 tiles, 4-float loads, double buffering; only where
 *       {@link #vectorizable} holds.</li>
 *   <li>otherwise gemm.cl with the tiling {@link GemmTiling#choose} picks.</li>
 * </ul>
 *
 * In {@link GemmKernel#AUTO} the TF32 and vector kernels take a product when its 128x128 blocks fill at least one
 * wave ({@link #fillsAWave}: one block per compute unit) and, for the vector kernel, when the device offers
 * the 128x128 tiling of gemm.cl ({@link GemmTiling#WIDE}; CPU OpenCL runtimes do not: an 8x8 register block
 * is slow there). Smaller products are limited by parallelism, where gemm.cl's smaller tiles do better.
 * This threshold is a first guess, to be measured on a GPU. The other choices of {@link GemmKernel} are for tests and
 * tuning ({@code DeviceConfig.withGemmKernel}).
 */
public record GemmLaunch(String kernel, int groupsX, int groupsY, int localX, int localY) {
    /** The vectorized SGEMM of gemm_vec.cl. */
    public static final String VECTOR_KERNEL = "jg_gemm_vec_128x128x8";
    /** The TF32 tensor-core GEMM of gemm_tf32.cu (CUDA only). */
    public static final String TF32_KERNEL = "jg_tf32_gemm_128x128x32";
    /** The block of C both of them compute per work-group, and their work-group size (256 x 1). */
    public static final int BLOCK = 128;
    public static final int THREADS = 256;
    /**
     * Whether the vector kernel may compute op(A) op(B): the stored rows it loads as 4-float vectors must be
     * whole vectors, i.e. A's row length ({@code m} when transposed, else {@code k}) and B's ({@code k} when
     * transposed, else {@code n}) multiples of 4. Buffers start 16-byte aligned on every device.
     */
    public static boolean vectorizable(boolean transA, boolean transB, int m, int n, int k) {
        return (transA ? m : k) % 4 == 0 && (transB ? k : n) % 4 == 0;
    }

    /** Whether an m x n product makes at least one 128x128 block per compute unit. */
    public static boolean fillsAWave(int m, int n, int computeUnits) {
        return (long) ceilDiv(m, BLOCK) * ceilDiv(n, BLOCK) >= computeUnits;
    }

    /**
     * The kernel for op(A)[m, k] op(B)[k, n] on a device offering {@code tilings} (smallest first) with
     * {@code computeUnits} compute units; {@code tf32Allowed} only for a CUDA device opened with the opt-in.
     */
    public static GemmLaunch choose(GemmKernel mode, List<GemmTiling> tilings, int computeUnits, boolean tf32Allowed,
                                    boolean transA, boolean transB, int m, int n, int k) {
        boolean big = fillsAWave(m, n, computeUnits);
        if (tf32Allowed && (mode == GemmKernel.TF32 || (mode == GemmKernel.AUTO && big))) return blocked(TF32_KERNEL, m, n);
        boolean vector = switch (mode) {
            case VECTOR -> true;
            case AUTO, TF32 -> big && tilings.contains(GemmTiling.WIDE);
            case TILED -> false;
        };
        if (vector && vectorizable(transA, transB, m, n, k)) return blocked(VECTOR_KERNEL, m, n);
        GemmTiling t = GemmTiling.choose(tilings, m, n, computeUnits);
        return new GemmLaunch(t.kernelName(), ceilDiv(n, t.tileN()), ceilDiv(m, t.tileM()), t.localX(), t.localY());
    }

    private static GemmLaunch blocked(String kernel, int m, int n) {
        return new GemmLaunch(kernel, ceilDiv(n, BLOCK), ceilDiv(m, BLOCK), THREADS, 1);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
