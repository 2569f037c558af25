package dev.jgrad.train;

import java.util.function.DoubleSupplier;

/** Called by {@link Trainer} after every optimizer step: where checkpoints and divergence checks hook in. */
@FunctionalInterface
public interface StepHook {
    /** The hook that does nothing. */
    StepHook NONE = (position, samplesTotal, lossSum) -> {};

    /**
     * Called after an optimizer step.
     *
     * @param position     where a resumed run would continue; its {@code lossSum} is not filled in (0), since
     *                     reading it waits for the device: call {@code lossSum} when it is needed
     * @param samplesTotal the epoch's number of examples
     * @param lossSum      reads the epoch's running loss sum from the device
     */
    void afterStep(TrainingPosition position, int samplesTotal, DoubleSupplier lossSum);

    /**
     * Called once when {@link Trainer#fit} stops on a {@link StopSignal}, after {@code position}'s step (and
     * its {@link #afterStep}): a checkpointing hook writes the state to resume from here. Nothing by default.
     *
     * @param position     where a resumed run would continue; its {@code lossSum} is not filled in (0)
     * @param samplesTotal the epoch's number of examples
     * @param lossSum      reads the epoch's running loss sum from the device
     */
    default void stopped(TrainingPosition position, int samplesTotal, DoubleSupplier lossSum) {}
}
