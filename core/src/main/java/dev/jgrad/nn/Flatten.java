package dev.jgrad.nn;

import dev.jgrad.ops.Reshape;
import dev.jgrad.tensor.Tensor;

/** PyTorch's {@code nn.Flatten}: [batch, d1, d2, ...] to [batch, d1*d2*...]. */
public final class Flatten extends Module {
    /** A flatten layer; it has no parameters. */
    public Flatten() {}

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() == 2) return x;
        return Reshape.reshape(x, x.dim(0), x.size() / Math.max(1, x.dim(0)));
    }

    @Override
    public String describe() {
        return "flatten";
    }
}
