package dev.jgrad.device;

import java.util.Locale;

/**
 * A device could not allocate a buffer. Carries the bytes asked for and the bytes the device reported
 * free (-1 when unknown), so that callers can say what to change (the CLI suggests a smaller batch).
 * Backends throw it from {@link dev.jgrad.spi.DeviceKernels#allocate}; on the CPU, {@code DeviceMemory} turns the JVM's
 * {@link OutOfMemoryError} into it, so running out of memory never takes the JVM down.
 */
public class DeviceOutOfMemoryException extends RuntimeException {
    /** The id of the device that ran out of memory, as in {@link DeviceInfo#id()}. */
    private final String deviceId;
    /** The size of the allocation that failed, in bytes. */
    private final long requestedBytes;
    /** The free device memory when the allocation failed, in bytes, or -1 when unknown. */
    private final long freeBytes;

    /**
     * Creates the exception with a one-line message stating the device, the bytes requested and the bytes free.
     *
     * @param deviceId       the id of the device that could not allocate ({@code cpu}, {@code cuda:0}, ...)
     * @param requestedBytes the size of the allocation that failed, in bytes
     * @param freeBytes      the free device memory at the time, in bytes, or a negative value when unknown
     * @param cause          the backend's or JVM's own error, or null when there is none
     */
    public DeviceOutOfMemoryException(String deviceId, long requestedBytes, long freeBytes, Throwable cause) {
        super("out of memory on " + deviceId + ": could not allocate " + bytes(requestedBytes)
                + (freeBytes >= 0 ? " with " + bytes(freeBytes) + " free" : " (free memory unknown)"), cause);
        this.deviceId = deviceId;
        this.requestedBytes = requestedBytes;
        this.freeBytes = freeBytes;
    }

    /**
     * The exception for a CPU buffer the Java heap could not hold, with the heap's free space (maximum heap
     * minus used) as the free bytes.
     *
     * @param deviceId       the id of the device the buffer was for
     * @param requestedBytes the size of the buffer that failed, in bytes
     * @param cause          the JVM's error, kept as the cause
     * @return the exception to throw in place of {@code cause}
     */
    public static DeviceOutOfMemoryException javaHeap(String deviceId, long requestedBytes, OutOfMemoryError cause) {
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        return new DeviceOutOfMemoryException(deviceId, requestedBytes, Math.max(0, free), cause);
    }

    /**
     * A zeroed host array of {@code length} floats (parameters are initialised on the host), or this
     * exception when the Java heap cannot hold it.
     *
     * @param deviceId the id of the device the array is for, named in the error
     * @param length   the number of floats, from 0 to {@code Integer.MAX_VALUE - 8}
     * @return a new array of {@code length} zeros
     * @throws IllegalArgumentException     when {@code length} is too large for one Java array
     * @throws DeviceOutOfMemoryException when the Java heap cannot hold the array
     */
    public static float[] hostFloats(String deviceId, long length) {
        if (length > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(length + " values do not fit one tensor (at most " + (Integer.MAX_VALUE - 8) + ")");
        }
        try {
            return new float[(int) length];
        } catch (OutOfMemoryError e) {
            throw javaHeap(deviceId, 4 * length, e);
        }
    }

    /**
     * The device that ran out of memory.
     *
     * @return its id, as in {@link DeviceInfo#id()}
     */
    public String deviceId() {
        return deviceId;
    }

    /**
     * The size of the allocation that failed.
     *
     * @return the bytes requested
     */
    public long requestedBytes() {
        return requestedBytes;
    }

    /**
     * Free device memory when the allocation failed.
     *
     * @return the free bytes, or a negative value (normally -1) when the device does not say
     */
    public long freeBytes() {
        return freeBytes;
    }

    /**
     * Formats a byte count for messages: in the largest binary unit (KiB to TiB) that keeps a leading digit,
     * with the exact count, e.g. {@code "1.5 MiB (1572864 bytes)"}; below 1024, {@code "N bytes"}.
     *
     * @param n the number of bytes
     * @return the formatted count, independent of the default locale
     */
    public static String bytes(long n) {
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u < 0 ? n + " bytes" : String.format(Locale.ROOT, "%.1f %s (%d bytes)", v, units[u], n);
    }
}
