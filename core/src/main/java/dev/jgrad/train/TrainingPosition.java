package dev.jgrad.train;

/**
 * Where a training run stands after a step, and so where a resumed run continues: {@code samplesDone}
 * examples of epoch {@code epoch}'s order are done (a batch boundary; equal to the epoch's size when only
 * its evaluation is left), {@code step} optimizer steps in all, and {@code lossSum} is the epoch's running
 * sum of batch losses times batch sizes, exactly as the device holds it.
 */
public record TrainingPosition(int epoch, int samplesDone, long step, float lossSum) {
    public static final TrainingPosition START = new TrainingPosition(1, 0, 0, 0f);

    public TrainingPosition {
        if (epoch < 1 || samplesDone < 0 || step < 0) {
            throw new IllegalArgumentException("invalid training position: epoch " + epoch + ", sample " + samplesDone + ", step " + step);
        }
    }
}
