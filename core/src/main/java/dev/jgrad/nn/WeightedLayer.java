package dev.jgrad.nn;

import dev.jgrad.device.Device;
import dev.jgrad.device.DeviceOutOfMemoryException;
import dev.jgrad.spi.UnaryOp;
import dev.jgrad.tensor.Tensor;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * A layer with PyTorch's {@code weight} and optional {@code bias} [out] that can run the activation after it
 * in the same op: {@link Linear} and {@link Conv2d}. Bias starts at zero; the weight's initialiser is
 * {@link #init()} when set, else the layer's default.
 */
public abstract class WeightedLayer extends Module {
    private final boolean hasBias;
    private Init init;
    private Tensor weight;
    private Tensor bias;

    protected WeightedLayer(boolean hasBias) {
        this.hasBias = hasBias;
    }

    /** The weight's shape, output features first. */
    protected abstract int[] weightShape();

    /** Inputs and outputs each weight connects, for the initialiser. */
    protected abstract int fanIn();

    protected abstract int fanOut();

    /** The initialiser when none was set. */
    protected abstract Init defaultInit();

    /** The layer's op on {@code x} with its parameters (bias may be null), followed by {@code act}. */
    protected abstract Tensor apply(Tensor x, Tensor weight, Tensor bias, UnaryOp act, float actParam);

    public Init init() {
        return init;
    }

    public WeightedLayer init(Init init) {
        this.init = init;
        return this;
    }

    @Override
    protected void place(Device device, SplittableRandom rng) {
        if (weight != null) weight.close();
        if (bias != null) bias.close();
        int[] shape = weightShape();
        long size = 1;
        for (int d : shape) size *= d;
        float[] w = DeviceOutOfMemoryException.hostFloats(device.info().id(), size);
        (init == null ? defaultInit() : init).fill(w, fanIn(), fanOut(), rng);
        weight = Tensor.of(device, w, shape).keep().requiresGrad(true);
        bias = hasBias ? Tensor.zeros(device, shape[0]).keep().requiresGrad(true) : null;
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
        return apply(x, weight, bias, act, actParam);
    }

    private void requirePlaced() {
        if (weight == null) throw new IllegalStateException(describe() + " has no parameters yet: call to(device, seed) first");
    }
}
