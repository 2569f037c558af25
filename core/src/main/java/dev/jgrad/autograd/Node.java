package dev.jgrad.autograd;

import dev.jgrad.tensor.Tensor;

/**
 * One recorded op: how to turn the gradient of its output into gradients of its inputs. Each op of
 * {@code dev.jgrad.ops} defines its own subclass, written with the device's kernels only.
 */
public abstract class Node {
    private final Tensor[] inputs;

    protected Node(Tensor... inputs) {
        this.inputs = inputs;
    }

    public final Tensor[] inputs() {
        return inputs;
    }

    /** A short name for error messages and graph dumps. */
    public String name() {
        return getClass().getSimpleName();
    }

    /**
     * Adds the gradient of the loss with respect to each input that requires one, given {@code out},
     * the op's output whose {@link Tensor#gradBuffer()} holds the gradient with respect to it. Use
     * {@link Tensor#gradSlot()} to get where to write an input's gradient and whether to add to it.
     */
    public abstract void backward(Tensor out);
}
