package dev.jgrad.kernels;

import java.util.List;

/**
 * The tile sizes gemm.cl is compiled with: a work-group computes a tileM x tileN block of C in
 * tileK-deep steps, each work-item a wptM x wptN block, so a work-group has (tileN/wptN) x (tileM/wptM)
 * work-items. Each tiling is its own kernel, named by {@link #kernelName()}: OpenCL builds it with
 * {@link #defines()}, and the CUDA build compiles every tiling of {@link #STANDARD} into the fat binary.
 */
public record GemmTiling(int tileM, int tileN, int tileK, int wptM, int wptN) {
    /** 32x32 tiles, 2x2 per work-item: many work-groups for the small matrices of an MLP at batch 128. */
    public static final GemmTiling NARROW = new GemmTiling(32, 32, 16, 2, 2);
    /** 64x64 tiles, 4x4 per work-item; the defaults written in gemm.cl. */
    public static final GemmTiling DEFAULT = new GemmTiling(64, 64, 16, 4, 4);
    /** 128x128 tiles, 8x8 per work-item: the most reuse per load, for large matrices. */
    public static final GemmTiling WIDE = new GemmTiling(128, 128, 16, 8, 8);
    /** The tilings a GPU backend offers, smallest tile first; all run 256 work-items per group. */
    public static final List<GemmTiling> STANDARD = List.of(NARROW, DEFAULT, WIDE);
    /** For devices whose work-groups hold fewer than 256 work-items: 64 work-items. */
    public static final GemmTiling SMALL = new GemmTiling(32, 32, 16, 4, 4);

    public GemmTiling {
        if (tileM < 1 || tileN < 1 || tileK < 1 || wptM < 1 || wptN < 1 || tileM % wptM != 0 || tileN % wptN != 0) {
            throw new IllegalArgumentException("tile sizes must be positive multiples of the work per work-item: " + this);
        }
    }

    /** The tilings a device with this maximum work-group size can run. */
    public static List<GemmTiling> forMaxWorkGroup(long maxWorkGroupSize) {
        return maxWorkGroupSize >= DEFAULT.workGroupSize() ? STANDARD : List.of(SMALL);
    }

    /**
     * The tiling for an m x n product on a device with {@code computeUnits} multiprocessors: the largest
     * tile that still gives every compute unit at least two work-groups, else the smallest tile (a
     * small matrix is limited by parallelism, not by reuse). {@code tilings} is ordered smallest first.
     */
    public static GemmTiling choose(List<GemmTiling> tilings, int m, int n, int computeUnits) {
        for (int i = tilings.size() - 1; i > 0; i--) {
            GemmTiling t = tilings.get(i);
            long groups = (long) ((m + t.tileM - 1) / t.tileM) * ((n + t.tileN - 1) / t.tileN);
            if (groups >= 2L * computeUnits) return t;
        }
        return tilings.get(0);
    }

    /** Parses "tileM,tileN,tileK,wptM,wptN", the format of the tuning property {@code jgrad.opencl.gemm}. */
    public static GemmTiling parse(String spec) {
        String[] parts = spec.trim().split("\\s*,\\s*");
        if (parts.length != 5) throw new IllegalArgumentException("GEMM tiling '" + spec + "': expected tileM,tileN,tileK,wptM,wptN");
        try {
            return new GemmTiling(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]),
                    Integer.parseInt(parts[3]), Integer.parseInt(parts[4]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("GEMM tiling '" + spec + "': expected five integers tileM,tileN,tileK,wptM,wptN");
        }
    }

    public int localX() {
        return tileN / wptN;
    }

    public int localY() {
        return tileM / wptM;
    }

    public int workGroupSize() {
        return localX() * localY();
    }

    /** The kernel's name, e.g. jg_gemm_64x64x16_4x4. */
    public String kernelName() {
        return KERNEL_PREFIX + tileM + "x" + tileN + "x" + tileK + "_" + wptM + "x" + wptN;
    }

    /** Every GEMM kernel's name starts with this. */
    public static final String KERNEL_PREFIX = "jg_gemm_";

    /** Compiler options that select this tiling in gemm.cl and name its kernel. */
    public String defines() {
        return "-DTILE_M=" + tileM + " -DTILE_N=" + tileN + " -DTILE_K=" + tileK + " -DWPT_M=" + wptM + " -DWPT_N=" + wptN
                + " -DGEMM_NAME=" + kernelName();
    }
}
