package dev.jgrad.optim;

import dev.jgrad.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Updates parameters from their gradients, one fused kernel per parameter, as PyTorch's {@code torch.optim}. */
public abstract class Optimizer {
    /** The tensors this optimizer updates, in the order given to the constructor (state names use these indices). */
    protected final List<Tensor> params;
    /** The learning rate the next {@link #step()} uses. */
    protected float lr;

    /**
     * Checks and keeps the parameters and the learning rate.
     *
     * @param params the tensors to update, usually {@link dev.jgrad.nn.Module#parameters()}; not empty, each
     *               requiring grad
     * @param lr     the learning rate, positive and finite
     * @throws IllegalArgumentException when {@code params} is empty, a parameter does not require grad, or
     *                                  {@code lr} is not positive and finite
     */
    protected Optimizer(List<Tensor> params, float lr) {
        if (params.isEmpty()) throw new IllegalArgumentException("optimizer given no parameters");
        if (!(lr > 0) || !Float.isFinite(lr)) throw new IllegalArgumentException("learning rate must be positive and finite, got " + lr);
        for (Tensor p : params) if (!p.requiresGrad()) throw new IllegalArgumentException("parameter " + p + " does not require grad");
        this.params = List.copyOf(params);
        this.lr = lr;
    }

    /** Applies one update to every parameter that has a gradient. */
    public abstract void step();

    /** Zeroes (forgets) the gradient of every parameter, before the next backward pass. */
    public void zeroGrad() {
        for (Tensor p : params) p.zeroGrad();
    }

    /** {@return the learning rate the next {@link #step()} uses} */
    public float lr() {
        return lr;
    }

    /**
     * Sets the learning rate (schedules call this between steps).
     *
     * @param lr the learning rate for the following steps
     */
    public void setLr(float lr) {
        this.lr = lr;
    }

    /** {@return the tensors this optimizer updates, in the order given to the constructor (unmodifiable)} */
    public List<Tensor> params() {
        return params;
    }

    /**
     * The optimizer's per-parameter state, for checkpoints.
     *
     * @return the state tensors by PyTorch-style name, the parameter's index first ({@code 3.momentum_buffer},
     *         {@code 0.exp_avg}, ...); the live tensors, not copies; empty for a stateless optimizer
     */
    public Map<String, Tensor> stateDict() {
        return new LinkedHashMap<>();
    }

    /**
     * Integer state beside {@link #stateDict()}'s tensors, for checkpoints.
     *
     * @return the counters by name (Adam's step count as {@code step}); empty when there are none
     */
    public Map<String, Long> counters() {
        return new LinkedHashMap<>();
    }

    /**
     * Restores what {@link #counters()} returned.
     *
     * @param counters counters by name, as {@link #counters()} returned them
     * @throws IllegalArgumentException when a name is unknown to this optimizer or a required one is missing
     */
    public void restoreCounters(Map<String, Long> counters) {
        if (!counters.isEmpty()) throw new IllegalArgumentException(getClass().getSimpleName() + " has no counters " + counters.keySet());
    }
}
