package dev.jgrad.ops;

import dev.jgrad.autograd.Node;
import dev.jgrad.device.Device;
import dev.jgrad.tensor.Tensor;

/** Max and average pooling of x [n, c, h, w] over k x k windows (PyTorch's {@code max_pool2d}, {@code avg_pool2d}). */
public final class Pool {
    private Pool() {}

    /**
     * Max pooling: each output is the largest input in its {@code k x k} window, per channel. Records the graph when gradients are on for {@code x}; the gradient goes to the position of each
     * window's maximum.
     *
     * @param x      the input [n, c, h, w]: batch, channels, height, width
     * @param k      the window's size, the same along height and width; at least 1
     * @param stride the step between windows along both axes; at least 1
     * @param pad    the padding on each side along both axes, from 0 to {@code k/2}
     * @return a new tensor [n, c, oh, ow] on x's device, oh and ow as {@link Conv#outputSize} gives them
     * @throws IllegalArgumentException when x is not rank 4, the sizes are out of range, or the window does not
     *         fit the padded input
     */
    public static Tensor maxPool2d(Tensor x, int k, int stride, int pad) {
        int[] out = outputShape("maxPool2d", x, k, stride, pad);
        Device d = x.device();
        int planes = x.dim(0) * x.dim(1);
        Tensor indices = Tensor.empty(d, out);
        Tensor y = Tensor.result(d, out, Tensor.recording(x) ? new MaxBackward(x, indices, k, stride, pad) : null);
        d.kernels().maxPool2d(planes, x.dim(2), x.dim(3), k, stride, pad, x.buffer(), y.buffer(), indices.buffer());
        if (y.gradFn() == null) indices.close();
        return y;
    }

    /**
     * Average pooling: each output is the mean of the inputs in its {@code k x k} window, per channel. Records
     * the graph when gradients are on for {@code x}.
     *
     * @param x      the input [n, c, h, w]: batch, channels, height, width
     * @param k      the window's size, the same along height and width; at least 1
     * @param stride the step between windows along both axes; at least 1
     * @param pad    the padding on each side along both axes, from 0 to {@code k/2}
     * @return a new tensor [n, c, oh, ow] on x's device, oh and ow as {@link Conv#outputSize} gives them
     * @throws IllegalArgumentException when x is not rank 4, the sizes are out of range, or the window does not
     *         fit the padded input
     */
    public static Tensor avgPool2d(Tensor x, int k, int stride, int pad) {
        int[] out = outputShape("avgPool2d", x, k, stride, pad);
        Device d = x.device();
        Tensor y = Tensor.result(d, out, Tensor.recording(x) ? new AvgBackward(x, k, stride, pad) : null);
        d.kernels().avgPool2d(x.dim(0) * x.dim(1), x.dim(2), x.dim(3), k, stride, pad, x.buffer(), y.buffer());
        return y;
    }

    private static int[] outputShape(String op, Tensor x, int k, int stride, int pad) {
        if (x.rank() != 4) throw new IllegalArgumentException(op + ": input must be [batch, channels, height, width], got " + x.shapeString());
        if (k < 1 || stride < 1 || pad < 0 || pad > k / 2) {
            throw new IllegalArgumentException(op + ": needs kernel >= 1, stride >= 1 and 0 <= padding <= kernel/2, got kernel "
                    + k + ", stride " + stride + ", padding " + pad);
        }
        int oh = Conv.outputSize(x.dim(2), k, stride, pad);
        int ow = Conv.outputSize(x.dim(3), k, stride, pad);
        if (oh < 1 || ow < 1) throw new IllegalArgumentException(op + ": a " + k + "x" + k + " window does not fit input " + x.shapeString());
        return new int[]{x.dim(0), x.dim(1), oh, ow};
    }

    private static final class MaxBackward extends Node {
        private final Tensor indices;
        private final int k;
        private final int stride;
        private final int pad;

        MaxBackward(Tensor x, Tensor indices, int k, int stride, int pad) {
            super(x);
            this.indices = indices;
            this.k = k;
            this.stride = stride;
            this.pad = pad;
        }

        @Override
        public String name() {
            return "max_pool2d";
        }

        @Override
        public void backward(Tensor y) {
            Tensor x = inputs()[0];
            Tensor.GradSlot slot = x.gradSlot();
            if (slot == null) return;
            x.device().kernels().maxPool2dBackward(x.dim(0) * x.dim(1), x.dim(2), x.dim(3), k, stride, pad, y.gradBuffer(),
                    indices.buffer(), slot.buffer(), slot.accumulate());
        }
    }

    private static final class AvgBackward extends Node {
        private final int k;
        private final int stride;
        private final int pad;

        AvgBackward(Tensor x, int k, int stride, int pad) {
            super(x);
            this.k = k;
            this.stride = stride;
            this.pad = pad;
        }

        @Override
        public String name() {
            return "avg_pool2d";
        }

        @Override
        public void backward(Tensor y) {
            Tensor x = inputs()[0];
            Tensor.GradSlot slot = x.gradSlot();
            if (slot == null) return;
            x.device().kernels().avgPool2dBackward(x.dim(0) * x.dim(1), x.dim(2), x.dim(3), k, stride, pad, y.gradBuffer(),
                    slot.buffer(), slot.accumulate());
        }
    }
}
