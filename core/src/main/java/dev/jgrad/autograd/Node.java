package dev.jgrad.autograd;

import dev.jgrad.tensor.Tensor;

/**
 * One recorded op: how to turn the gradient of its output into gradients of its inputs. Each op of
 * {@code dev.jgrad.ops} defines its own subclass, written with the device's kernels only.
 */
public abstract class Node {
    private final Tensor[] inputs;

    /**
     * Records the op's inputs, which backpropagation visits after this node.
     *
     * @param inputs the tensors the op read that gradients may flow to, in the op's argument order (the
     *               array is kept as it is, not copied)
     */
    protected Node(Tensor... inputs) {
        this.inputs = inputs;
    }

    /**
     * The op's inputs, as given to the constructor; backpropagation follows them to order the graph.
     *
     * @return the inputs array itself (not a copy: do not modify it)
     */
    public final Tensor[] inputs() {
        return inputs;
    }

    /**
     * A short name for error messages and graph dumps.
     *
     * @return the name, by default the class's simple name; ops override it (e.g. {@code cross_entropy})
     */
    public String name() {
        return getClass().getSimpleName();
    }

    /**
     * Adds the gradient of the loss with respect to each input that requires one, given {@code out},
     * the op's output whose {@link Tensor#gradBuffer()} holds the gradient with respect to it. Use
     * {@link Tensor#gradSlot()} to get where to write an input's gradient and whether to add to it.
     * Called once per backward pass, after the gradient of {@code out} is complete, and only when
     * {@code out} has one.
     *
     * @param out the tensor this node produced; its gradient is set
     */
    public abstract void backward(Tensor out);
}
