package dev.jgrad.nn;

import dev.jgrad.ops.Conv;
import dev.jgrad.ops.Pool;
import dev.jgrad.tensor.Tensor;

/** PyTorch's {@code nn.AvgPool2d} (count_include_pad=True): the mean of each k x k window; stride defaults to k. */
public final class AvgPool2d extends Module {
    private final int kernel;
    private final int stride;
    private final int padding;

    /**
     * A pooling layer with every option.
     *
     * @param kernel  the window's side k, 1 or more
     * @param stride  the step between windows, 1 or more
     * @param padding the implicit border on each side of h and w, 0 to kernel/2 (zeros, counted in the mean)
     * @throws IllegalArgumentException when a value is out of range
     */
    public AvgPool2d(int kernel, int stride, int padding) {
        if (kernel < 1 || stride < 1 || padding < 0 || padding > kernel / 2) {
            throw new IllegalArgumentException("AvgPool2d needs kernel >= 1, stride >= 1 and 0 <= padding <= kernel/2, got kernel "
                    + kernel + ", stride " + stride + ", padding " + padding);
        }
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
    }

    /**
     * Non-overlapping k x k windows, no padding.
     *
     * @param kernel the window's side k, which is also the stride, 1 or more
     */
    public AvgPool2d(int kernel) {
        this(kernel, kernel, 0);
    }

    /**
     * The shape of one output image, for sizing the layers after this one.
     *
     * @param chw one input image's shape [channels, h, w]
     * @return [channels, oh, ow]
     */
    public int[] outputShape(int[] chw) {
        return new int[]{chw[0], Conv.outputSize(chw[1], kernel, stride, padding), Conv.outputSize(chw[2], kernel, stride, padding)};
    }

    @Override
    public Tensor forward(Tensor x) {
        return Pool.avgPool2d(x, kernel, stride, padding);
    }

    @Override
    public String describe() {
        return "avgpool2d(" + kernel + (stride != kernel ? ", stride " + stride : "") + (padding != 0 ? ", padding " + padding : "") + ")";
    }
}
