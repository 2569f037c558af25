package dev.jgrad.ops;

import dev.jgrad.autograd.Node;
import dev.jgrad.device.Device;
import dev.jgrad.tensor.Tensor;

/** Sums and means, over everything or over one axis. */
public final class Reductions {
    private Reductions() {}

    /**
     * The sum of every element. Records the graph when gradients are on for {@code x}.
     *
     * @param x the input, of any shape
     * @return a scalar tensor (shape []) on x's device
     */
    public static Tensor sum(Tensor x) {
        return reduce(x, 1, x.size(), 1, new int[0], 1f);
    }

    /**
     * The mean of every element. Records the graph when gradients are on for {@code x}.
     *
     * @param x the input, of any shape; an empty tensor gives NaN
     * @return a scalar tensor (shape []) on x's device
     */
    public static Tensor mean(Tensor x) {
        return reduce(x, 1, x.size(), 1, new int[0], 1f / x.size());
    }

    /**
     * The sum along one axis, which is removed from the shape (no {@code keepdim}): [a, b, c] summed over axis 1
     * gives [a, c]. Records the graph when gradients are on for {@code x}.
     *
     * @param x    the input, of rank 1 or more
     * @param axis the axis to sum over, from 0; negative values count from the end (-1 is the last axis)
     * @return a new tensor of rank one less than x's, on x's device
     * @throws IllegalArgumentException when {@code axis} is out of range for x's rank
     */
    public static Tensor sum(Tensor x, int axis) {
        return alongAxis(x, axis, false);
    }

    /**
     * The mean along one axis, which is removed from the shape (no {@code keepdim}). Records the graph when
     * gradients are on for {@code x}.
     *
     * @param x    the input, of rank 1 or more
     * @param axis the axis to average over, from 0; negative values count from the end (-1 is the last axis)
     * @return a new tensor of rank one less than x's, on x's device
     * @throws IllegalArgumentException when {@code axis} is out of range for x's rank
     */
    public static Tensor mean(Tensor x, int axis) {
        return alongAxis(x, axis, true);
    }

    private static Tensor alongAxis(Tensor x, int axis, boolean mean) {
        int[] s = x.shape();
        int ax = axis < 0 ? s.length + axis : axis;
        if (ax < 0 || ax >= s.length) throw new IllegalArgumentException("axis " + axis + " out of range for shape " + x.shapeString());
        int outer = 1;
        for (int i = 0; i < ax; i++) outer *= s[i];
        int inner = 1;
        for (int i = ax + 1; i < s.length; i++) inner *= s[i];
        int[] outShape = new int[s.length - 1];
        for (int i = 0, j = 0; i < s.length; i++) if (i != ax) outShape[j++] = s[i];
        return reduce(x, outer, s[ax], inner, outShape, mean ? 1f / s[ax] : 1f);
    }

    private static Tensor reduce(Tensor x, int outer, int r, int inner, int[] outShape, float scale) {
        Device d = x.device();
        Tensor y = Tensor.result(d, outShape, Tensor.recording(x) ? new Backward(x, outer, r, inner, scale) : null);
        d.kernels().reduceSum(outer, r, inner, x.buffer(), y.buffer(), scale, false);
        return y;
    }

    private static final class Backward extends Node {
        private final int outer;
        private final int r;
        private final int inner;
        private final float scale;

        Backward(Tensor x, int outer, int r, int inner, float scale) {
            super(x);
            this.outer = outer;
            this.r = r;
            this.inner = inner;
            this.scale = scale;
        }

        @Override
        public String name() {
            return "sum";
        }

        @Override
        public void backward(Tensor out) {
            Tensor x = inputs()[0];
            Tensor.GradSlot slot = x.gradSlot();
            if (slot == null) return;
            x.device().kernels().expand(outer, r, inner, out.gradBuffer(), slot.buffer(), scale, slot.accumulate());
        }
    }
}
