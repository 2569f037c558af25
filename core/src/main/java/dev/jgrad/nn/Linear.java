package dev.jgrad.nn;

import dev.jgrad.spi.UnaryOp;
import dev.jgrad.tensor.Tensor;

/**
 * A fully connected layer, y = x W^T + b, with PyTorch's layout and names: {@code weight} [out, in],
 * {@code bias} [out]. Bias starts at zero; the weight's initialiser is {@link #init} (chosen by
 * {@link Sequential} from the activation that follows, Xavier when alone).
 */
public class Linear extends WeightedLayer {
    private final int in;
    private final int out;

    /**
     * A fully connected layer.
     *
     * @param in   input features, 1 or more
     * @param out  output features, 1 or more
     * @param bias whether the layer has a bias
     * @throws IllegalArgumentException when a size is below 1
     */
    public Linear(int in, int out, boolean bias) {
        if (in < 1 || out < 1) throw new IllegalArgumentException("Linear sizes must be positive, got " + in + " -> " + out);
        super(new int[]{out, in}, in, out, bias, Init.XAVIER_UNIFORM);
        this.in = in;
        this.out = out;
    }

    /**
     * A fully connected layer with a bias.
     *
     * @param in  input features, 1 or more
     * @param out output features, 1 or more
     * @throws IllegalArgumentException when a size is below 1
     */
    public Linear(int in, int out) {
        this(in, out, true);
    }

    /** {@return the number of input features} */
    public int inFeatures() {
        return in;
    }

    /** {@return the number of output features} */
    public int outFeatures() {
        return out;
    }

    @Override
    protected Tensor apply(Tensor x, Tensor weight, Tensor bias, UnaryOp act, float actParam) {
        return dev.jgrad.ops.Linear.linear(x, weight, bias, act, actParam);
    }

    @Override
    public String describe() {
        return "linear(" + in + "->" + out + ")";
    }
}
