package dev.jgrad.nn;

import dev.jgrad.device.Device;
import dev.jgrad.spi.UnaryOp;
import dev.jgrad.tensor.Tensor;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * Layers applied in order, as PyTorch's {@code nn.Sequential}; state names are prefixed with the layer's
 * index ({@code 0.weight}, {@code 2.bias}). A {@link WeightedLayer} ({@link Linear}, {@link Conv2d}) directly
 * followed by an {@link Activation} runs as one fused op; a {@link Linear} without an initialiser gets He
 * before ReLU-like activations, Xavier otherwise.
 */
public final class Sequential extends Module {
    private final List<Module> layers;

    public Sequential(Module... layers) {
        this(List.of(layers));
    }

    public Sequential(List<Module> layers) {
        if (layers.isEmpty()) throw new IllegalArgumentException("Sequential needs at least one layer");
        this.layers = List.copyOf(layers);
        for (int i = 0; i < this.layers.size(); i++) {
            if (this.layers.get(i) instanceof Linear lin && lin.init() == null) {
                UnaryOp next = i + 1 < this.layers.size() && this.layers.get(i + 1) instanceof Activation a ? a.op() : UnaryOp.IDENTITY;
                lin.init(switch (next) {
                    case RELU, LEAKY_RELU, ELU, GELU -> Init.HE_UNIFORM;
                    default -> Init.XAVIER_UNIFORM;
                });
            }
        }
    }

    public List<Module> layers() {
        return layers;
    }

    @Override
    protected void place(Device device, SplittableRandom rng) {
        for (Module m : layers) m.place(device, rng);
    }

    @Override
    protected void collectState(String prefix, Map<String, Tensor> out) {
        for (int i = 0; i < layers.size(); i++) layers.get(i).collectState(prefix + i + ".", out);
    }

    @Override
    protected void collectCounters(String prefix, Map<String, Long> out) {
        for (int i = 0; i < layers.size(); i++) layers.get(i).collectCounters(prefix + i + ".", out);
    }

    @Override
    protected void takeCounters(String prefix, Map<String, Long> in) {
        for (int i = 0; i < layers.size(); i++) layers.get(i).takeCounters(prefix + i + ".", in);
    }

    @Override
    protected void setTraining(boolean on) {
        super.setTraining(on);
        for (Module m : layers) m.setTraining(on);
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor h = x;
        for (int i = 0; i < layers.size(); i++) {
            Module m = layers.get(i);
            if (m instanceof WeightedLayer layer && i + 1 < layers.size() && layers.get(i + 1) instanceof Activation a) {
                h = layer.forward(h, a.op(), a.param());
                i++;
            } else {
                h = m.forward(h);
            }
        }
        return h;
    }

    @Override
    public String describe() {
        return layers.stream().map(Module::describe).collect(Collectors.joining(" -> "));
    }
}
