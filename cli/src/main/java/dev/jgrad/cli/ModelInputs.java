package dev.jgrad.cli;

/** Checks that data fits a saved model before it is run: feature count and label range. */
final class ModelInputs {
    private ModelInputs() {}

    /** @param labels may be null when the data has none */
    static void check(SavedModel.Description d, int features, int[] labels, String source) {
        if (features != d.inputs()) {
            throw new Errors.UserInputException(source + ": examples have " + features + " features but the model takes " + d.inputs());
        }
        if (labels == null) return;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= d.classes()) {
                throw new Errors.UserInputException(source + ": example " + (i + 1) + " has label " + labels[i] + " but the model has "
                        + d.classes() + " classes");
            }
        }
    }
}
