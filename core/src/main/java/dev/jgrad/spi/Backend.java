package dev.jgrad.spi;

import dev.jgrad.device.DeviceConfig;
import dev.jgrad.device.DeviceUnavailableException;

/**
 * A compute backend (cpu, opencl, cuda), found with {@link java.util.ServiceLoader}.
 * Implementations must be cheap to construct: no native library is touched until {@link #probe()}.
 */
public interface Backend {

    /** The name used in device ids: {@code cpu}, {@code opencl}, {@code cuda}. */
    String name();

    /** Higher wins when the device is {@code auto}. */
    int priority();

    /**
     * Finds this backend's devices. Never throws: a missing native library, no device or a driver
     * that is too old all become {@link Probe#unavailable(String, String)} with the reason.
     */
    Probe probe();

    /**
     * Why {@code auto} should pass over this backend although it is available, or null to use it. An
     * OpenCL runtime that only drives the CPU (PoCL) is slower there than the cpu backend, so auto skips it;
     * asking for it explicitly still works.
     */
    default String autoSkipReason() {
        return null;
    }

    /**
     * Whether this backend's kernels are JVM code compiled while they run, as its devices' {@link
     * DeviceKernels#compiledWhileRunning()} say; known without probing or opening anything, so that a {@link
     * dev.jgrad.train.JitWarmup} can start before the run's device is opened. False unless a backend says so.
     */
    default boolean compiledWhileRunning() {
        return false;
    }

    /**
     * Opens device {@code index} of those {@link #probe()} listed, with {@code config}'s options. Core wraps
     * the result in a {@link dev.jgrad.device.Device}, which closes it.
     *
     * @param index  the position in {@link Probe#devices()}
     * @param config the options; one this backend cannot honour ({@link DeviceConfig#tf32()} on a device
     *               without TF32) is an {@link IllegalArgumentException} naming it
     * @throws DeviceUnavailableException when the device cannot be opened, saying why in one line
     */
    DeviceKernels open(int index, DeviceConfig config) throws DeviceUnavailableException;
}
