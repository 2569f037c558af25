package dev.jgrad.nn;

/** Keras' name for {@link Linear}; the same layer. */
public final class Dense extends Linear {
    public Dense(int in, int out) {
        super(in, out);
    }

    public Dense(int in, int out, boolean bias) {
        super(in, out, bias);
    }
}
