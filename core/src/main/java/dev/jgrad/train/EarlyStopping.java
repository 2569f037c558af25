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

    public EarlyStopping(Metric metric, int patience, double minDelta, boolean restoreBest) {
        if (patience < 1) throw new IllegalArgumentException("early-stopping patience must be at least 1 epoch, got " + patience);
        if (!(minDelta >= 0)) throw new IllegalArgumentException("early-stopping min delta must be >= 0, got " + minDelta);
        this.metric = metric;
        this.patience = patience;
        this.minDelta = minDelta;
        this.restoreBest = restoreBest;
    }

    public Metric metric() {
        return metric;
    }

    /**
     * Records epoch {@code stats} of {@code model}; returns true when training should stop now. A NaN metric
     * (a diverged epoch) never counts as an improvement.
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

    /** Puts back the state of the best epoch, if weights were kept; returns whether it did. */
    public boolean restoreBest(Module model) {
        if (!restoreBest || bestState == null) return false;
        for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) {
            float[] saved = bestState.get(e.getKey());
            if (saved == null) throw new IllegalStateException("the model has state '" + e.getKey() + "' the snapshot lacks");
            e.getValue().copyFrom(saved);
        }
        return true;
    }

    public double best() {
        return best;
    }

    /** The epoch with the best metric, or -1 before the first update. */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** The epoch training stopped after, or -1 if it has not stopped. */
    public int stoppedEpoch() {
        return stoppedEpoch;
    }

    public boolean stopped() {
        return stoppedEpoch >= 0;
    }

    public boolean restoresBest() {
        return restoreBest;
    }

    /** What a checkpoint keeps of early stopping: the best metric, its epoch, epochs since, and the best weights (or null). */
    public record State(double best, int bestEpoch, int stale, Map<String, float[]> bestState) {}

    public State state() {
        return new State(best, bestEpoch, stale, bestState);
    }

    /** Continues from a checkpoint's {@link #state()}. */
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
