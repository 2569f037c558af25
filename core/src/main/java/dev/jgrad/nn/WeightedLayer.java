package dev.jgrad.nn;

import dev.jgrad.spi.UnaryOp;
import dev.jgrad.tensor.Tensor;

/**
 * A layer with PyTorch's {@code weight} and optional {@code bias} [out] that can run the activation after it
 * in the same op: {@link Linear} and {@link Conv2d}. Bias starts at zero; the weight's initialiser is
 * {@link #init()} when set, else the one {@link Sequential} picks from the activation that follows, else the
 * layer's default.
 */
public abstract class WeightedLayer extends Module {
    private final boolean hasBias;
    private final Init defaultInit;
    private Init init;

    /**
     * @param weightShape the weight's dimensions, output features first
     * @param fanIn       inputs each output depends on, and {@code fanOut} outputs each input feeds (for the initialiser)
     * @param defaultInit the initialiser when neither {@link #init(Init)} nor {@link Sequential} chooses one
     */
    protected WeightedLayer(int[] weightShape, int fanIn, int fanOut, boolean hasBias, Init defaultInit) {
        this.hasBias = hasBias;
        this.defaultInit = defaultInit;
        registerParameter("weight", weightShape, (w, rng) -> (init == null ? this.defaultInit : init).fill(w, fanIn, fanOut, rng));
        if (hasBias) registerParameter("bias", new int[]{weightShape[0]}, Initializer.constant(0f));
    }

    /** The layer's op on {@code x} with its parameters (bias may be null), followed by {@code act}. */
    protected abstract Tensor apply(Tensor x, Tensor weight, Tensor bias, UnaryOp act, float actParam);

    /** The initialiser set for the weight, or null when the default applies. */
    public Init init() {
        return init;
    }

    /** Sets the weight's initialiser, used the next time the layer is placed with {@code to(device, seed)}. */
    public WeightedLayer init(Init init) {
        this.init = init;
        return this;
    }

    public Tensor weight() {
        return tensor("weight");
    }

    /** The bias, or null for a layer made without one. */
    public Tensor bias() {
        return hasBias ? tensor("bias") : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        return forward(x, UnaryOp.IDENTITY, 0f);
    }

    /** The layer followed by an activation, fused into one op. */
    public Tensor forward(Tensor x, UnaryOp act, float actParam) {
        return apply(x, weight(), bias(), act, actParam);
    }
}
