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

    public Conv2d(int in, int out, int kernel, int stride, int padding, boolean bias) {
        super(bias);
        if (in < 1 || out < 1 || kernel < 1 || stride < 1 || padding < 0) {
            throw new IllegalArgumentException("Conv2d needs positive channels, kernel and stride and padding >= 0, got in=" + in
                    + " out=" + out + " kernel=" + kernel + " stride=" + stride + " padding=" + padding);
        }
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
    }

    public Conv2d(int in, int out, int kernel) {
        this(in, out, kernel, 1, 0, true);
    }

    public int inChannels() {
        return in;
    }

    public int outChannels() {
        return out;
    }

    public int kernelSize() {
        return kernel;
    }

    public int stride() {
        return stride;
    }

    public int padding() {
        return padding;
    }

    /** [out, oh, ow] for an input of [in, h, w]. */
    public int[] outputShape(int[] chw) {
        return new int[]{out, Conv.outputSize(chw[1], kernel, stride, padding), Conv.outputSize(chw[2], kernel, stride, padding)};
    }

    @Override
    protected int[] weightShape() {
        return new int[]{out, in, kernel, kernel};
    }

    @Override
    protected int fanIn() {
        return in * kernel * kernel;
    }

    @Override
    protected int fanOut() {
        return out * kernel * kernel;
    }

    @Override
    protected Init defaultInit() {
        return Init.HE_UNIFORM;
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
