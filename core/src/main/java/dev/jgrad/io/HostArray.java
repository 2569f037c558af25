package dev.jgrad.io;

import java.util.Arrays;

/**
 * A float32 array on the host with its shape, row-major: what a file holds for one named tensor.
 *
 * @param shape  the dimensions (copied), each 0 or more
 * @param values the values, row-major; exactly as many as the shape has elements
 */
public record HostArray(int[] shape, float[] values) {
    /**
     * Checks the shape against the values.
     *
     * @throws IllegalArgumentException when a dimension is negative or the values' count is not the shape's
     */
    public HostArray {
        shape = shape.clone();
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            n *= d;
        }
        if (n != values.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got " + values.length);
        }
    }

    /** {@return a copy of the dimensions} */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** {@return the shape as text, e.g. {@code [10, 64]}} */
    public String shapeString() {
        return Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostArray h && Arrays.equals(shape, h.shape) && Arrays.equals(values, h.values);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "HostArray" + shapeString();
    }
}
