package dev.jgrad.nn;

import dev.jgrad.ops.Conv;
import dev.jgrad.ops.Pool;
import dev.jgrad.tensor.Tensor;

/** PyTorch's {@code nn.MaxPool2d}: the maximum of each k x k window; stride defaults to k. */
public final class MaxPool2d extends Module {
    private final int kernel;
    private final int stride;
    private final int padding;

    public MaxPool2d(int kernel, int stride, int padding) {
        if (kernel < 1 || stride < 1 || padding < 0 || padding > kernel / 2) {
            throw new IllegalArgumentException("MaxPool2d needs kernel >= 1, stride >= 1 and 0 <= padding <= kernel/2, got kernel "
                    + kernel + ", stride " + stride + ", padding " + padding);
        }
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
    }

    public MaxPool2d(int kernel) {
        this(kernel, kernel, 0);
    }

    /** [c, oh, ow] for an input of [c, h, w]. */
    public int[] outputShape(int[] chw) {
        return new int[]{chw[0], Conv.outputSize(chw[1], kernel, stride, padding), Conv.outputSize(chw[2], kernel, stride, padding)};
    }

    @Override
    public Tensor forward(Tensor x) {
        return Pool.maxPool2d(x, kernel, stride, padding);
    }

    @Override
    public String describe() {
        return "maxpool2d(" + kernel + (stride != kernel ? ", stride " + stride : "") + (padding != 0 ? ", padding " + padding : "") + ")";
    }
}
