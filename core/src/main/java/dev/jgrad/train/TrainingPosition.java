package dev.jgrad.train;

/**
 * Where a training run stands after a step, and so where a resumed run continues: {@code samplesDone}
 * examples of epoch {@code epoch}'s order are done (a batch boundary; equal to the epoch's size when only
 * its evaluation is left), {@code step} optimizer steps in all, and {@code lossSum} is the epoch's running
 * sum of batch losses times batch sizes, exactly as the device holds it.
 *
 * @param epoch       the current epoch, 1-based
 * @param samplesDone examples of the epoch's order done, 0 or more
 * @param step        optimizer steps taken in the whole run, 0 or more
 * @param lossSum     the epoch's running sum of batch loss times batch size
 */
public record TrainingPosition(int epoch, int samplesDone, long step, float lossSum) {
    /** The start of a run: epoch 1, nothing done. */
    public static final TrainingPosition START = new TrainingPosition(1, 0, 0, 0f);

    /**
     * Checks the components.
     *
     * @throws IllegalArgumentException when {@code epoch} is below 1 or a count is negative
     */
    public TrainingPosition {
        if (epoch < 1 || samplesDone < 0 || step < 0) {
            throw new IllegalArgumentException("invalid training position: epoch " + epoch + ", sample " + samplesDone + ", step " + step);
        }
    }
}
