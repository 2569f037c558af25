package dev.jgrad.train;

import dev.jgrad.device.Device;
import dev.jgrad.data.Dataset;
import dev.jgrad.data.Normalization;
import dev.jgrad.data.Targets;
import dev.jgrad.metrics.ConfusionMatrix;
import dev.jgrad.metrics.MultiLabelMetrics;
import dev.jgrad.metrics.RegressionMetrics;
import dev.jgrad.nn.Module;
import dev.jgrad.ops.Loss;
import dev.jgrad.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model's results on a dataset for its {@link Task}: the mean loss (in the units training saw) and the task's
 * metrics (in the data's original units when targets were standardized). Which parts are present depends on
 * the task: {@link #confusion()} and {@link #predictions()} for classification, {@link #multiLabel()} for
 * multi-label, {@link #regression()} for regression and autoencoders (the reconstruction error).
 */
public final class Evaluation {
    private final Task task;
    private final double loss;
    private final ConfusionMatrix confusion;
    private final int[] predictions;
    private final int[] labels;
    private final MultiLabelMetrics multiLabel;
    private final RegressionMetrics regression;

    private Evaluation(Task task, double loss, ConfusionMatrix confusion, int[] predictions, int[] labels, MultiLabelMetrics multiLabel,
                       RegressionMetrics regression) {
        this.task = task;
        this.loss = loss;
        this.confusion = confusion;
        this.predictions = predictions;
        this.labels = labels;
        this.multiLabel = multiLabel;
        this.regression = regression;
    }

    /**
     * Evaluates {@code model} on {@code data} (already normalized as {@code normalization} says) for {@code task},
     * in batches of {@code batch}, in evaluation mode and without recording a graph.
     */
    static Evaluation compute(Module model, Device device, Dataset data, Task task, Loss loss, Normalization normalization,
                              int batch) {
        task.check(data);
        int n = data.size();
        int cols = data.featureCount();
        Targets targets = task == Task.AUTOENCODE ? new Targets.None() : data.targets();
        int width = targets.width();
        int[] predictions = task == Task.CLASSIFY ? new int[n] : null;
        ConfusionMatrix[] confusion = new ConfusionMatrix[1];
        MultiLabelMetrics multi = task == Task.MULTILABEL ? new MultiLabelMetrics(width) : null;
        RegressionMetrics regression = task == Task.REGRESS ? new RegressionMetrics(width)
                : task == Task.AUTOENCODE ? new RegressionMetrics(cols) : null;
        double[] lossTotal = new double[1];
        float[] ys = new float[Math.min(batch, n) * Math.max(width, 1)];
        BatchedForward.run(model, device, data.features(), n, cols, batch, (from, rows, x, output) -> {
            Tensor y;
            if (width == 0) {
                y = x;
            } else {
                for (int r = 0; r < rows; r++) targets.copyTo(from + r, ys, r * width);
                y = task == Task.CLASSIFY ? Tensor.empty(device, rows) : Tensor.empty(device, rows, width);
                device.kernels().write(ys, 0, y.buffer(), 0, rows * width);
            }
            lossTotal[0] += (double) loss.apply(output, y).item() * rows;
            float[] out = output.toArray();
            switch (task) {
                case CLASSIFY -> {
                    int classes = output.dim(1);
                    if (confusion[0] == null) confusion[0] = new ConfusionMatrix(Math.max(classes, data.classes()));
                    int[] best = ConfusionMatrix.argmax(out, rows, classes);
                    System.arraycopy(best, 0, predictions, from, rows);
                }
                case MULTILABEL -> multi.addLogits(ys, out, rows);
                case REGRESS -> {
                    float[] actual = new float[rows * width];
                    System.arraycopy(ys, 0, actual, 0, actual.length);
                    regression.add(normalization.targetsToOriginal(actual), normalization.targetsToOriginal(out), rows);
                }
                case AUTOENCODE -> {
                    float[] in = new float[rows * cols];
                    System.arraycopy(data.features(), from * cols, in, 0, in.length);
                    regression.add(normalization.featuresToOriginal(in), normalization.featuresToOriginal(out), rows);
                }
            }
        });
        int[] labels = task == Task.CLASSIFY ? data.labels().clone() : null;
        if (task == Task.CLASSIFY) {
            if (confusion[0] == null) confusion[0] = new ConfusionMatrix(Math.max(1, data.classes()));
            confusion[0].addAll(labels, predictions);
        }
        return new Evaluation(task, lossTotal[0] / n, confusion[0], predictions, labels, multi, regression);
    }

    /** {@return the task whose metrics this evaluation holds} */
    public Task task() {
        return task;
    }

    /** {@return the mean loss per example} */
    public double loss() {
        return loss;
    }

    /** {@return the fraction classified right, in [0, 1] (classification), or NaN for other tasks} */
    public double accuracy() {
        return confusion == null ? Double.NaN : confusion.accuracy();
    }

    /** {@return the arg-max class of each example, in the data's order (classification), else null} */
    public int[] predictions() {
        return predictions;
    }

    /** {@return the actual class of each example, in the data's order (classification), else null} */
    public int[] labels() {
        return labels;
    }

    /** {@return the counts and per-class metrics (classification), else null} */
    public ConfusionMatrix confusion() {
        return confusion;
    }

    /** {@return the per-label and overall multi-label metrics, else null} */
    public MultiLabelMetrics multiLabel() {
        return multiLabel;
    }

    /** {@return the per-output and overall errors (regression), or the reconstruction error (autoencoders), else null} */
    public RegressionMetrics regression() {
        return regression;
    }

    /** {@return {@code loss} and the task's metrics ({@link Task#metrics()}), by name, in that order} */
    public Map<String, Double> metrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("loss", loss);
        for (String name : task.metrics()) m.put(name, metric(name));
        return m;
    }

    /**
     * One metric by name.
     *
     * @param name {@code loss} or one of the task's metrics (see {@link #metrics()})
     * @return its value; NaN for a metric this task does not report
     */
    public double metric(String name) {
        if (name.equals("loss")) return loss;
        if (confusion != null) {
            switch (name) {
                case "accuracy": return confusion.accuracy();
                case "macro_precision": return confusion.macroPrecision();
                case "macro_recall": return confusion.macroRecall();
                case "macro_f1": return confusion.macroF1();
                case "weighted_f1": return confusion.weightedF1();
                default: return Double.NaN;
            }
        }
        if (multiLabel != null) {
            switch (name) {
                case "micro_f1": return multiLabel.microF1();
                case "macro_f1": return multiLabel.macroF1();
                case "exact_match": return multiLabel.exactMatch();
                case "hamming_accuracy": return multiLabel.hammingAccuracy();
                default: return Double.NaN;
            }
        }
        if (regression != null) {
            switch (name) {
                case "mse": return regression.mse();
                case "rmse": return regression.rmse();
                case "mae": return regression.mae();
                case "r2": return task == Task.REGRESS ? regression.r2() : Double.NaN;
                default: return Double.NaN;
            }
        }
        return Double.NaN;
    }

    /**
     * The task's plain-text report.
     *
     * @param names the names of the classes, labels or outputs by index; null (or too short) for their numbers
     * @return the report, several lines
     */
    public String format(List<String> names) {
        return switch (task) {
            case CLASSIFY -> confusion.format(names);
            case MULTILABEL -> multiLabel.format(names);
            case REGRESS -> regression.format(names);
            case AUTOENCODE -> String.format(java.util.Locale.ROOT, "reconstruction mse %.6g, rmse %.6g, mae %.6g (%d examples of %d values)%n",
                    regression.mse(), regression.rmse(), regression.mae(), regression.count(), regression.outputs());
        };
    }
}
