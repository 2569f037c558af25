package dev.jgrad.kernels;

/**
 * The tile sizes gemm.cl is compiled with: a work-group computes a tileM x tileN block of C in
 * tileK-deep steps, each work-item a wptM x wptN block, so a work-group has (tileN/wptN) x (tileM/wptM)
 * work-items. OpenCL passes them as -D defines at build time; the CUDA binary uses {@link #DEFAULT},
 * which must equal the defaults written in gemm.cl.
 */
public record GemmTiling(int tileM, int tileN, int tileK, int wptM, int wptN) {
    /** 64x64 tiles, 16 deep, 4x4 per work-item: 256 work-items. */
    public static final GemmTiling DEFAULT = new GemmTiling(64, 64, 16, 4, 4);
    /** For devices whose work-groups hold fewer than 256 work-items: 64 work-items. */
    public static final GemmTiling SMALL = new GemmTiling(32, 32, 16, 4, 4);

    public GemmTiling {
        if (tileM < 1 || tileN < 1 || tileK < 1 || wptM < 1 || wptN < 1 || tileM % wptM != 0 || tileN % wptN != 0) {
            throw new IllegalArgumentException("tile sizes must be multiples of the work per work-item: " + this);
        }
    }

    /** The largest tiling a device with this maximum work-group size can run. */
    public static GemmTiling forMaxWorkGroup(long maxWorkGroupSize) {
        return maxWorkGroupSize >= DEFAULT.workGroupSize() ? DEFAULT : SMALL;
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

    /** Compiler options that select this tiling in gemm.cl. */
    public String defines() {
        return "-DTILE_M=" + tileM + " -DTILE_N=" + tileN + " -DTILE_K=" + tileK + " -DWPT_M=" + wptM + " -DWPT_N=" + wptN;
    }
}
