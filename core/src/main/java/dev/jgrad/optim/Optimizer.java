package dev.jgrad.optim;

import dev.jgrad.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Updates parameters from their gradients, one fused kernel per parameter, as PyTorch's {@code torch.optim}. */
public abstract class Optimizer {
    protected final List<Tensor> params;
    protected float lr;

    protected Optimizer(List<Tensor> params, float lr) {
        if (params.isEmpty()) throw new IllegalArgumentException("optimizer given no parameters");
        if (!(lr > 0) || !Float.isFinite(lr)) throw new IllegalArgumentException("learning rate must be positive and finite, got " + lr);
        for (Tensor p : params) if (!p.requiresGrad()) throw new IllegalArgumentException("parameter " + p + " does not require grad");
        this.params = List.copyOf(params);
        this.lr = lr;
    }

    /** Applies one update to every parameter that has a gradient. */
    public abstract void step();

    public void zeroGrad() {
        for (Tensor p : params) p.zeroGrad();
    }

    public float lr() {
        return lr;
    }

    /** Sets the learning rate (schedules call this between steps). */
    public void setLr(float lr) {
        this.lr = lr;
    }

    public List<Tensor> params() {
        return params;
    }

    /** The optimizer's per-parameter state by name ({@code 3.momentum_buffer}, ...), for checkpoints. */
    public Map<String, Tensor> stateDict() {
        return new LinkedHashMap<>();
    }

    /** Integer state beside {@link #stateDict()}'s tensors (Adam's step count), for checkpoints. */
    public Map<String, Long> counters() {
        return new LinkedHashMap<>();
    }

    /** Restores what {@link #counters()} returned; unknown names are an error. */
    public void restoreCounters(Map<String, Long> counters) {
        if (!counters.isEmpty()) throw new IllegalArgumentException(getClass().getSimpleName() + " has no counters " + counters.keySet());
    }
}
