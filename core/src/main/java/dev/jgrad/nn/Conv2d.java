package dev.jgrad.nn;

import dev.jgrad.backend.Device;
import dev.jgrad.backend.DeviceOutOfMemoryException;
import dev.jgrad.backend.UnaryOp;
import dev.jgrad.ops.Conv;
import dev.jgrad.tensor.Tensor;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * A 2-D convolution layer with PyTorch's layout and names: {@code weight} [out, in, k, k], {@code bias}
 * [out]; input [batch, in, h, w], output [batch, out, oh, ow]. Bias starts at zero; the weight's
 * initialiser is {@link #init} (He when unset, since convolutions are nearly always followed by ReLU).
 */
public class Conv2d extends Module {
    private final int in;
    private final int out;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final boolean hasBias;
    private Init init;
    private Tensor weight;
    private Tensor bias;

    public Conv2d(int in, int out, int kernel, int stride, int padding, boolean bias) {
        if (in < 1 || out < 1 || kernel < 1 || stride < 1 || padding < 0) {
            throw new IllegalArgumentException("Conv2d needs positive channels, kernel and stride and padding >= 0, got in=" + in
                    + " out=" + out + " kernel=" + kernel + " stride=" + stride + " padding=" + padding);
        }
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.hasBias = bias;
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

    public Init init() {
        return init;
    }

    public Conv2d init(Init init) {
        this.init = init;
        return this;
    }

    /** [out, oh, ow] for an input of [in, h, w]. */
    public int[] outputShape(int[] chw) {
        return new int[]{out, Conv.outputSize(chw[1], kernel, stride, padding), Conv.outputSize(chw[2], kernel, stride, padding)};
    }

    @Override
    protected void place(Device device, SplittableRandom rng) {
        if (weight != null) weight.close();
        if (bias != null) bias.close();
        float[] w = DeviceOutOfMemoryException.hostFloats(device.info().id(), (long) out * in * kernel * kernel);
        (init == null ? Init.HE_UNIFORM : init).fill(w, in * kernel * kernel, out * kernel * kernel, rng);
        weight = Tensor.of(device, w, out, in, kernel, kernel).keep().requiresGrad(true);
        bias = hasBias ? Tensor.zeros(device, out).keep().requiresGrad(true) : null;
    }

    public Tensor weight() {
        return weight;
    }

    public Tensor bias() {
        return bias;
    }

    @Override
    protected void collectState(String prefix, Map<String, Tensor> outMap) {
        requirePlaced();
        outMap.put(prefix + "weight", weight);
        if (bias != null) outMap.put(prefix + "bias", bias);
    }

    @Override
    public Tensor forward(Tensor x) {
        return forward(x, UnaryOp.IDENTITY, 0f);
    }

    /** The layer followed by an activation, fused into one op. */
    public Tensor forward(Tensor x, UnaryOp act, float actParam) {
        requirePlaced();
        return Conv.conv2d(x, weight, bias, stride, padding, act, actParam);
    }

    private void requirePlaced() {
        if (weight == null) throw new IllegalStateException(describe() + " has no parameters yet: call to(device, seed) first");
    }

    @Override
    public String describe() {
        return "conv2d(" + in + "->" + out + ", " + kernel + "x" + kernel
                + (stride != 1 ? ", stride " + stride : "") + (padding != 0 ? ", padding " + padding : "") + ")";
    }
}
