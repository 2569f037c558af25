package dev.jgrad.train;

import dev.jgrad.data.Dataset;
import dev.jgrad.data.Targets;
import dev.jgrad.ops.Loss;

import java.util.List;
import java.util.Locale;

/**
 * What a model is trained to do; it decides the targets a dataset must have, the default loss, the number of
 * outputs, and the metrics {@link Evaluation} reports:
 * <ul>
 *   <li>{@link #CLASSIFY}: class indices; softmax cross-entropy; accuracy, per-class precision/recall/F1 and
 *       the confusion matrix;</li>
 *   <li>{@link #MULTILABEL}: 0/1 vectors, one answer per label; BCE on logits; per-label F1, micro and macro
 *       F1, exact match and Hamming accuracy;</li>
 *   <li>{@link #REGRESS}: float vectors; mean squared error; MSE, RMSE, MAE and R² per output and overall;</li>
 *   <li>{@link #AUTOENCODE}: no targets, the input is reproduced; mean squared error; reconstruction MSE.</li>
 * </ul>
 */
public enum Task {
    /** One class per example, from class-index targets. */
    CLASSIFY("accuracy", Targets.Kind.CLASSES),
    /** Any number of yes/no labels per example, from 0/1 target vectors. */
    MULTILABEL("micro_f1", Targets.Kind.VALUES),
    /** Real values per example, from float target vectors. */
    REGRESS("r2", Targets.Kind.VALUES),
    /** The input reproduced through the model; no targets. */
    AUTOENCODE("mse", Targets.Kind.NONE);

    private static final List<String> HIGHER_IS_BETTER = List.of("accuracy", "macro_f1", "weighted_f1", "macro_precision", "macro_recall",
            "micro_f1", "exact_match", "hamming_accuracy", "r2");

    private final String mainMetric;
    private final Targets.Kind targets;

    Task(String mainMetric, Targets.Kind targets) {
        this.mainMetric = mainMetric;
        this.targets = targets;
    }

    /** {@return the metric progress lines and charts show: accuracy, micro_f1, r2 or mse} */
    public String mainMetric() {
        return mainMetric;
    }

    /** {@return the kind of targets a dataset for this task holds} */
    public Targets.Kind targets() {
        return targets;
    }

    /** {@return the names of the metrics {@link Evaluation#metrics()} reports for this task, besides {@code loss}} */
    public List<String> metrics() {
        return switch (this) {
            case CLASSIFY -> List.of("accuracy", "macro_precision", "macro_recall", "macro_f1", "weighted_f1");
            case MULTILABEL -> List.of("micro_f1", "macro_f1", "exact_match", "hamming_accuracy");
            case REGRESS -> List.of("mse", "rmse", "mae", "r2");
            case AUTOENCODE -> List.of("mse", "rmse", "mae");
        };
    }

    /** {@return the loss used unless another is given: cross-entropy, BCE on logits, or MSE} */
    public Loss defaultLoss() {
        return switch (this) {
            case CLASSIFY -> Loss.crossEntropy();
            case MULTILABEL -> Loss.bceWithLogits();
            case REGRESS, AUTOENCODE -> Loss.mse();
        };
    }

    /**
     * Whether a larger value of a metric is better.
     *
     * @param metric a name from some task's {@link #metrics()}, or {@code loss}
     * @return true for accuracies, F1 scores and R², false for losses and errors
     */
    public static boolean higherIsBetter(String metric) {
        return HIGHER_IS_BETTER.contains(metric);
    }

    /**
     * Whether a name is a metric.
     *
     * @param metric the name
     * @return whether it is {@code loss} or a metric that some task reports
     */
    public static boolean isMetric(String metric) {
        if (metric.equals("loss")) return true;
        for (Task t : values()) if (t.metrics().contains(metric)) return true;
        return false;
    }

    /**
     * The number of outputs a model for {@code data} has: its classes, its target width, or (autoencoder) its
     * feature count.
     *
     * @param data the training data
     * @return the model's output width for this task
     */
    public int outputs(Dataset data) {
        return switch (this) {
            case CLASSIFY -> data.classes();
            case MULTILABEL, REGRESS -> data.targets().width();
            case AUTOENCODE -> data.featureCount();
        };
    }

    /**
     * Checks that {@code data} has this task's targets (multi-label targets must be 0 or 1); the message names
     * the data, what it has and what to give instead.
     *
     * @param data the dataset to check
     * @throws IllegalArgumentException when its targets do not suit this task
     */
    public void check(Dataset data) {
        Targets.Kind kind = data.targets().kind();
        if (this == AUTOENCODE) return;      // any targets are ignored: the input is the target
        if (kind != targets) {
            throw new IllegalArgumentException("dataset " + data.name() + " has " + describe(kind) + ", but task " + label() + " needs "
                    + describe(targets) + (targets == Targets.Kind.VALUES ? " (read a CSV with CsvFormat.values(columns))" : ""));
        }
        if (this == MULTILABEL) {
            float[] v = ((Targets.Values) data.targets()).values();
            for (int i = 0; i < v.length; i++) {
                if (v[i] != 0f && v[i] != 1f) {
                    int w = data.targets().width();
                    throw new IllegalArgumentException("dataset " + data.name() + ": example " + (i / w + 1) + ", target " + (i % w) + " is " + v[i]
                            + "; multi-label targets must be 0 or 1");
                }
            }
        }
    }

    /** {@return the lower-case name used by the CLI and saved models: classify, multilabel, regress, autoencode} */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The task of a name.
     *
     * @param name classify, multilabel, regress or autoencode, case-insensitive
     * @return the task
     * @throws IllegalArgumentException when the name is none of these
     */
    public static Task named(String name) {
        for (Task t : values()) if (t.label().equals(name.strip().toLowerCase(Locale.ROOT))) return t;
        throw new IllegalArgumentException("unknown task '" + name + "': expected classify, multilabel, regress or autoencode");
    }

    private static String describe(Targets.Kind kind) {
        return switch (kind) {
            case CLASSES -> "class labels";
            case VALUES -> "value targets";
            case NONE -> "no targets";
        };
    }
}
