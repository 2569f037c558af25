package dev.jgrad.kernels;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The kernel sources packaged in this module. Each {@code .cl} file is written once in the dialect of
 * {@code prelude_opencl.h} / {@code prelude_cuda.h}; OpenCL compiles each file as its own program at
 * run time, while the build compiled all of them ahead of time into one CUDA fat binary (when nvcc was found).
 */
public final class KernelSource {
    private static final String ROOT = "/dev/jgrad/kernels/";
    /** Work-items per row in the row kernels (softmax, losses, row sums); must match ROW_GROUP in the .cl files. */
    public static final int ROW_GROUP = 128;
    /**
     * CUDA-only sources (not OpenCL C, so not a {@link File}), compiled into the fat binary only, and the
     * kernels each defines.
     */
    public static final java.util.Map<String, List<String>> CUDA_ONLY = java.util.Map.of("gemm_tf32.cu", List.of(GemmLaunch.TF32_KERNEL));
    /** Resource name of the fat binary that build-cuda-kernels.sh writes. */
    public static final String CUDA_FATBIN = ROOT + "cuda/jgrad_kernels.fatbin";

    /** Every kernel file, and the kernels each defines. */
    public enum File {
        ELEMENTWISE("elementwise.cl", "jg_fill", "jg_copy", "jg_axpby", "jg_unary", "jg_unary_backward", "jg_binary",
                "jg_expand", "jg_activation_backward", "jg_clamp"),
        REDUCE("reduce.cl", "jg_reduce_rows", "jg_reduce_columns"),
        SOFTMAX("softmax.cl", "jg_softmax", "jg_softmax_backward", "jg_softmax_cross_entropy",
                "jg_softmax_cross_entropy_backward", "jg_log_softmax", "jg_log_softmax_backward"),
        LOSSES("losses.cl", "jg_bce_with_logits", "jg_bce_with_logits_backward", "jg_huber_loss", "jg_huber_loss_backward"),
        /** One kernel per tiling, named by {@link GemmTiling#kernelName()}. */
        GEMM("gemm.cl"),
        /** The vectorized, double-buffered SGEMM for large products ({@link GemmLaunch}). */
        GEMM_VEC("gemm_vec.cl", GemmLaunch.VECTOR_KERNEL),
        CONV("conv.cl", "jg_im2col", "jg_col2im", "jg_batch_transpose"),
        POOL("pool.cl", "jg_max_pool", "jg_max_pool_backward", "jg_avg_pool", "jg_avg_pool_backward"),
        BATCHNORM("batchnorm.cl", "jg_bn_stats", "jg_bn_forward", "jg_bn_backward"),
        DROPOUT("dropout.cl", "jg_dropout"),
        GATHER("gather.cl", "jg_gather_rows"),
        OPTIM("optim.cl", "jg_sgd_step", "jg_adam_step", "jg_rmsprop_step", "jg_adagrad_step");

        private final String fileName;
        private final List<String> kernels;

        File(String fileName, String... kernels) {
            this.fileName = fileName;
            this.kernels = List.of(kernels);
        }

        public String fileName() {
            return fileName;
        }

        public List<String> kernels() {
            return kernels;
        }

        /** The file that defines {@code kernel}. */
        public static File defining(String kernel) {
            for (File f : values()) if (f.kernels.contains(kernel)) return f;
            if (kernel.startsWith(GemmTiling.KERNEL_PREFIX)) return GEMM;
            throw new IllegalArgumentException("no kernel file defines " + kernel);
        }
    }

    private KernelSource() {}

    /** The text of one packaged resource (a kernel file or a header). */
    public static String text(String name) {
        try (InputStream in = KernelSource.class.getResourceAsStream(ROOT + name)) {
            if (in == null) throw new IllegalStateException("kernel resource " + ROOT + name + " is missing from the class path");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read kernel resource " + name, e);
        }
    }

    /**
     * A complete OpenCL C program: the OpenCL prelude, the shared helpers, then the file, restarted at
     * line 1 so that build logs point at the file's own lines.
     */
    public static String openClProgram(File file) {
        return text("prelude_opencl.h") + "\n" + text("common.h") + "\n#line 1\n" + text(file.fileName());
    }

    /** The CUDA fat binary compiled at build time, or empty when the build had no nvcc. */
    public static Optional<byte[]> cudaFatbin() {
        try (InputStream in = KernelSource.class.getResourceAsStream(CUDA_FATBIN)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + CUDA_FATBIN, e);
        }
    }
}
