package dev.jgrad.ops;

import dev.jgrad.autograd.Node;
import dev.jgrad.device.Device;
import dev.jgrad.tensor.Tensor;

/** C = op(A) op(B) for 2-D tensors, where op transposes when asked (without copying). */
public final class MatMul {
    private MatMul() {}

    /**
     * The matrix product {@code op(a) op(b)}, recording the graph when gradients are on.
     *
     * @param a      the left matrix, 2-D
     * @param b      the right matrix, 2-D
     * @param transA true to use a's transpose (no copy is made)
     * @param transB true to use b's transpose (no copy is made)
     * @return a new [m, n] tensor, m and n the outer dimensions of op(a) and op(b)
     * @throws IllegalArgumentException if a or b is not 2-D, or the inner dimensions differ
     */
    public static Tensor matmul(Tensor a, Tensor b, boolean transA, boolean transB) {
        if (a.rank() != 2 || b.rank() != 2) {
            throw new IllegalArgumentException("matmul needs 2-D tensors, got " + a.shapeString() + " and " + b.shapeString());
        }
        int m = transA ? a.dim(1) : a.dim(0);
        int k = transA ? a.dim(0) : a.dim(1);
        int kb = transB ? b.dim(1) : b.dim(0);
        int n = transB ? b.dim(0) : b.dim(1);
        if (k != kb) {
            throw new IllegalArgumentException("matmul: inner dimensions differ: " + a.shapeString() + (transA ? "^T" : "")
                    + " x " + b.shapeString() + (transB ? "^T" : ""));
        }
        Device d = a.device();
        Tensor c = Tensor.result(d, new int[]{m, n}, Tensor.recording(a, b) ? new Backward(a, b, transA, transB, m, n, k) : null);
        d.kernels().gemm(transA, transB, m, n, k, a.buffer(), b.buffer(), c.buffer(), false);
        return c;
    }

    private static final class Backward extends Node {
        private final boolean ta;
        private final boolean tb;
        private final int m;
        private final int n;
        private final int k;

        Backward(Tensor a, Tensor b, boolean ta, boolean tb, int m, int n, int k) {
            super(a, b);
            this.ta = ta;
            this.tb = tb;
            this.m = m;
            this.n = n;
            this.k = k;
        }

        @Override
        public void backward(Tensor out) {
            gradients(out.device(), inputs()[0], inputs()[1], ta, tb, m, n, k, out.gradBuffer());
        }
    }

    /** dA and dB of C = op(A) op(B) given dC, written into the inputs' gradient slots. */
    static void gradients(Device d, Tensor a, Tensor b, boolean ta, boolean tb, int m, int n, int k,
                          dev.jgrad.spi.Buffer gc) {
        Tensor.GradSlot ga = a.gradSlot();
        if (ga != null) {
            if (!ta) d.kernels().gemm(false, !tb, m, k, n, gc, b.buffer(), ga.buffer(), ga.accumulate());   // dC op(B)^T
            else d.kernels().gemm(tb, true, k, m, n, b.buffer(), gc, ga.buffer(), ga.accumulate());        // op(B) dC^T
        }
        Tensor.GradSlot gb = b.gradSlot();
        if (gb != null) {
            if (!tb) d.kernels().gemm(!ta, false, k, n, m, a.buffer(), gc, gb.buffer(), gb.accumulate());  // op(A)^T dC
            else d.kernels().gemm(true, ta, n, k, m, gc, a.buffer(), gb.buffer(), gb.accumulate());        // dC^T op(A)
        }
    }
}
