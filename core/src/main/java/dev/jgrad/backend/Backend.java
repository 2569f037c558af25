package dev.jgrad.backend;

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

    /** Opens device {@code index} of those {@link #probe()} listed. */
    Device open(int index) throws DeviceUnavailableException;
}
