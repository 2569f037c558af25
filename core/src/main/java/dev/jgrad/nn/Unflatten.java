package dev.jgrad.nn;

import dev.jgrad.ops.Reshape;
import dev.jgrad.tensor.Tensor;

import java.util.Arrays;

/**
 * Rows of features [batch, c*h*w] to images [batch, c, h, w] (PyTorch's {@code nn.Unflatten(1, shape)}):
 * datasets hold flat rows, convolutions want images.
 */
public final class Unflatten extends Module {
    private final int[] shape;

    /**
     * An unflatten layer.
     *
     * @param shape the shape of one example after the batch axis, e.g. {@code 1, 28, 28}; every entry 1 or
     *              more, their product equal to the input's row length
     * @throws IllegalArgumentException when the shape is empty or has an entry below 1
     */
    public Unflatten(int... shape) {
        if (shape.length == 0) throw new IllegalArgumentException("Unflatten needs a shape");
        for (int s : shape) if (s < 1) throw new IllegalArgumentException("Unflatten shape must be positive, got " + Arrays.toString(shape));
        this.shape = shape.clone();
    }

    /** {@return a copy of the shape of one example after the batch axis} */
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public Tensor forward(Tensor x) {
        int[] full = new int[shape.length + 1];
        full[0] = x.dim(0);
        System.arraycopy(shape, 0, full, 1, shape.length);
        return Reshape.reshape(x, full);
    }

    @Override
    public String describe() {
        StringBuilder s = new StringBuilder("unflatten(");
        for (int i = 0; i < shape.length; i++) s.append(i > 0 ? "x" : "").append(shape[i]);
        return s.append(")").toString();
    }
}
