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
     * Declares the {@code weight} parameter and, when {@code hasBias}, a zero-initialised {@code bias} of one
     * value per output feature.
     *
     * @param weightShape the weight's dimensions, output features first, each at least 1
     * @param fanIn       how many inputs each output depends on (for the initialiser's scale)
     * @param fanOut      how many outputs each input feeds (for the initialiser's scale)
     * @param hasBias     whether the layer has a {@code bias} parameter
     * @param defaultInit the initialiser when neither {@link #init(Init)} nor {@link Sequential} chooses one
     */
    protected WeightedLayer(int[] weightShape, int fanIn, int fanOut, boolean hasBias, Init defaultInit) {
        this.hasBias = hasBias;
        this.defaultInit = defaultInit;
        registerParameter("weight", weightShape, (w, rng) -> (init == null ? this.defaultInit : init).fill(w, fanIn, fanOut, rng));
        if (hasBias) registerParameter("bias", new int[]{weightShape[0]}, Initializer.constant(0f));
    }

    /**
     * The layer's op on {@code x} with its parameters, followed by {@code act}, as one op; subclasses
     * implement it with the device's fused kernels.
     *
     * @param x        the input batch, batch dimension first
     * @param weight   the placed weight
     * @param bias     the placed bias, or null for a layer without one
     * @param act      the activation applied to the result ({@link UnaryOp#IDENTITY} for none)
     * @param actParam the activation's parameter (leaky ReLU's slope, ELU's alpha; 0 for the others)
     * @return the activated output batch
     */
    protected abstract Tensor apply(Tensor x, Tensor weight, Tensor bias, UnaryOp act, float actParam);

    /**
     * The initialiser set for the weight, by {@link #init(Init)} or by {@link Sequential}.
     *
     * @return the initialiser, or null when the layer's default applies
     */
    public Init init() {
        return init;
    }

    /**
     * Sets the weight's initialiser, used the next time the layer is placed with {@code to(device, seed)};
     * set before the layer is put in a {@link Sequential}, it is kept there.
     *
     * @param init the initialiser, or null for the layer's default
     * @return this layer, for chaining
     */
    public WeightedLayer init(Init init) {
        this.init = init;
        return this;
    }

    /**
     * The weight, output features first.
     *
     * @return the placed weight (owned by the layer: do not close it)
     * @throws IllegalStateException when the layer has not been placed with {@code to(device, seed)} yet
     */
    public Tensor weight() {
        return tensor("weight");
    }

    /**
     * The bias, one value per output feature.
     *
     * @return the placed bias, or null for a layer made without one
     * @throws IllegalStateException when the layer has a bias but has not been placed yet
     */
    public Tensor bias() {
        return hasBias ? tensor("bias") : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        return forward(x, UnaryOp.IDENTITY, 0f);
    }

    /**
     * The layer followed by an activation, fused into one op (what {@link Sequential} runs for a weighted
     * layer directly followed by an {@link Activation}).
     *
     * @param x        the input batch, batch dimension first
     * @param act      the activation applied to the layer's output ({@link UnaryOp#IDENTITY} for none)
     * @param actParam the activation's parameter (leaky ReLU's slope, ELU's alpha; 0 for the others)
     * @return the activated output batch
     */
    public Tensor forward(Tensor x, UnaryOp act, float actParam) {
        return apply(x, weight(), bias(), act, actParam);
    }
}
