package dev.jgrad.autograd;

/** Turns graph recording off for evaluation, like PyTorch's {@code torch.no_grad()}. */
public final class GradMode implements AutoCloseable {
    private static final ThreadLocal<Boolean> ENABLED = ThreadLocal.withInitial(() -> Boolean.TRUE);
    private final boolean previous;

    private GradMode(boolean enabled) {
        previous = ENABLED.get();
        ENABLED.set(enabled);
    }

    /** {@code try (var g = GradMode.noGrad()) { ... }} records nothing inside. */
    public static GradMode noGrad() {
        return new GradMode(false);
    }

    public static boolean isEnabled() {
        return ENABLED.get();
    }

    @Override
    public void close() {
        ENABLED.set(previous);
    }
}
