package dev.jgrad.optim;

import dev.jgrad.tensor.Tensor;

import java.util.List;
import java.util.Map;

/**
 * An optimizer whose update depends on how many steps it has taken (Adam's bias correction, Adagrad's
 * rate decay); the count is saved in checkpoints as the counter {@code step}.
 */
public abstract class StepCountingOptimizer extends Optimizer {
    /** Steps taken; {@link #step()} increments it before its update. */
    protected long t;

    /**
     * Starts at step 0.
     *
     * @param params the tensors to update; see {@link Optimizer#Optimizer(List, float)}
     * @param lr     the learning rate, positive and finite
     */
    protected StepCountingOptimizer(List<Tensor> params, float lr) {
        super(params, lr);
    }

    /** {@return the number of steps taken so far (0 before the first)} */
    public long stepCount() {
        return t;
    }

    @Override
    public Map<String, Long> counters() {
        return Map.of("step", t);
    }

    @Override
    public void restoreCounters(Map<String, Long> counters) {
        Long step = counters.get("step");
        if (step == null || step < 0 || counters.size() != 1) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " needs exactly the counter 'step', got " + counters);
        }
        t = step;
    }
}
