package dev.jgrad.nn;

import dev.jgrad.spi.UnaryOp;
import dev.jgrad.tensor.Tensor;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Layers applied in order, as PyTorch's {@code nn.Sequential}; each layer is registered under its index, so
 * state names are {@code 0.weight}, {@code 2.bias}. A {@link WeightedLayer} ({@link Linear}, {@link Conv2d})
 * directly followed by an {@link Activation} runs as one fused op, and a ReLU directly followed by a
 * {@link MaxPool2d} runs after the pooling (the same values and gradients, on fewer elements).
 *
 * <p>A weighted layer without an initialiser of its own gets one from the activation that follows it
 * (looking past batch norm and dropout): He before ReLU-like activations (ReLU, leaky ReLU, ELU, GELU),
 * Xavier otherwise.
 */
public final class Sequential extends Module {
    private final List<Module> layers;

    /**
     * Chains {@code layers}, registering each under its index and choosing the initialiser of each weighted
     * layer that has none from the activation that follows it.
     *
     * @param layers the layers in order, at least one; not null
     * @throws IllegalArgumentException when no layer is given
     * @throws NullPointerException     when the array or a layer is null
     */
    public Sequential(Module... layers) {
        this(List.of(layers));
    }

    /**
     * Chains {@code layers}, registering each under its index and choosing the initialiser of each weighted
     * layer that has none from the activation that follows it.
     *
     * @param layers the layers in order, at least one (the list is copied); not null
     * @throws IllegalArgumentException when the list is empty
     * @throws NullPointerException     when the list or a layer is null
     */
    public Sequential(List<Module> layers) {
        if (layers.isEmpty()) throw new IllegalArgumentException("Sequential needs at least one layer");
        this.layers = List.copyOf(layers);
        for (int i = 0; i < this.layers.size(); i++) {
            Module m = register(Integer.toString(i), this.layers.get(i));
            if (m instanceof WeightedLayer w && w.init() == null) w.init(initBefore(this.layers.subList(i + 1, this.layers.size())));
        }
    }

    /** He when the first activation in {@code after} (past batch norm and dropout) is ReLU-like, else Xavier. */
    private static Init initBefore(List<Module> after) {
        for (Module m : after) {
            if (m instanceof BatchNorm || m instanceof Dropout) continue;
            if (m instanceof Activation a) {
                return switch (a.op()) {
                    case UnaryOp.RELU, UnaryOp.LEAKY_RELU, UnaryOp.ELU, UnaryOp.GELU -> Init.HE_UNIFORM;
                    default -> Init.XAVIER_UNIFORM;
                };
            }
            break;
        }
        return Init.XAVIER_UNIFORM;
    }

    /**
     * The layers, in the order they run.
     *
     * @return the layers, unmodifiable; layer {@code i} is the child registered as {@code "i"}
     */
    public List<Module> layers() {
        return layers;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor h = x;
        for (int i = 0; i < layers.size(); i++) {
            Module m = layers.get(i);
            if (m instanceof WeightedLayer layer && i + 1 < layers.size() && layers.get(i + 1) instanceof Activation a) {
                h = layer.forward(h, a.op(), a.param());
                i++;
            } else if (m instanceof Activation a && a.op() == UnaryOp.RELU && i + 1 < layers.size()
                    && layers.get(i + 1) instanceof MaxPool2d pool) {
                // ReLU commutes with max pooling, values and gradients alike (the window's maximum is where both
                // route the gradient, and both pass none from a window whose maximum is not positive):
                // pooling first leaves ReLU a quarter of the values
                h = a.forward(pool.forward(h));
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
