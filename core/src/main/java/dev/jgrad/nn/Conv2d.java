package dev.jgrad.nn;

import dev.jgrad.spi.UnaryOp;
import dev.jgrad.ops.Conv;
import dev.jgrad.tensor.Tensor;

/**
 * A 2-D convolution layer with PyTorch's layout and names: {@code weight} [out, in, k, k], {@code bias}
 * [out]; input [batch, in, h, w], output [batch, out, oh, ow]. Bias starts at zero; the weight's
 * initialiser is {@link #init} (He when unset, since convolutions are nearly always followed by ReLU).
 */
public class Conv2d extends WeightedLayer {
    private final int in;
    private final int out;
    private final int kernel;
    private final int stride;
    private final int padding;

    /**
     * A convolution with every option.
     *
     * @param in      input channels, 1 or more
     * @param out     output channels (filters), 1 or more
     * @param kernel  the square kernel's side k, 1 or more
     * @param stride  the step between windows, 1 or more
     * @param padding zeros added on each side of h and w, 0 or more ({@code (kernel - 1) / 2} keeps the size
     *                for an odd kernel and stride 1)
     * @param bias    whether the layer has a bias
     * @throws IllegalArgumentException when a value is out of range
     */
    public Conv2d(int in, int out, int kernel, int stride, int padding, boolean bias) {
        if (in < 1 || out < 1 || kernel < 1 || stride < 1 || padding < 0) {
            throw new IllegalArgumentException("Conv2d needs positive channels, kernel and stride and padding >= 0, got in=" + in
                    + " out=" + out + " kernel=" + kernel + " stride=" + stride + " padding=" + padding);
        }
        super(new int[]{out, in, kernel, kernel}, in * kernel * kernel, out * kernel * kernel, bias, Init.HE_UNIFORM);
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
    }

    /**
     * A convolution with stride 1, no padding and a bias.
     *
     * @param in     input channels, 1 or more
     * @param out    output channels (filters), 1 or more
     * @param kernel the square kernel's side k, 1 or more
     */
    public Conv2d(int in, int out, int kernel) {
        this(in, out, kernel, 1, 0, true);
    }

    /** {@return the number of input channels} */
    public int inChannels() {
        return in;
    }

    /** {@return the number of output channels} */
    public int outChannels() {
        return out;
    }

    /** {@return the kernel's side k} */
    public int kernelSize() {
        return kernel;
    }

    /** {@return the step between windows} */
    public int stride() {
        return stride;
    }

    /** {@return the zeros added on each side of h and w} */
    public int padding() {
        return padding;
    }

    /**
     * The shape of one output image, for sizing the layers after this one.
     *
     * @param chw one input image's shape [in, h, w]
     * @return [out, oh, ow]
     */
    public int[] outputShape(int[] chw) {
        return new int[]{out, Conv.outputSize(chw[1], kernel, stride, padding), Conv.outputSize(chw[2], kernel, stride, padding)};
    }

    @Override
    protected Tensor apply(Tensor x, Tensor weight, Tensor bias, UnaryOp act, float actParam) {
        return Conv.conv2d(x, weight, bias, stride, padding, act, actParam);
    }

    @Override
    public String describe() {
        return "conv2d(" + in + "->" + out + ", " + kernel + "x" + kernel
                + (stride != 1 ? ", stride " + stride : "") + (padding != 0 ? ", padding " + padding : "") + ")";
    }
}
