package dev.jgrad.internal;

import dev.jgrad.spi.Buffer;
import dev.jgrad.device.Device;
import dev.jgrad.device.DeviceOutOfMemoryException;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * A pool of a device's buffers, by exact length. A training step asks for the same lengths every time,
 * so after the first step every buffer comes from here and the device allocator (and, on the CPU, the
 * garbage collector) has nothing to do.
 */
public final class DeviceMemory {
    private static final Map<Device, DeviceMemory> POOLS = new IdentityHashMap<>();

    private final Device device;
    private final Map<Integer, ArrayDeque<Buffer>> free = new HashMap<>();
    private long allocatedFloats;
    private long pooledFloats;

    private DeviceMemory(Device device) {
        this.device = device;
    }

    public static synchronized DeviceMemory of(Device device) {
        return POOLS.computeIfAbsent(device, DeviceMemory::new);
    }

    /** Frees every pooled buffer of {@code device}; call before closing the device. */
    public static synchronized void release(Device device) {
        DeviceMemory pool = POOLS.remove(device);
        if (pool != null) pool.trim();
    }

    public Device device() {
        return device;
    }

    public synchronized Buffer take(int length) {
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
                throw DeviceOutOfMemoryException.javaHeap(device.info().id(), 4L * length, again);
            }
        }
        allocatedFloats += length;
        return b;
    }

    public synchronized void give(Buffer buffer) {
        free.computeIfAbsent(buffer.length(), k -> new ArrayDeque<>()).push(buffer);
        pooledFloats += buffer.length();
    }

    /** Floats ever allocated from the device through this pool, pooled or in use. */
    public synchronized long allocatedFloats() {
        return allocatedFloats;
    }

    /** Frees the pooled (unused) buffers. */
    public synchronized void trim() {
        for (ArrayDeque<Buffer> q : free.values()) {
            for (Buffer b : q) {
                device.free(b);
                allocatedFloats -= b.length();
            }
        }
        free.clear();
        pooledFloats = 0;
    }
}
