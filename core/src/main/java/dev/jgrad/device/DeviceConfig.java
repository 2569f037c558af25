package dev.jgrad.device;

import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * The options a device is opened with. A device keeps the configuration it was opened with for its
 * whole life ({@link Device#config()}); nothing global changes when one is opened.
 *
 * <p>Start from {@link #defaults()} (the built-in values, overridden by system properties and environment
 * variables, see below) or {@link #standard()} (the built-in values only), then change fields with the
 * {@code with...} methods:
 * <pre>{@code
 * try (Device d = Devices.open("cpu", DeviceConfig.defaults().withThreads(4))) { ... }
 * }</pre>
 *
 * <p>A backend rejects, with an {@link IllegalArgumentException} naming the option, an option it cannot
 * honour ({@code tf32} anywhere but CUDA, a GEMM tiling the device cannot run). Options that only tune a
 * backend's speed ({@code gemmKernel}, {@code gemmTiling}) are ignored by backends they do not apply to.
 *
 * <p>System properties and environment variables (read only by {@link #defaults()}; a property wins
 * over the variable):
 * <table>
 *   <caption>Where defaults come from</caption>
 *   <tr><th>field</th><th>system property</th><th>environment variable</th></tr>
 *   <tr><td>threads</td><td>{@value #THREADS_PROPERTY}</td><td>{@code JGRAD_CPU_THREADS}</td></tr>
 *   <tr><td>tf32</td><td>{@value #TF32_PROPERTY}</td><td>{@code JGRAD_CUDA_TF32}</td></tr>
 *   <tr><td>gemmKernel</td><td>{@value #GEMM_KERNEL_PROPERTY}</td><td>{@code JGRAD_GEMM_KERNEL}</td></tr>
 *   <tr><td>gemmTiling</td><td>{@value #GEMM_TILING_PROPERTY}</td><td>{@code JGRAD_OPENCL_GEMM}</td></tr>
 * </table>
 *
 * @param threads    CPU backend: worker threads for its kernels; 0 means one per available processor.
 *                   Results are bit-identical for every thread count.
 * @param tf32       CUDA backend: let large matrix products run on TF32 tensor cores (inputs rounded to 10
 *                   mantissa bits; error bound in backend-cuda's README). Any other backend rejects it.
 * @param gemmKernel GPU backends: how the matrix-product kernel is chosen; {@link GemmKernel#AUTO} except
 *                   for tests and tuning
 * @param gemmTiling OpenCL backend: a fixed GEMM tiling {@code "tileM,tileN,tileK,wptM,wptN"} for tuning on
 *                   a new device, or null to let the device choose
 */
public record DeviceConfig(int threads, boolean tf32, GemmKernel gemmKernel, String gemmTiling) {
    /** System property for {@link #threads()}. */
    public static final String THREADS_PROPERTY = "jgrad.cpu.threads";
    /** System property for {@link #tf32()}: {@code true} or {@code false}. */
    public static final String TF32_PROPERTY = "jgrad.cuda.tf32";
    /** System property for {@link #gemmKernel()}: {@code auto}, {@code tiled}, {@code vector} or {@code tf32}. */
    public static final String GEMM_KERNEL_PROPERTY = "jgrad.gemm.kernel";
    /** System property for {@link #gemmTiling()}. */
    public static final String GEMM_TILING_PROPERTY = "jgrad.opencl.gemm";

    private static final DeviceConfig STANDARD = new DeviceConfig(0, false, GemmKernel.AUTO, null);

    /** How GPU backends choose the kernel of a matrix product. */
    public enum GemmKernel {
        /** By the product's size and the device (the default). */
        AUTO,
        /** Always the tiled kernel (gemm.cl), never TF32. */
        TILED,
        /** The vectorized kernel wherever the shapes allow it, whatever the size; never TF32. */
        VECTOR,
        /** The TF32 kernel for every product, where {@link #tf32()} allows TF32; elsewhere as AUTO. */
        TF32;

        /**
         * Parses {@code auto}, {@code tiled}, {@code vector} or {@code tf32} (any case, surrounding blanks ignored).
         *
         * @param s the kernel name; must not be null
         * @return the matching constant
         * @throws IllegalArgumentException when {@code s} names no kernel; the message lists the valid names
         */
        public static GemmKernel parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("GEMM kernel '" + s + "': expected auto, tiled, vector or tf32");
            }
        }
    }

    /**
     * Checks the fields and normalises a blank {@code gemmTiling} to null.
     *
     * @throws IllegalArgumentException when {@code threads} is negative or {@code gemmKernel} is null
     */
    public DeviceConfig {
        if (threads < 0) throw new IllegalArgumentException("threads must be 0 (one per processor) or more, got " + threads);
        if (gemmKernel == null) throw new IllegalArgumentException("gemmKernel must not be null (use GemmKernel.AUTO)");
        if (gemmTiling != null && gemmTiling.isBlank()) gemmTiling = null;
    }

    /**
     * The built-in defaults, ignoring system properties and environment variables: one thread per processor,
     * no TF32, {@link GemmKernel#AUTO}, no fixed tiling. Use it where the environment must not change results.
     *
     * @return the shared built-in configuration
     */
    public static DeviceConfig standard() {
        return STANDARD;
    }

    /**
     * The built-in defaults overridden by the system properties and environment variables in the class
     * comment: what {@link Devices#open(String)} uses. A malformed value is an error naming the property.
     *
     * @return the configuration read from the environment of this JVM
     * @throws IllegalArgumentException when a property or variable is malformed (threads not a number or below
     *         1, tf32 not {@code true}/{@code false}, an unknown GEMM kernel)
     */
    public static DeviceConfig defaults() {
        return fromLookup(key -> {
            String p = System.getProperty(key);
            if (p != null && !p.isBlank()) return p;
            String env = System.getenv(key.toUpperCase(Locale.ROOT).replace('.', '_'));
            return env == null || env.isBlank() ? null : env;
        });
    }

    /** {@link #standard()} overridden by {@code lookup} (property name to value, null when unset). */
    static DeviceConfig fromLookup(UnaryOperator<String> lookup) {
        DeviceConfig c = STANDARD;
        String threads = lookup.apply(THREADS_PROPERTY);
        if (threads != null) {
            int n;
            try {
                n = Integer.parseInt(threads.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(THREADS_PROPERTY + "='" + threads + "' is not a number");
            }
            if (n < 1) throw new IllegalArgumentException(THREADS_PROPERTY + " must be at least 1, got " + n);
            c = c.withThreads(n);
        }
        String tf32 = lookup.apply(TF32_PROPERTY);
        if (tf32 != null) {
            String v = tf32.trim().toLowerCase(Locale.ROOT);
            if (!v.equals("true") && !v.equals("false")) {
                throw new IllegalArgumentException(TF32_PROPERTY + "='" + tf32 + "': expected true or false");
            }
            c = c.withTf32(v.equals("true"));
        }
        String kernel = lookup.apply(GEMM_KERNEL_PROPERTY);
        if (kernel != null) {
            try {
                c = c.withGemmKernel(GemmKernel.parse(kernel));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(GEMM_KERNEL_PROPERTY + "='" + kernel + "': expected auto, tiled, vector or tf32");
            }
        }
        String tiling = lookup.apply(GEMM_TILING_PROPERTY);
        if (tiling != null) c = c.withGemmTiling(tiling.trim());
        return c;
    }

    /**
     * This configuration with a different CPU thread count.
     *
     * @param threads worker threads for the CPU backend's kernels, 0 or more; 0 means one per available processor
     * @return a new configuration; this one is unchanged
     * @throws IllegalArgumentException when {@code threads} is negative
     */
    public DeviceConfig withThreads(int threads) {
        return new DeviceConfig(threads, tf32, gemmKernel, gemmTiling);
    }

    /**
     * This configuration with TF32 matrix products allowed or not. Only the CUDA backend accepts {@code true};
     * the others reject it when the device is opened.
     *
     * @param tf32 whether large matrix products may run on TF32 tensor cores
     * @return a new configuration; this one is unchanged
     */
    public DeviceConfig withTf32(boolean tf32) {
        return new DeviceConfig(threads, tf32, gemmKernel, gemmTiling);
    }

    /**
     * This configuration with a different way of choosing the GPU matrix-product kernel (ignored on the CPU).
     *
     * @param gemmKernel how GPU backends choose the kernel; must not be null
     * @return a new configuration; this one is unchanged
     * @throws IllegalArgumentException when {@code gemmKernel} is null
     */
    public DeviceConfig withGemmKernel(GemmKernel gemmKernel) {
        return new DeviceConfig(threads, tf32, gemmKernel, gemmTiling);
    }

    /**
     * This configuration with the OpenCL GEMM tiling fixed, for tuning on a new device (ignored by other backends).
     * The string is only checked by the OpenCL backend, when the device is opened.
     *
     * @param gemmTiling five comma-separated integers {@code "tileM,tileN,tileK,wptM,wptN"}, or null (or blank)
     *                   to let the device choose
     * @return a new configuration; this one is unchanged
     */
    public DeviceConfig withGemmTiling(String gemmTiling) {
        return new DeviceConfig(threads, tf32, gemmKernel, gemmTiling);
    }

    /**
     * {@link #threads()} resolved to an actual count.
     *
     * @return {@link #threads()} when positive, else {@link Runtime#availableProcessors()}
     */
    public int threadsOrProcessors() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }

    /**
     * The error a backend throws for {@code tf32} on a device that cannot do it: one line naming the device
     * and the fix in API terms. It is returned, not thrown, so that the backend throws it where it checks.
     *
     * @param deviceId the id of the device being opened, as in {@link DeviceInfo#id()}
     * @return the exception to throw
     */
    public IllegalArgumentException tf32Unsupported(String deviceId) {
        return new IllegalArgumentException("TF32 is a CUDA option but the device is '" + deviceId
                + "': open it with DeviceConfig.withTf32(false) (system property " + TF32_PROPERTY + ")");
    }
}
