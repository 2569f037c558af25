package dev.jgrad.device;

import dev.jgrad.internal.DeviceMemory;
import dev.jgrad.spi.Backend;
import dev.jgrad.spi.DeviceKernels;

/**
 * An open device (the CPU, an OpenCL device, a CUDA GPU) that tensors live on and ops run on. Get one
 * from {@link Devices#open(String)} and close it when done; closing frees all of its memory:
 * <pre>{@code
 * try (Device device = Devices.open("cpu")) {
 *     model.to(device, 42);
 *     ...
 * }
 * }</pre>
 *
 * <p>A device owns everything it allocated: the memory pool its tensors draw from, the backend's native
 * resources and its options ({@link #config()}). Nothing outlives {@link #close()}: tensors still on the
 * device are invalid afterwards, and any op on them fails with an {@link IllegalStateException}. A device
 * is used from one thread at a time.
 */
public final class Device implements AutoCloseable {
    private final DeviceKernels kernels;
    private final DeviceConfig config;
    private final DeviceInfo info;
    private final DeviceMemory memory;
    private volatile boolean closed;

    private Device(DeviceKernels kernels, DeviceConfig config) {
        this.kernels = kernels;
        this.config = config;
        this.info = kernels.info();
        this.memory = new DeviceMemory(kernels);
    }

    /**
     * Wraps what {@link Backend#open} returned, taking ownership of it: closing the device closes
     * {@code kernels}. For backend authors and tests; applications open devices through {@link Devices}.
     *
     * @param kernels an open backend device, not wrapped before
     * @param config  the options it was opened with
     * @return the device, owning {@code kernels}
     * @throws IllegalArgumentException when {@code kernels} or {@code config} is null
     */
    public static Device of(DeviceKernels kernels, DeviceConfig config) {
        if (kernels == null || config == null) throw new IllegalArgumentException("kernels and config must not be null");
        return new Device(kernels, config);
    }

    /**
     * What the device is: the id users type, its name, memory and backend details.
     *
     * @return the backend's description, read once when the device was opened; still readable after close
     */
    public DeviceInfo info() {
        return info;
    }

    /**
     * The options the device was opened with.
     *
     * @return the configuration, fixed for the device's life
     */
    public DeviceConfig config() {
        return config;
    }

    /**
     * Waits until every kernel enqueued so far has finished (for timing; reading a tensor already waits), then
     * returns buffers whose last use has completed to the pool.
     *
     * @throws IllegalStateException when the device is closed
     */
    public void synchronize() {
        kernels().synchronize();
        memory.reclaim();
    }

    /**
     * Device memory held by this device's tensors and its pool of free buffers.
     *
     * @return the bytes allocated on the device through this object
     */
    public long allocatedBytes() {
        return 4 * memory.allocatedFloats();
    }

    /**
     * Memory in free buffers the pool keeps for reuse; {@link #releaseUnusedMemory()} gives them back.
     *
     * @return the pooled bytes, after reclaiming buffers whose last use has completed
     */
    public long pooledBytes() {
        memory.reclaim();
        return 4 * memory.pooledFloats();
    }

    /** Gives the pool's free buffers back to the device (tensors in use keep theirs). */
    public void releaseUnusedMemory() {
        memory.trim();
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return true once the device is closed
     */
    public boolean isClosed() {
        return closed;
    }

    /**
     * The backend's kernels, for the ops in {@code dev.jgrad.ops} and for backend tests (SPI, not needed
     * by applications).
     *
     * @return the backend device this object wraps
     * @throws IllegalStateException when the device is closed
     */
    public DeviceKernels kernels() {
        if (closed) throw closedError();
        return kernels;
    }

    /**
     * The memory pool tensors and ops allocate from (internal, not needed by applications).
     *
     * @return the device's pool; it is closed, with all its buffers, by {@link #close()}
     */
    public DeviceMemory memory() {
        return memory;
    }

    /** Frees all of the device's memory and native resources. Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            memory.close();
        } finally {
            kernels.close();
        }
    }

    private IllegalStateException closedError() {
        return new IllegalStateException("device " + info.id() + " is closed: open a new one with Devices.open");
    }

    /**
     * A one-line description for logs.
     *
     * @return {@code "Device <id> (<name>)"}, with {@code ", closed"} after close
     */
    @Override
    public String toString() {
        return "Device " + info.id() + " (" + info.name() + ")" + (closed ? ", closed" : "");
    }
}
