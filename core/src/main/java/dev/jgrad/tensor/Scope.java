package dev.jgrad.tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Owns the tensors created while it is open on this thread and gives their memory back to the pool when
 * it closes: a training step runs in a scope, so its activations and gradients are recycled for the
 * next step. Scopes nest; a tensor belongs to the innermost open scope. {@link Tensor#keep()} takes a
 * tensor out of its scope.
 */
public final class Scope implements AutoCloseable {
    private static final ThreadLocal<Scope> CURRENT = new ThreadLocal<>();

    private final Scope parent;
    private final List<Tensor> owned = new ArrayList<>();
    private boolean closed;

    private Scope(Scope parent) {
        this.parent = parent;
    }

    /**
     * Opens a scope on this thread, nested in the one open before it (if any).
     *
     * @return the scope, to close (in a try-with-resources) before the scope it is nested in
     */
    public static Scope open() {
        Scope s = new Scope(CURRENT.get());
        CURRENT.set(s);
        return s;
    }

    static void register(Tensor t) {
        Scope s = CURRENT.get();
        if (s != null) s.owned.add(t);
    }

    static void unregister(Tensor t) {
        Scope s = CURRENT.get();
        while (s != null) {
            if (s.owned.remove(t)) return;
            s = s.parent;
        }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (CURRENT.get() != this) throw new IllegalStateException("scopes must be closed in the reverse order of opening");
        CURRENT.set(parent);
        for (int i = owned.size() - 1; i >= 0; i--) owned.get(i).close();
        owned.clear();
    }
}
