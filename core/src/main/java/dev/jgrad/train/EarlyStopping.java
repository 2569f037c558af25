package dev.jgrad.train;

import dev.jgrad.nn.Module;
import dev.jgrad.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Stops training when a validation metric has not improved for {@code patience} epochs (Keras'
 * {@code EarlyStopping}): an improvement is a value better than the best so far by more than {@code minDelta}
 * (lower for a loss or an error, higher for accuracy, F1 or R²). On each improvement the model's whole state (parameters and buffers such as
 * batch-norm running statistics) is copied to the host, so {@link #restoreBest} can put the best weights back.
 */
public final class EarlyStopping {
    /**
     * The metric watched, by the name {@link Evaluation#metrics()} gives it ({@code loss}, {@code accuracy},
     * {@code r2}, {@code rmse}, {@code micro_f1}, ...), and whether larger is better.
     *
     * @param name           the metric's name
     * @param higherIsBetter whether an improvement is an increase
     */
    public record Metric(String name, boolean higherIsBetter) {
        /** The held-out loss, lower is better. */
        public static final Metric LOSS = new Metric("loss", false);
        /** The held-out accuracy (classification), higher is better. */
        public static final Metric ACCURACY = new Metric("accuracy", true);

        /**
         * The metric called {@code name} (a {@code val_} prefix is allowed), with its direction from
         * {@link Task#higherIsBetter}.
         *
         * @param name a metric's name: {@code loss} or one of a task's metrics ({@code accuracy}, {@code macro_f1},
         *             {@code rmse}, ...), optionally prefixed by {@code val_}; {@code acc} is {@code accuracy}
         * @return the metric
         * @throws IllegalArgumentException when no task reports a metric of that name
         */
        public static Metric named(String name) {
            String n = name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
            if (n.startsWith("val_")) n = n.substring(4);
            if (n.equals("acc")) n = "accuracy";
            if (!Task.isMetric(n)) {
                throw new IllegalArgumentException("unknown early-stopping metric '" + name + "': expected loss or one of a task's metrics"
                        + " (accuracy, macro_f1, micro_f1, exact_match, mse, rmse, mae, r2, ...)");
            }
            return new Metric(n, Task.higherIsBetter(n));
        }

        double of(EpochStats stats) {
            return stats.testMetric(name);
        }
    }

    private final Metric metric;
    private final int patience;
    private final double minDelta;
    private final boolean restoreBest;
    private double best = Double.NaN;
    private int bestEpoch = -1;
    private int stale;
    private int stoppedEpoch = -1;
    private Map<String, float[]> bestState;

    /**
     * An early-stopping rule.
     *
     * @param metric      the held-out metric watched
     * @param patience    epochs without improvement after which training stops, 1 or more
     * @param minDelta    the least change of the metric that counts as an improvement, 0 or more
     * @param restoreBest whether to copy the model's state to the host at each improvement, so that
     *                    {@link #restoreBest} can put the best epoch's weights back
     * @throws IllegalArgumentException when {@code patience} is below 1 or {@code minDelta} is negative
     */
    public EarlyStopping(Metric metric, int patience, double minDelta, boolean restoreBest) {
        if (patience < 1) throw new IllegalArgumentException("early-stopping patience must be at least 1 epoch, got " + patience);
        if (!(minDelta >= 0)) throw new IllegalArgumentException("early-stopping min delta must be >= 0, got " + minDelta);
        this.metric = metric;
        this.patience = patience;
        this.minDelta = minDelta;
        this.restoreBest = restoreBest;
    }

    /** {@return the metric watched} */
    public Metric metric() {
        return metric;
    }

    /**
     * Records an epoch's results. A NaN metric (a diverged epoch) never counts as an improvement.
     *
     * @param stats the epoch's results, with its held-out metrics
     * @param model the model trained, whose state is copied on an improvement when the best is kept
     * @return whether training should stop now
     */
    public boolean update(EpochStats stats, Module model) {
        double v = metric.of(stats);
        boolean improved = !Double.isNaN(v) && (Double.isNaN(best)
                || (metric.higherIsBetter() ? v > best + minDelta : v < best - minDelta));
        if (improved) {
            best = v;
            bestEpoch = stats.epoch();
            stale = 0;
            if (restoreBest) bestState = snapshot(model);
        } else {
            stale++;
        }
        if (stale >= patience) {
            stoppedEpoch = stats.epoch();
            return true;
        }
        return false;
    }

    /**
     * Puts back the state of the best epoch, if it was kept.
     *
     * @param model the model trained, with the same state names as when the best state was copied
     * @return whether it put a state back (false when the best is not kept or nothing improved yet)
     * @throws IllegalStateException when the model has a state name the copy lacks
     */
    public boolean restoreBest(Module model) {
        if (!restoreBest || bestState == null) return false;
        for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) {
            float[] saved = bestState.get(e.getKey());
            if (saved == null) throw new IllegalStateException("the model has state '" + e.getKey() + "' the snapshot lacks");
            e.getValue().copyFrom(saved);
        }
        return true;
    }

    /** {@return the best value of the metric so far, or NaN before the first update} */
    public double best() {
        return best;
    }

    /** {@return the epoch with the best metric, or -1 before the first update} */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** {@return the epoch training stopped after, or -1 if it has not stopped} */
    public int stoppedEpoch() {
        return stoppedEpoch;
    }

    /** {@return whether the rule has stopped training} */
    public boolean stopped() {
        return stoppedEpoch >= 0;
    }

    /** {@return whether the best epoch's state is kept for {@link #restoreBest}} */
    public boolean restoresBest() {
        return restoreBest;
    }

    /**
     * What a checkpoint keeps of early stopping.
     *
     * @param best      the best metric so far (NaN before the first update)
     * @param bestEpoch the epoch it was reached, or -1
     * @param stale     epochs since the last improvement
     * @param bestState the best epoch's state by {@code state_dict} name, or null when not kept
     */
    public record State(double best, int bestEpoch, int stale, Map<String, float[]> bestState) {}

    /** {@return this rule's state, for a checkpoint} */
    public State state() {
        return new State(best, bestEpoch, stale, bestState);
    }

    /**
     * Continues from a checkpoint's state.
     *
     * @param s what {@link #state()} returned when the checkpoint was written
     */
    public void restore(State s) {
        best = s.best();
        bestEpoch = s.bestEpoch();
        stale = s.stale();
        bestState = s.bestState() == null ? null : new LinkedHashMap<>(s.bestState());
        stoppedEpoch = -1;
    }

    private static Map<String, float[]> snapshot(Module model) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) out.put(e.getKey(), e.getValue().toArray());
        return out;
    }
}
