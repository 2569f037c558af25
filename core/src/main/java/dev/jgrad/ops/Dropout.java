package dev.jgrad.ops;

import dev.jgrad.autograd.Node;
import dev.jgrad.spi.BinaryOp;
import dev.jgrad.spi.Broadcast;
import dev.jgrad.spi.Buffer;
import dev.jgrad.device.Device;
import dev.jgrad.internal.DeviceMemory;
import dev.jgrad.tensor.Tensor;

/**
 * Inverted dropout: each element is zeroed with probability p and the survivors are scaled by 1/(1-p),
 * the mask drawn from the Philox stream of {@code seed} starting at element {@code offset} (see
 * {@link dev.jgrad.spi.DeviceKernels#dropout}), so the same (seed, offset) gives the same mask on every backend.
 */
public final class Dropout {
    private Dropout() {}

    /**
     * Applies inverted dropout to every element of {@code x} (for training; at evaluation simply do not call it).
     * Records the graph when gradients are on for {@code x}: the gradient is the output gradient times the mask.
     *
     * @param x      the input, of any shape
     * @param p      the probability of zeroing each element, in {@code [0, 1)}; 0 keeps every element
     * @param seed   the Philox key choosing the mask
     * @param offset the position in the seed's stream of the first element, so successive calls with one seed
     *               (advancing the offset by the elements used) draw independent masks
     * @return a new tensor of x's shape on x's device
     * @throws IllegalArgumentException when {@code p} is not in {@code [0, 1)} (NaN included)
     */
    public static Tensor dropout(Tensor x, float p, long seed, long offset) {
        if (!(p >= 0f && p < 1f)) throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        Device d = x.device();
        Tensor mask = Tensor.empty(d, x.shape());
        Tensor y = Tensor.result(d, x.shape(), Tensor.recording(x) ? new Backward(x, mask) : null);
        d.kernels().dropout(x.size(), seed, offset, p, x.buffer(), mask.buffer(), y.buffer());
        if (y.gradFn() == null) mask.close();
        return y;
    }

    /**
     * The mask {@link #dropout} applies for these arguments (1/(1-p) where kept, 0 where dropped): for tests
     * and tools that check masks agree across backends.
     *
     * @param d      the device whose dropout kernel draws the mask
     * @param n      the number of elements, 0 or more
     * @param p      the probability of dropping each element, in {@code [0, 1)} (not checked here)
     * @param seed   the Philox key, as for {@link #dropout}
     * @param offset the position in the seed's stream of the first element, as for {@link #dropout}
     * @return a new host array of {@code n} mask values
     */
    public static float[] mask(Device d, int n, float p, long seed, long offset) {
        DeviceMemory pool = d.memory();
        Buffer x = pool.take(n), m = pool.take(n), y = pool.take(n);
        try {
            d.kernels().fill(x, n, 1f);
            d.kernels().dropout(n, seed, offset, p, x, m, y);
            float[] out = new float[n];
            d.kernels().read(m, 0, out, 0, n);
            return out;
        } finally {
            pool.give(x);
            pool.give(m);
            pool.give(y);
        }
    }

    private static final class Backward extends Node {
        private final Tensor mask;

        Backward(Tensor x, Tensor mask) {
            super(x);
            this.mask = mask;
        }

        @Override
        public String name() {
            return "dropout";
        }

        @Override
        public void backward(Tensor y) {
            Tensor x = inputs()[0];
            Tensor.GradSlot slot = x.gradSlot();
            if (slot == null) return;
            Device d = x.device();
            int n = x.size();
            Broadcast full = Broadcast.full(n);
            if (!slot.accumulate()) {
                d.kernels().binary(BinaryOp.MUL, n, y.gradBuffer(), full, mask.buffer(), full, slot.buffer());
                return;
            }
            DeviceMemory pool = d.memory();
            Buffer t = pool.take(n);
            try {
                d.kernels().binary(BinaryOp.MUL, n, y.gradBuffer(), full, mask.buffer(), full, t);
                d.kernels().axpby(n, 1f, t, 1f, slot.buffer());
            } finally {
                pool.give(t);
            }
        }
    }
}
