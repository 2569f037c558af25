package dev.jgrad.train;

/** Training produced a non-finite loss or gradient; the message names the step and the first tensor affected. */
public class TrainingDivergedException extends RuntimeException {
    /** The (last) step at which the non-finite value was found. */
    private final long step;

    /**
     * An exception for a divergence found at a step.
     *
     * @param message names the step and the first tensor affected
     * @param step    the (last) step at which the non-finite value was found
     */
    public TrainingDivergedException(String message, long step) {
        super(message);
        this.step = step;
    }

    /** {@return the (last) step at which the non-finite value was found} */
    public long step() {
        return step;
    }
}
