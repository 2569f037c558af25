package dev.jgrad.ops;

import dev.jgrad.autograd.Node;
import dev.jgrad.spi.Activations;
import dev.jgrad.spi.Buffer;
import dev.jgrad.spi.ConvGeometry;
import dev.jgrad.device.Device;
import dev.jgrad.spi.UnaryOp;
import dev.jgrad.internal.DeviceMemory;
import dev.jgrad.tensor.Tensor;

/**
 * 2-D convolution (PyTorch's {@code conv2d}, cross-correlation) of x [n, c, h, w] with a weight
 * [f, c, kh, kw] and an optional bias [f]. A device with its own convolution kernels
 * ({@link dev.jgrad.spi.DeviceKernels#hasConv2d}) runs them; on the others it is im2col + one GEMM over the whole batch:
 * patches [n*oh*ow, c*kh*kw] times weight^T gives [n, oh*ow, f] with the bias added in the GEMM's
 * epilogue, and a batched transpose gives the [n, f, oh, ow] output. The backward pass is the two
 * GEMMs of a dense layer plus col2im; the patches are kept from the forward pass. An activation whose
 * derivative follows from its output (ReLU, ...) is fused into the GEMM's epilogue, as for dense layers.
 */
public final class Conv {
    private Conv() {}

    /**
     * Output size of a convolution or pooling window along one axis: {@code (in + 2*pad - k)/stride + 1},
     * rounding down (windows that would run past the padded input are dropped).
     *
     * @param in     the input size along the axis
     * @param k      the kernel (window) size along the axis
     * @param stride the step between windows; at least 1
     * @param pad    the zero padding on each side; 0 or more
     * @return the number of output positions; meaningless (0 or less) when the window does not fit
     */
    public static int outputSize(int in, int k, int stride, int pad) {
        return (in + 2 * pad - k) / stride + 1;
    }

    /**
     * 2-D convolution with no activation: y[n, f, oh, ow] is the sum over channels and kernel positions of
     * the padded input times the weight, plus the bias; oh and ow are given by {@link #outputSize}. Records the
     * graph when gradients are on for any of x, w or b.
     *
     * @param x        the input [n, c, h, w]: batch, channels, height, width
     * @param w        the weight [f, c, kh, kw]: filters, channels (as in {@code x}), kernel height and width
     * @param b        the bias [f], one per filter, or null for none
     * @param stride   the step between patches, the same along height and width; at least 1
     * @param pad      zero rows and columns added on each side of the input, the same along height and width;
     *                 0 or more, and the padded input must be at least as large as the kernel
     * @return the output [n, f, oh, ow] on x's device
     * @throws IllegalArgumentException when the shapes do not match (x and w not rank 4, channels differ, bias
     *         not [f]), {@code stride < 1}, {@code pad < 0}, or the kernel does not fit the padded input
     */
    public static Tensor conv2d(Tensor x, Tensor w, Tensor b, int stride, int pad) {
        return conv2d(x, w, b, stride, pad, UnaryOp.IDENTITY, 0f);
    }

    /**
     * {@code act(conv2d(x, w, b))}: the convolution followed by an activation, fused into the same kernel when
     * the activation's derivative follows from its output (ReLU, ...); other activations run as a separate
     * elementwise op on the convolution's output.
     *
     * @param x        the input [n, c, h, w]: batch, channels, height, width
     * @param w        the weight [f, c, kh, kw]: filters, channels (as in {@code x}), kernel height and width
     * @param b        the bias [f], one per filter, or null for none
     * @param stride   the step between patches, the same along height and width; at least 1
     * @param pad      zero rows and columns added on each side of the input, the same along height and width;
     *                 0 or more, and the padded input must be at least as large as the kernel
     * @param act      the activation applied to every output element; {@link UnaryOp#IDENTITY} for none
     * @param actParam the activation's parameter (such as a leaky ReLU's slope); ignored by activations without one
     * @return the activated output [n, f, oh, ow] on x's device
     * @throws IllegalArgumentException when the shapes do not match (x and w not rank 4, channels differ, bias
     *         not [f]), {@code stride < 1}, {@code pad < 0}, or the kernel does not fit the padded input
     */
    public static Tensor conv2d(Tensor x, Tensor w, Tensor b, int stride, int pad, UnaryOp act, float actParam) {
        if (!Activations.derivativeFromOutput(act, actParam)) {
            return Elementwise.unary(act, actParam, conv2d(x, w, b, stride, pad, UnaryOp.IDENTITY, 0f));
        }
        if (x.rank() != 4 || w.rank() != 4 || x.dim(1) != w.dim(1)) {
            throw new IllegalArgumentException("conv2d: input " + x.shapeString() + " does not match weight " + w.shapeString()
                    + " (expected [batch, " + w.dim(1) + ", height, width])");
        }
        if (b != null && (b.rank() != 1 || b.dim(0) != w.dim(0))) {
            throw new IllegalArgumentException("conv2d: bias " + b.shapeString() + " does not match weight " + w.shapeString());
        }
        if (stride < 1 || pad < 0) throw new IllegalArgumentException("conv2d: stride must be >= 1 and padding >= 0");
        if (x.dim(2) + 2 * pad < w.dim(2) || x.dim(3) + 2 * pad < w.dim(3)) {
            throw new IllegalArgumentException("conv2d: a " + w.dim(2) + "x" + w.dim(3) + " kernel with padding " + pad
                    + " does not fit input " + x.shapeString());
        }
        ConvGeometry g = new ConvGeometry(x.dim(0), x.dim(1), x.dim(2), x.dim(3), w.dim(0), w.dim(2), w.dim(3),
                stride, stride, pad, pad);
        Device d = x.device();
        boolean record = Tensor.recording(x, w, b);
        int[] shape = {g.n(), g.f(), g.oh(), g.ow()};
        if (d.kernels().hasConv2d()) {
            Tensor y = Tensor.result(d, shape, record ? new Backward(x, w, b, null, g, act, actParam) : null);
            d.kernels().conv2d(g, x.buffer(), w.buffer(), b == null ? null : b.buffer(), act, actParam, y.buffer());
            return y;
        }
        int rows = g.n() * g.oh() * g.ow();
        Tensor cols = Tensor.empty(d, rows, g.patch());
        d.kernels().im2col(g.n(), g.c(), g.h(), g.w(), g.kh(), g.kw(), stride, stride, pad, pad, x.buffer(), cols.buffer());
        Tensor y = Tensor.result(d, shape, record ? new Backward(x, w, b, cols, g, act, actParam) : null);
        DeviceMemory pool = d.memory();
        Buffer rowsOut = pool.take(rows * g.f());
        try {
            d.kernels().gemmBiasActivation(false, true, rows, g.f(), g.patch(), cols.buffer(), w.buffer(), b == null ? null : b.buffer(),
                    act, actParam, rowsOut);
            d.kernels().batchTranspose(g.n(), g.oh() * g.ow(), g.f(), rowsOut, y.buffer());
        } finally {
            pool.give(rowsOut);
        }
        if (y.gradFn() == null) cols.close();
        return y;
    }

    private static final class Backward extends Node {
        /** The forward pass's patches; null where the device's own conv2d kernels run. */
        private final Tensor cols;
        private final ConvGeometry g;
        private final UnaryOp act;
        private final float actParam;

        Backward(Tensor x, Tensor w, Tensor b, Tensor cols, ConvGeometry g, UnaryOp act, float actParam) {
            super(b == null ? new Tensor[]{x, w} : new Tensor[]{x, w, b});
            this.cols = cols;
            this.g = g;
            this.act = act;
            this.actParam = actParam;
        }

        @Override
        public String name() {
            return act == UnaryOp.IDENTITY ? "conv2d" : "conv2d+" + act.name().toLowerCase();
        }

        @Override
        public void backward(Tensor y) {
            Tensor x = inputs()[0];
            Tensor w = inputs()[1];
            Tensor b = inputs().length > 2 ? inputs()[2] : null;
            Device d = y.device();
            int rows = g.n() * g.oh() * g.ow();
            int ckk = g.patch();
            int f = g.f();
            DeviceMemory pool = d.memory();
            Buffer gRows = null;
            Buffer gPre = null;
            try {
                Buffer gy = y.gradBuffer();
                if (act != UnaryOp.IDENTITY) {
                    // gy * act'(y), elementwise, so layout does not matter: the epilogue kernel on one long row
                    gPre = pool.take(rows * f);
                    d.kernels().activationBackwardBiasGrad(act, actParam, 1, rows * f, y.buffer(), gy, gPre, null, false);
                    gy = gPre;
                }
                Tensor.GradSlot gb = b == null ? null : b.gradSlot();
                Tensor.GradSlot gw = w.gradSlot();
                Tensor.GradSlot gx = x.gradSlot();
                if (cols == null) {
                    d.kernels().conv2dBackward(g, x.buffer(), w.buffer(), gy, gx == null ? null : gx.buffer(), gx != null && gx.accumulate(),
                            gw == null ? null : gw.buffer(), gw != null && gw.accumulate(),
                            gb == null ? null : gb.buffer(), gb != null && gb.accumulate());
                    return;
                }
                gRows = pool.take(rows * f);
                d.kernels().batchTranspose(g.n(), f, g.oh() * g.ow(), gy, gRows);     // [n, f, ohw] -> [n*ohw, f]
                if (gb != null) d.kernels().reduceSum(1, rows, f, gRows, gb.buffer(), 1f, gb.accumulate());
                if (gw != null) d.kernels().gemm(true, false, f, ckk, rows, gRows, cols.buffer(), gw.buffer(), gw.accumulate());
                if (gx != null) {
                    Buffer gCols = pool.take(rows * ckk);
                    try {
                        d.kernels().gemm(false, false, rows, ckk, f, gRows, w.buffer(), gCols, false);
                        d.kernels().col2im(g.n(), g.c(), g.h(), g.w(), g.kh(), g.kw(), g.strideH(), g.strideW(), g.padH(), g.padW(),
                                gCols, gx.buffer(), gx.accumulate());
                    } finally {
                        pool.give(gCols);
                    }
                }
            } finally {
                if (gRows != null) pool.give(gRows);
                if (gPre != null) pool.give(gPre);
            }
        }
    }
}
