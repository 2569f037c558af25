package dev.jgrad.cli;

import dev.jgrad.data.CsvFormat;
import dev.jgrad.ops.Loss;
import dev.jgrad.train.Task;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What {@code --task}, {@code --loss}, {@code --target-cols} and {@code --standardize} say, from the command line
 * or from a saved model's training options: the task, how its CSV data is read, and the loss.
 *
 * @param task        what is trained
 * @param loss        the loss's name, or null for the task's default
 * @param targetCols  the CSV target columns (indices or header names), or null for the last column
 * @param standardize whether features (and regression targets) are standardized
 */
record TaskSetup(Task task, String loss, String targetCols, boolean standardize) {

    /** The setup a saved model was trained with; files without these options were classifiers. */
    static TaskSetup fromConfig(Map<String, Object> config) {
        Task task = config.get("task") instanceof String t ? Task.named(t) : Task.CLASSIFY;
        String loss = config.get("loss") instanceof String l ? l : null;
        String cols = config.get("target-cols") instanceof String c ? c : null;
        boolean standardize = Boolean.TRUE.equals(config.get("standardize"));
        return new TaskSetup(task, loss, cols, standardize);
    }

    Loss lossFunction() {
        return loss == null ? task.defaultLoss() : Loss.named(loss);
    }

    List<String> columns() {
        if (targetCols == null) return List.of("-1");
        return Arrays.stream(targetCols.split(",")).map(String::strip).toList();
    }

    /**
     * How a CSV file is read for this task: the label or value columns, or every column a feature for an
     * autoencoder; unscaled when standardizing, so the saved statistics apply to any file's raw values.
     */
    CsvFormat csvFormat() {
        CsvFormat f = switch (task) {
            case CLASSIFY -> {
                List<String> c = columns();
                if (c.size() != 1) throw new IllegalArgumentException("--target-cols: a classifier's label is one column, not " + c.size());
                yield CsvFormat.labels(c.get(0));
            }
            case MULTILABEL, REGRESS -> CsvFormat.values(columns());
            case AUTOENCODE -> {
                if (targetCols != null) throw new IllegalArgumentException("--target-cols does not apply to --task autoencode: every column is an input");
                yield CsvFormat.featuresOnly();
            }
        };
        return f.scaled(!standardize);
    }
}
