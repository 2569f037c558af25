package dev.jgrad.train;

/** A {@link GradientSync} could not complete a step's sum: a peer failed, closed or did not answer in time. */
public final class GradientSyncException extends RuntimeException {
    /**
     * A failed sum.
     *
     * @param message what failed, naming the peer
     * @param cause   the underlying failure, or null
     */
    public GradientSyncException(String message, Throwable cause) {
        super(message, cause);
    }
}
