package dev.jgrad.cli;

import dev.jgrad.data.Dataset;
import dev.jgrad.io.ModelCard;
import dev.jgrad.train.Task;

/** Checks that data fits a saved model before it is run: feature count, and the label range or target width of its task. */
final class ModelInputs {
    private ModelInputs() {}

    /** @param labels may be null when the data has none */
    static void check(ModelCard d, int features, int[] labels, String source) {
        if (features != d.features()) {
            throw new Errors.UserInputException(source + ": examples have " + features + " features but the model takes " + d.features());
        }
        if (labels == null) return;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= d.outputs()) {
                throw new Errors.UserInputException(source + ": example " + (i + 1) + " has label " + labels[i] + " but the model has "
                        + d.outputs() + " classes");
            }
        }
    }

    /** {@code data} (already read for {@code task}) fits the model: features, and labels or target width. */
    static void check(ModelCard d, Task task, Dataset data, String source) {
        try {
            task.check(data);
        } catch (IllegalArgumentException e) {
            throw new Errors.UserInputException(source + ": " + e.getMessage());
        }
        check(d, data.featureCount(), task == Task.CLASSIFY ? data.labels() : null, source);
        if ((task == Task.REGRESS || task == Task.MULTILABEL) && data.targets().width() != d.outputs()) {
            throw new Errors.UserInputException(source + ": examples have " + data.targets().width() + " targets but the model has "
                    + d.outputs() + " outputs");
        }
    }
}
