package dev.jgrad.tensor;

import dev.jgrad.internal.DeviceMemory;

import java.util.ArrayList;
import java.util.List;

/**
 * Owns the tensors created while it is open on this thread and gives their memory back to the pool when
 * it closes: a training step runs in a scope, so its activations and gradients are recycled for the
 * next step. Scopes nest; a tensor belongs to the innermost open scope. {@link Tensor#keep()} takes a
 * tensor out of its scope.
 *
 * <p>Scopes must be closed in the reverse order of opening, on the thread that opened them (try-with-
 * resources does both). Closing one while scopes opened after it are still open closes those too, then
 * throws {@link IllegalStateException}: the thread is left with the scope that was current before the
 * closed one was opened, so nothing made afterwards is owned by a closed scope.
 */
public final class Scope implements AutoCloseable {
    private static final ThreadLocal<Scope> CURRENT = new ThreadLocal<>();

    private final Scope parent;
    private final Thread owner;
    private final List<Tensor> owned = new ArrayList<>();
    private boolean closed;

    private Scope(Scope parent) {
        this.parent = parent;
        this.owner = Thread.currentThread();
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

    /** Hands {@code t} to the innermost open scope; false when no scope is open on this thread. */
    static boolean register(Tensor t) {
        Scope s = CURRENT.get();
        if (s == null) return false;
        s.owned.add(t);
        return true;
    }

    /** Takes {@code t} out of the scope that owns it; false when none on this thread does. */
    static boolean unregister(Tensor t) {
        Scope s = CURRENT.get();
        while (s != null) {
            if (s.owned.remove(t)) return true;
            s = s.parent;
        }
        return false;
    }

    /** Closes every tensor this scope owns. Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("a scope must be closed on the thread that opened it (" + owner.getName() + ")");
        }
        int inner = 0;
        for (Scope s = CURRENT.get(); s != this; s = s.parent) {
            if (s == null) throw new IllegalStateException("this scope is not open on this thread");
            inner++;
        }
        // unwind the scopes opened after this one, innermost first, as their try blocks would have
        while (CURRENT.get() != this) CURRENT.get().release();
        release();
        if (inner > 0) {
            throw new IllegalStateException("scopes must be closed in the reverse order of opening: " + inner
                    + " scope(s) opened after this one were still open and have been closed with it");
        }
    }

    private void release() {
        closed = true;
        CURRENT.set(parent);
        if (parent == null) CURRENT.remove();
        DeviceMemory reclaimed = null;
        for (int i = owned.size() - 1; i >= 0; i--) {
            Tensor t = owned.get(i);
            t.close();
            // no op is running here: a safe point to take back what cleaners released
            DeviceMemory pool = t.device().memory();
            if (pool != reclaimed) {
                pool.reclaim();
                reclaimed = pool;
            }
        }
        owned.clear();
    }
}
