package dev.jgrad.nn;

/** Keras' name for {@link Linear}; the same layer. */
public final class Dense extends Linear {
    /**
     * A fully connected layer with a bias.
     *
     * @param in  input features, 1 or more
     * @param out output features, 1 or more
     */
    public Dense(int in, int out) {
        super(in, out);
    }

    /**
     * A fully connected layer.
     *
     * @param in   input features, 1 or more
     * @param out  output features, 1 or more
     * @param bias whether the layer has a bias
     */
    public Dense(int in, int out, boolean bias) {
        super(in, out, bias);
    }
}
