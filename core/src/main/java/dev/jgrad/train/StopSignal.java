package dev.jgrad.train;

/**
 * A request, from any thread (a signal handler, a UI), that {@link Trainer#fit} stop at the end of the
 * current step: the step hook then gets {@link StepHook#stopped} (where a checkpoint is written) and fit
 * throws {@link TrainingStoppedException} with the position to resume from. A request made before fit
 * starts stops it before its first step; one made after its last step changes nothing.
 */
public final class StopSignal {
    private volatile boolean requested;

    /** A signal not yet raised. */
    public StopSignal() {}

    /** Asks training to stop after the step in progress; safe from any thread, and idempotent. */
    public void request() {
        requested = true;
    }

    /**
     * Whether a stop was requested.
     *
     * @return true once {@link #request()} was called
     */
    public boolean requested() {
        return requested;
    }
}
