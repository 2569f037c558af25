package dev.jgrad.train;

/** Training produced a non-finite loss or gradient; the message names the step and the first tensor affected. */
public class TrainingDivergedException extends RuntimeException {
    private final long step;

    public TrainingDivergedException(String message, long step) {
        super(message);
        this.step = step;
    }

    /** The step at which the non-finite value was found. */
    public long step() {
        return step;
    }
}
