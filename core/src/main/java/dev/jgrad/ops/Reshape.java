package dev.jgrad.ops;

import dev.jgrad.autograd.Node;
import dev.jgrad.device.Device;
import dev.jgrad.tensor.Tensor;

import java.util.Arrays;

/**
 * The same values under another shape (row-major order kept). A tensor owns its buffer, so this copies;
 * the layers that use it (flatten, unflatten) sit where activations are small.
 */
public final class Reshape {
    private Reshape() {}

    /**
     * Copies x's values, in row-major order, into a new tensor of another shape. Records the graph when
     * gradients are on for {@code x}.
     *
     * @param x     the input
     * @param shape the new shape; its sizes must multiply to x's number of elements (no {@code -1} inference)
     * @return a new tensor of {@code shape} on x's device
     * @throws IllegalArgumentException when {@code shape} holds a different number of elements than x
     */
    public static Tensor reshape(Tensor x, int... shape) {
        long size = 1;
        for (int s : shape) size *= s;
        if (size != x.size()) {
            throw new IllegalArgumentException("reshape: cannot view " + x.shapeString() + " (" + x.size() + " values) as "
                    + Arrays.toString(shape) + " (" + size + " values)");
        }
        Device d = x.device();
        Tensor y = Tensor.result(d, shape, Tensor.recording(x) ? new Backward(x) : null);
        d.kernels().copy(x.buffer(), y.buffer(), x.size());
        return y;
    }

    private static final class Backward extends Node {
        Backward(Tensor x) {
            super(x);
        }

        @Override
        public String name() {
            return "reshape";
        }

        @Override
        public void backward(Tensor y) {
            Tensor x = inputs()[0];
            Tensor.GradSlot slot = x.gradSlot();
            if (slot == null) return;
            if (slot.accumulate()) x.device().kernels().axpby(x.size(), 1f, y.gradBuffer(), 1f, slot.buffer());
            else x.device().kernels().copy(y.gradBuffer(), slot.buffer(), x.size());
        }
    }
}
