package dev.jgrad.optim;

import dev.jgrad.spi.Buffer;
import dev.jgrad.device.Device;
import dev.jgrad.spi.UnaryOp;
import dev.jgrad.nn.Module;
import dev.jgrad.internal.DeviceMemory;
import dev.jgrad.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * L1 and L2 penalties on parameters, added to their gradients after backward (equivalent to adding
 * l1*sum|w| + (l2/2)*sum w^2 to the loss, without computing it): grad += l1*sign(w) + l2*w.
 * The L2 term is PyTorch's {@code weight_decay} convention; unlike AdamW's decay it goes through the
 * optimizer's adaptive scaling.
 */
public final class Penalties {
    private final float l1;
    private final float l2;

    /**
     * Penalties with the given coefficients.
     *
     * @param l1 the L1 coefficient, 0 or more (0: none)
     * @param l2 the L2 coefficient, 0 or more (0: none)
     * @throws IllegalArgumentException when either is negative or NaN
     */
    public Penalties(float l1, float l2) {
        if (!(l1 >= 0) || !(l2 >= 0)) throw new IllegalArgumentException("L1 and L2 penalties must be >= 0, got " + l1 + ", " + l2);
        this.l1 = l1;
        this.l2 = l2;
    }

    /** {@return whether both coefficients are 0, so {@link #apply} would change nothing} */
    public boolean isZero() {
        return l1 == 0f && l2 == 0f;
    }

    /**
     * The parameters penalties usually apply to: weights (rank 2 or more), not biases or normalisation scales.
     *
     * @param model the model whose parameters to choose from
     * @return its parameters of rank 2 or more, in {@link Module#parameters()} order
     */
    public static List<Tensor> weightsOf(Module model) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : model.parameters()) if (t.rank() >= 2) out.add(t);
        return out;
    }

    /**
     * Adds the penalties' gradients to those of {@code params} that have one: call it after backward and
     * before the optimizer's step.
     *
     * @param params the parameters to penalise, usually {@link #weightsOf(Module)}
     */
    public void apply(List<Tensor> params) {
        for (Tensor p : params) {
            if (!p.hasGrad()) continue;
            Device d = p.device();
            int n = p.size();
            if (l2 != 0f) d.kernels().axpby(n, l2, p.buffer(), 1f, p.gradBuffer());
            if (l1 != 0f) {
                DeviceMemory pool = d.memory();
                Buffer scale = pool.take(n);
                try {
                    // |w|' = sign(w): the ABS backward kernel with an upstream gradient of l1 everywhere
                    d.kernels().fill(scale, n, l1);
                    d.kernels().unaryBackward(UnaryOp.ABS, 0f, n, p.buffer(), p.buffer(), scale, p.gradBuffer(), true);
                } finally {
                    pool.give(scale);
                }
            }
        }
    }
}
