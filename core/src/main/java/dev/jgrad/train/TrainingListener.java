package dev.jgrad.train;

/** Progress reports from {@link Trainer#fit}; both methods do nothing unless overridden. */
public interface TrainingListener {
    /**
     * Called every few batches (not every batch: on a GPU reading the loss waits for the device). {@code loss}
     * is the mean training loss of the epoch so far.
     */
    default void progress(int epoch, int samplesDone, int samplesTotal, double loss, double samplesPerSec) {}

    /** Called after each epoch's evaluation. */
    default void epochEnd(EpochStats stats) {}

    /** Called when an epoch starts. */
    default void epochStart(int epoch, int epochs, int samplesTotal) {}
}
