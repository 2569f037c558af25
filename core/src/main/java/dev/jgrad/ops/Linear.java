package dev.jgrad.ops;

import dev.jgrad.autograd.Node;
import dev.jgrad.spi.Activations;
import dev.jgrad.spi.Buffer;
import dev.jgrad.device.Device;
import dev.jgrad.spi.UnaryOp;
import dev.jgrad.internal.DeviceMemory;
import dev.jgrad.tensor.Tensor;

/**
 * y = act(x W^T + b), PyTorch's layout (W is [out, in]), as one fused op: the forward is one GEMM with a
 * bias-and-activation epilogue, the backward one pass for act' and the bias gradient, then two GEMMs.
 * Activations whose derivative needs x (GELU) run as a separate elementwise op after the GEMM.
 */
public final class Linear {
    private Linear() {}

    /**
     * {@code act(x W^T + b)} as one op, recording the graph when gradients are on.
     *
     * @param x        the input, [batch, in]
     * @param w        the weight, [out, in]
     * @param b        the bias, [out], or null for none
     * @param act      the activation applied to the result ({@link UnaryOp#IDENTITY} for none)
     * @param actParam the activation's parameter (the slope of a leaky ReLU, ELU's alpha); ignored by activations
     *                 without one
     * @return the output, [batch, out]
     * @throws IllegalArgumentException if the shapes do not match as stated
     */
    public static Tensor linear(Tensor x, Tensor w, Tensor b, UnaryOp act, float actParam) {
        if (x.rank() != 2 || w.rank() != 2 || x.dim(1) != w.dim(1)) {
            throw new IllegalArgumentException("linear: input " + x.shapeString() + " does not match weight " + w.shapeString()
                    + " (expected [batch, " + w.dim(1) + "])");
        }
        if (b != null && (b.rank() != 1 || b.dim(0) != w.dim(0))) {
            throw new IllegalArgumentException("linear: bias " + b.shapeString() + " does not match weight " + w.shapeString());
        }
        if (!Activations.derivativeFromOutput(act, actParam)) {
            return Elementwise.unary(act, actParam, linear(x, w, b, UnaryOp.IDENTITY, 0f));
        }
        int batch = x.dim(0);
        int in = x.dim(1);
        int out = w.dim(0);
        Device d = x.device();
        Tensor y = Tensor.result(d, new int[]{batch, out},
                Tensor.recording(x, w, b) ? new Backward(x, w, b, act, actParam) : null);
        d.kernels().gemmBiasActivation(false, true, batch, out, in, x.buffer(), w.buffer(), b == null ? null : b.buffer(), act, actParam, y.buffer());
        return y;
    }

    private static final class Backward extends Node {
        private final UnaryOp act;
        private final float actParam;

        Backward(Tensor x, Tensor w, Tensor b, UnaryOp act, float actParam) {
            super(b == null ? new Tensor[]{x, w} : new Tensor[]{x, w, b});
            this.act = act;
            this.actParam = actParam;
        }

        @Override
        public String name() {
            return "linear+" + act.name().toLowerCase();
        }

        @Override
        public void backward(Tensor y) {
            Tensor x = inputs()[0];
            Tensor w = inputs()[1];
            Tensor b = inputs().length > 2 ? inputs()[2] : null;
            Device d = y.device();
            int batch = x.dim(0);
            int in = x.dim(1);
            int out = w.dim(0);
            Tensor.GradSlot gb = b == null ? null : b.gradSlot();
            DeviceMemory pool = d.memory();
            Buffer g = null;
            Buffer gy = y.gradBuffer();
            try {
                if (act == UnaryOp.IDENTITY) {
                    g = gy;
                    if (gb != null) d.kernels().reduceSum(1, batch, out, gy, gb.buffer(), 1f, gb.accumulate());
                } else {
                    g = pool.take(batch * out);
                    d.kernels().activationBackwardBiasGrad(act, actParam, batch, out, y.buffer(), gy, g,
                            gb == null ? null : gb.buffer(), gb != null && gb.accumulate());
                }
                // y = x W^T: the matmul gradients with transB.
                MatMul.gradients(d, x, w, false, true, batch, out, in, g);
            } finally {
                if (g != null && g != gy) pool.give(g);
            }
        }
    }
}
