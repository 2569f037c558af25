package dev.jgrad.train;

/**
 * {@link Trainer#fit} stopped early because its {@link StopSignal} was raised; the model holds the weights
 * after {@link #position()}'s step, and a checkpoint written by the step hook continues from there.
 */
public class TrainingStoppedException extends RuntimeException {
    private final transient TrainingPosition position;

    /**
     * A stop after a step.
     *
     * @param position the position after the last step done
     */
    public TrainingStoppedException(TrainingPosition position) {
        super("training stopped on request at step " + position.step() + " (epoch " + position.epoch() + ", "
                + position.samplesDone() + " examples into it)");
        this.position = position;
    }

    /**
     * Where training stopped.
     *
     * @return the position after the last step done, where a resumed run continues
     */
    public TrainingPosition position() {
        return position;
    }
}
