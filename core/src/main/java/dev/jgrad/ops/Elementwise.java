package dev.jgrad.ops;

import dev.jgrad.autograd.Node;
import dev.jgrad.spi.BinaryOp;
import dev.jgrad.spi.Broadcast;
import dev.jgrad.spi.Buffer;
import dev.jgrad.device.Device;
import dev.jgrad.spi.UnaryOp;
import dev.jgrad.internal.DeviceMemory;
import dev.jgrad.tensor.Tensor;

import java.util.Arrays;

/** Elementwise functions of one tensor and of two tensors with NumPy-style broadcasting. */
public final class Elementwise {
    private Elementwise() {}

    /**
     * Applies a function to every element (ReLU, sigmoid, exp, ...). Records the graph when gradients are on
     * for {@code x}.
     *
     * @param op    the function
     * @param param the function's parameter (such as a leaky ReLU's slope); ignored by functions without one
     * @param x     the input, of any shape
     * @return a new tensor of x's shape on x's device
     */
    public static Tensor unary(UnaryOp op, float param, Tensor x) {
        Device d = x.device();
        Tensor y = Tensor.result(d, x.shape(), Tensor.recording(x) ? new UnaryBackward(op, param, x) : null);
        d.kernels().unary(op, param, x.size(), x.buffer(), y.buffer());
        return y;
    }

    private static final class UnaryBackward extends Node {
        private final UnaryOp op;
        private final float param;

        UnaryBackward(UnaryOp op, float param, Tensor x) {
            super(x);
            this.op = op;
            this.param = param;
        }

        @Override
        public String name() {
            return op.name().toLowerCase();
        }

        @Override
        public void backward(Tensor out) {
            Tensor x = inputs()[0];
            Tensor.GradSlot slot = x.gradSlot();
            if (slot == null) return;
            x.device().kernels().unaryBackward(op, param, x.size(), x.buffer(), out.buffer(), out.gradBuffer(), slot.buffer(), slot.accumulate());
        }
    }

    /**
     * Elementwise {@code a + b}, with broadcasting as for {@link #binary}.
     *
     * @param a the left operand
     * @param b the right operand, on a's device
     * @return a new tensor of the broadcast shape
     * @throws IllegalArgumentException when the tensors are on different devices or the shapes do not broadcast
     * @throws UnsupportedOperationException when an operand's non-1 axes are not consecutive, see {@link #binary}
     */
    public static Tensor add(Tensor a, Tensor b) {
        return binary(BinaryOp.ADD, a, b);
    }

    /**
     * Elementwise {@code a - b}, with broadcasting as for {@link #binary}.
     *
     * @param a the left operand
     * @param b the right operand, on a's device
     * @return a new tensor of the broadcast shape
     * @throws IllegalArgumentException when the tensors are on different devices or the shapes do not broadcast
     * @throws UnsupportedOperationException when an operand's non-1 axes are not consecutive, see {@link #binary}
     */
    public static Tensor sub(Tensor a, Tensor b) {
        return binary(BinaryOp.SUB, a, b);
    }

    /**
     * Elementwise {@code a * b}, with broadcasting as for {@link #binary}.
     *
     * @param a the left operand
     * @param b the right operand, on a's device
     * @return a new tensor of the broadcast shape
     * @throws IllegalArgumentException when the tensors are on different devices or the shapes do not broadcast
     * @throws UnsupportedOperationException when an operand's non-1 axes are not consecutive, see {@link #binary}
     */
    public static Tensor mul(Tensor a, Tensor b) {
        return binary(BinaryOp.MUL, a, b);
    }

    /**
     * Elementwise {@code a / b}, with broadcasting as for {@link #binary}; division by zero gives IEEE
     * infinities or NaN.
     *
     * @param a the dividend
     * @param b the divisor, on a's device
     * @return a new tensor of the broadcast shape
     * @throws IllegalArgumentException when the tensors are on different devices or the shapes do not broadcast
     * @throws UnsupportedOperationException when an operand's non-1 axes are not consecutive, see {@link #binary}
     */
    public static Tensor div(Tensor a, Tensor b) {
        return binary(BinaryOp.DIV, a, b);
    }

    /**
     * Applies a two-operand function elementwise with NumPy-style broadcasting: shapes are right-aligned and
     * each pair of dimensions must be equal or one of them 1. Each operand's dimensions other than 1 must be
     * consecutive once aligned and match the broadcast shape there: a bias [f] against [n, f] or [c, 1, 1]
     * against [n, c, h, w] works, [c, 1, w] against [n, c, h, w] does not. Records the graph when
     * gradients are on for either operand; gradients of broadcast operands are summed over the broadcast axes.
     *
     * @param op the function: add, subtract, multiply or divide
     * @param a  the left operand
     * @param b  the right operand, on a's device
     * @return a new tensor of the broadcast shape on the operands' device
     * @throws IllegalArgumentException      when the tensors are on different devices or the shapes do not broadcast
     * @throws UnsupportedOperationException when an operand's non-1 axes are not consecutive in the broadcast shape
     */
    public static Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        if (a.device() != b.device()) {
            throw new IllegalArgumentException(op + ": tensors are on different devices (" + a.device().info().id()
                    + ", " + b.device().info().id() + ")");
        }
        int[] shape = broadcastShape(a.shape(), b.shape());
        int n = sizeOf(shape);
        Broadcast ab = broadcastOf(a.shape(), shape);
        Broadcast bb = broadcastOf(b.shape(), shape);
        Device d = a.device();
        Tensor out = Tensor.result(d, shape, Tensor.recording(a, b) ? new BinaryBackward(op, a, ab, b, bb, n) : null);
        d.kernels().binary(op, n, a.buffer(), ab, b.buffer(), bb, out.buffer());
        return out;
    }

    private static final class BinaryBackward extends Node {
        private final BinaryOp op;
        private final Broadcast ab;
        private final Broadcast bb;
        private final int n;

        BinaryBackward(BinaryOp op, Tensor a, Broadcast ab, Tensor b, Broadcast bb, int n) {
            super(a, b);
            this.op = op;
            this.ab = ab;
            this.bb = bb;
            this.n = n;
        }

        @Override
        public String name() {
            return op.name().toLowerCase();
        }

        @Override
        public void backward(Tensor out) {
            Tensor a = inputs()[0];
            Tensor b = inputs()[1];
            Device d = out.device();
            Buffer g = out.gradBuffer();
            Broadcast full = Broadcast.full(n);
            switch (op) {
                case ADD -> {
                    if (a.requiresGrad()) Grads.reduceInto(a, ab, n, g, 1f);
                    if (b.requiresGrad()) Grads.reduceInto(b, bb, n, g, 1f);
                }
                case SUB -> {
                    if (a.requiresGrad()) Grads.reduceInto(a, ab, n, g, 1f);
                    if (b.requiresGrad()) Grads.reduceInto(b, bb, n, g, -1f);
                }
                case MUL -> {
                    DeviceMemory pool = d.memory();
                    Buffer t = pool.take(n);
                    try {
                        if (a.requiresGrad()) {
                            d.kernels().binary(BinaryOp.MUL, n, g, full, b.buffer(), bb, t);
                            Grads.reduceInto(a, ab, n, t, 1f);
                        }
                        if (b.requiresGrad()) {
                            d.kernels().binary(BinaryOp.MUL, n, g, full, a.buffer(), ab, t);
                            Grads.reduceInto(b, bb, n, t, 1f);
                        }
                    } finally {
                        pool.give(t);
                    }
                }
                case DIV -> {
                    DeviceMemory pool = d.memory();
                    Buffer t = pool.take(n);
                    try {
                        if (a.requiresGrad()) {
                            d.kernels().binary(BinaryOp.DIV, n, g, full, b.buffer(), bb, t);
                            Grads.reduceInto(a, ab, n, t, 1f);
                        }
                        if (b.requiresGrad()) {
                            // d(a/b)/db = -(a/b)/b = -out/b
                            d.kernels().binary(BinaryOp.MUL, n, g, full, out.buffer(), full, t);
                            d.kernels().binary(BinaryOp.DIV, n, t, full, b.buffer(), bb, t);
                            Grads.reduceInto(b, bb, n, t, -1f);
                        }
                    } finally {
                        pool.give(t);
                    }
                }
            }
        }
    }

    /** NumPy broadcasting: shapes are right-aligned; each pair of dimensions is equal or one of them is 1. */
    static int[] broadcastShape(int[] a, int[] b) {
        int r = Math.max(a.length, b.length);
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int da = i < r - a.length ? 1 : a[i - (r - a.length)];
            int db = i < r - b.length ? 1 : b[i - (r - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("shapes " + Arrays.toString(a) + " and " + Arrays.toString(b) + " do not broadcast");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** The (div, mod) indexing of an operand of shape {@code s} broadcast to {@code out}. */
    static Broadcast broadcastOf(int[] s, int[] out) {
        int r = out.length;
        int[] p = new int[r];
        Arrays.fill(p, 1);
        System.arraycopy(s, 0, p, r - s.length, s.length);
        int first = -1;
        int last = -1;
        for (int i = 0; i < r; i++) {
            if (p[i] != 1) {
                if (first < 0) first = i;
                last = i;
            }
        }
        if (first < 0) return new Broadcast(1, 1);
        for (int i = first; i <= last; i++) {
            if (p[i] != out[i]) {
                throw new UnsupportedOperationException("broadcasting " + Arrays.toString(s) + " to " + Arrays.toString(out)
                        + " needs its non-1 axes to be consecutive");
            }
        }
        int div = 1;
        for (int i = last + 1; i < r; i++) div *= out[i];
        int mod = 1;
        for (int i = first; i <= last; i++) mod *= p[i];
        return new Broadcast(div, mod);
    }

    static int sizeOf(int[] shape) {
        int n = 1;
        for (int d : shape) n *= d;
        return n;
    }
}
