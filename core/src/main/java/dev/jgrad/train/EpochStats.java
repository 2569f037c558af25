package dev.jgrad.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one epoch did: the mean training loss over its batches, the training loop's throughput (samples per
 * second of forward, backward and update, evaluation excluded), the held-out results, the learning rate at the
 * epoch's end, and the task's metrics.
 *
 * @param epoch              1-based
 * @param loss               the mean training loss over the epoch's batches
 * @param trainSamplesPerSec training throughput, evaluation excluded
 * @param testLoss           the held-out set's mean loss (NaN without one)
 * @param testAccuracy       the held-out accuracy for classification (NaN otherwise or without one)
 * @param seconds            the epoch's training time
 * @param lr                 the optimizer's learning rate after the epoch's last step
 * @param testMetrics        the held-out set's metrics by name ({@link Evaluation#metrics()}), empty without one
 * @param trainMetrics       the training set's metrics evaluated after the epoch, empty unless
 *                           {@link Trainer#evaluateTrainingSet(boolean)} asked for them
 */
public record EpochStats(int epoch, double loss, double trainSamplesPerSec, double testLoss, double testAccuracy, double seconds, double lr,
                         Map<String, Double> testMetrics, Map<String, Double> trainMetrics) {
    /** Copies the metric maps, in their order, into unmodifiable ones. */
    public EpochStats {
        testMetrics = Collections.unmodifiableMap(new LinkedHashMap<>(testMetrics));
        trainMetrics = Collections.unmodifiableMap(new LinkedHashMap<>(trainMetrics));
    }

    /**
     * Stats without a learning rate or metrics beyond loss and accuracy.
     *
     * @param epoch              1-based
     * @param loss               the mean training loss over the epoch's batches
     * @param trainSamplesPerSec training throughput, evaluation excluded
     * @param testLoss           the held-out set's mean loss (NaN without one)
     * @param testAccuracy       the held-out accuracy (NaN when not classifying or without one)
     * @param seconds            the epoch's training time
     */
    public EpochStats(int epoch, double loss, double trainSamplesPerSec, double testLoss, double testAccuracy, double seconds) {
        this(epoch, loss, trainSamplesPerSec, testLoss, testAccuracy, seconds, Double.NaN, orderedLossAndAccuracy(testLoss, testAccuracy),
                Map.of());
    }

    /**
     * A held-out metric by name.
     *
     * @param name the metric's name ({@code loss} is {@link #testLoss()})
     * @return its value, or NaN when absent
     */
    public double testMetric(String name) {
        if (name.equals("loss")) return testLoss;
        return testMetrics.getOrDefault(name, Double.NaN);
    }

    /**
     * A training-set metric by name.
     *
     * @param name the metric's name; {@code loss} is the epoch's running training loss when the training set was
     *             not evaluated
     * @return its value, or NaN when absent
     */
    public double trainMetric(String name) {
        Double v = trainMetrics.get(name);
        if (v != null) return v;
        return name.equals("loss") ? loss : Double.NaN;
    }

    private static Map<String, Double> orderedLossAndAccuracy(double loss, double accuracy) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("loss", loss);
        m.put("accuracy", accuracy);
        return m;
    }
}
