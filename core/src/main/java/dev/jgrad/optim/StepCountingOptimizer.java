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

    protected StepCountingOptimizer(List<Tensor> params, float lr) {
        super(params, lr);
    }

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
