package dev.jgrad.nn;

import dev.jgrad.backend.Device;
import dev.jgrad.backend.DeviceOutOfMemoryException;
import dev.jgrad.backend.UnaryOp;
import dev.jgrad.tensor.Tensor;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * A fully connected layer, y = x W^T + b, with PyTorch's layout and names: {@code weight} [out, in],
 * {@code bias} [out]. Bias starts at zero; the weight's initialiser is {@link #init} (chosen by
 * {@link Sequential} from the activation that follows, Xavier when alone).
 */
public class Linear extends Module {
    private final int in;
    private final int out;
    private final boolean hasBias;
    private Init init;
    private Tensor weight;
    private Tensor bias;

    public Linear(int in, int out, boolean bias) {
        if (in < 1 || out < 1) throw new IllegalArgumentException("Linear sizes must be positive, got " + in + " -> " + out);
        this.in = in;
        this.out = out;
        this.hasBias = bias;
    }

    public Linear(int in, int out) {
        this(in, out, true);
    }

    public int inFeatures() {
        return in;
    }

    public int outFeatures() {
        return out;
    }

    public Init init() {
        return init;
    }

    public Linear init(Init init) {
        this.init = init;
        return this;
    }

    @Override
    protected void place(Device device, SplittableRandom rng) {
        if (weight != null) weight.close();
        if (bias != null) bias.close();
        float[] w = DeviceOutOfMemoryException.hostFloats(device.info().id(), (long) out * in);
        (init == null ? Init.XAVIER_UNIFORM : init).fill(w, in, out, rng);
        weight = Tensor.of(device, w, out, in).keep().requiresGrad(true);
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
        return dev.jgrad.ops.Linear.linear(x, weight, bias, act, actParam);
    }

    private void requirePlaced() {
        if (weight == null) throw new IllegalStateException("Linear(" + in + ", " + out + ") has no parameters yet: call to(device, seed) first");
    }

    @Override
    public String describe() {
        return "linear(" + in + "->" + out + ")";
    }
}
