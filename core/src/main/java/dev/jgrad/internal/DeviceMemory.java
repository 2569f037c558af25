package dev.jgrad.internal;

import dev.jgrad.device.DeviceOutOfMemoryException;
import dev.jgrad.spi.Buffer;
import dev.jgrad.spi.DeviceKernels;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The pool of one device's buffers, by exact length, owned by its {@link dev.jgrad.spi.DeviceKernels}. A
 * training step asks for the same lengths every time, so after the first step every buffer comes from
 * here and the device allocator (and, on the CPU, the garbage collector) has nothing to do.
 *
 * <p>The pool remembers every buffer it allocated, in use or not, so that {@link #close()} frees all of
 * them: closing a device frees its memory whatever tensors still point at it.
 *
 * <p>A tensor's cleaner runs on its own thread when the tensor becomes unreachable, which can happen in
 * the middle of an op that still uses the tensor's buffer (a local variable outlives the tensor in the
 * JIT's view). So the cleaner only {@link #release}s the buffer, and the device's own thread
 * {@link #reclaim}s released buffers into the pool at points where no op is running: scope closes and
 * host reads. Methods are synchronized because the cleaner calls {@link #release}.
 */
public final class DeviceMemory {
    /** Null once closed, so that cleaners still holding this pool do not keep the backend's device alive. */
    private DeviceKernels device;
    private final String deviceId;
    private final Map<Integer, ArrayDeque<Buffer>> free = new HashMap<>();
    private final Set<Buffer> allocated = Collections.newSetFromMap(new IdentityHashMap<>());
    private long allocatedFloats;
    private long pooledFloats;
    private final ConcurrentLinkedQueue<Buffer> released = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;

    public DeviceMemory(DeviceKernels device) {
        this.device = device;
        this.deviceId = device.info().id();
    }

    /** A buffer of exactly {@code length} floats, from the pool when one is free, else newly allocated. */
    public synchronized Buffer take(int length) {
        if (closed) throw new IllegalStateException("device " + deviceId + " is closed");
        ArrayDeque<Buffer> q = free.get(length);
        if (q != null && !q.isEmpty()) {
            pooledFloats -= length;
            return q.pop();
        }
        Buffer b;
        try {
            b = device.allocate(length);
        } catch (OutOfMemoryError | DeviceOutOfMemoryException e) {
            // the pooled buffers of other lengths may be what is in the way: free them and try once more
            trim();
            try {
                b = device.allocate(length);
            } catch (OutOfMemoryError again) {
                throw DeviceOutOfMemoryException.javaHeap(deviceId, 4L * length, again);
            }
        }
        allocated.add(b);
        allocatedFloats += length;
        return b;
    }

    /** Puts a buffer that {@link #take} returned back in the pool; after {@link #close()} it is already freed. */
    public synchronized void give(Buffer buffer) {
        if (closed || !allocated.contains(buffer)) return;
        free.computeIfAbsent(buffer.length(), k -> new ArrayDeque<>()).push(buffer);
        pooledFloats += buffer.length();
    }

    /**
     * Hands back, from any thread, a buffer whose tensor became unreachable; it joins the pool at the next
     * {@link #reclaim()}.
     */
    public void release(Buffer buffer) {
        if (!closed) released.add(buffer);
    }

    /** Moves released buffers into the pool. Call only where no op is using buffers (see the class comment). */
    public synchronized void reclaim() {
        for (Buffer b; (b = released.poll()) != null; ) give(b);
    }

    /** Floats allocated from the device through this pool and not freed, pooled or in use. */
    public synchronized long allocatedFloats() {
        return allocatedFloats;
    }

    /** Floats in buffers that sit unused in the pool. */
    public synchronized long pooledFloats() {
        return pooledFloats;
    }

    /** Frees the pooled (unused) buffers, and those released since the last {@link #reclaim()}. */
    public synchronized void trim() {
        if (closed) return;
        reclaim();
        for (ArrayDeque<Buffer> q : free.values()) {
            for (Buffer b : q) {
                device.free(b);
                allocated.remove(b);
                allocatedFloats -= b.length();
            }
        }
        free.clear();
        pooledFloats = 0;
    }

    /** Frees every buffer this pool allocated, pooled or still held by a tensor; later takes fail. */
    public synchronized void close() {
        if (closed) return;
        closed = true;
        for (Buffer b : allocated) device.free(b);
        allocated.clear();
        released.clear();
        free.clear();
        allocatedFloats = 0;
        pooledFloats = 0;
        device = null;
    }
}
