package dev.jgrad.autograd;

/** Turns graph recording off for evaluation, like PyTorch's {@code torch.no_grad()}. */
public final class GradMode implements AutoCloseable {
    private static final ThreadLocal<Boolean> ENABLED = ThreadLocal.withInitial(() -> Boolean.TRUE);
    private final boolean previous;

    private GradMode(boolean enabled) {
        previous = ENABLED.get();
        ENABLED.set(enabled);
    }

    /**
     * Turns recording off on this thread until the returned object is closed:
     * {@code try (var g = GradMode.noGrad()) { ... }} records nothing inside.
     *
     * @return the guard whose {@link #close()} restores the previous mode (nested guards restore in order)
     */
    public static GradMode noGrad() {
        return new GradMode(false);
    }

    /**
     * Whether ops on this thread record the graph for {@code backward()} now.
     *
     * @return false inside a {@link #noGrad()} block, true otherwise
     */
    public static boolean isEnabled() {
        return ENABLED.get();
    }

    /** Restores the mode that was in force when this guard was made. */
    @Override
    public void close() {
        ENABLED.set(previous);
    }
}
