package dev.jgrad.train;

/** Progress reports from {@link Trainer#fit}; the methods do nothing unless overridden, except {@link #note}. */
public interface TrainingListener {
    /**
     * Called every few batches (not every batch: on a GPU reading the loss waits for the device).
     *
     * @param epoch         the epoch, 1-based
     * @param samplesDone   examples of this epoch done so far
     * @param samplesTotal  examples in the epoch
     * @param loss          the mean training loss of the epoch so far
     * @param samplesPerSec training examples per second so far in this epoch
     */
    default void progress(int epoch, int samplesDone, int samplesTotal, double loss, double samplesPerSec) {}

    /**
     * Called after each epoch's evaluation.
     *
     * @param stats what the epoch did
     */
    default void epochEnd(EpochStats stats) {}

    /**
     * Called when an epoch starts.
     *
     * @param epoch        the epoch, 1-based
     * @param epochs       the last epoch the run goes to
     * @param samplesTotal examples in the epoch
     */
    default void epochStart(int epoch, int epochs, int samplesTotal) {}

    /**
     * A one-line note on how training runs, e.g. that the training set did not fit on the device and its
     * batches are gathered on the host ({@link Trainer#datasetOnDevice}). By default it goes to the
     * {@code dev.jgrad.train} {@link System.Logger} at level INFO.
     *
     * @param line the note, one line without a trailing newline
     */
    default void note(String line) {
        System.getLogger("dev.jgrad.train").log(System.Logger.Level.INFO, line);
    }
}
