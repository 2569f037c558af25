package dev.jgrad.device;

import java.util.Locale;

/**
 * A device could not allocate a buffer. Carries the bytes asked for and the bytes the device reported
 * free (-1 when unknown), so that callers can say what to change (the CLI suggests a smaller batch).
 * Backends throw it from {@link dev.jgrad.spi.DeviceKernels#allocate}; on the CPU, {@code DeviceMemory} turns the JVM's
 * {@link OutOfMemoryError} into it, so running out of memory never takes the JVM down.
 */
public class DeviceOutOfMemoryException extends RuntimeException {
    private final String deviceId;
    private final long requestedBytes;
    private final long freeBytes;

    public DeviceOutOfMemoryException(String deviceId, long requestedBytes, long freeBytes, Throwable cause) {
        super("out of memory on " + deviceId + ": could not allocate " + bytes(requestedBytes)
                + (freeBytes >= 0 ? " with " + bytes(freeBytes) + " free" : " (free memory unknown)"), cause);
        this.deviceId = deviceId;
        this.requestedBytes = requestedBytes;
        this.freeBytes = freeBytes;
    }

    /** The Java heap could not hold a CPU buffer of {@code requestedBytes}. */
    public static DeviceOutOfMemoryException javaHeap(String deviceId, long requestedBytes, OutOfMemoryError cause) {
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        return new DeviceOutOfMemoryException(deviceId, requestedBytes, Math.max(0, free), cause);
    }

    /**
     * A zeroed host array of {@code length} floats (parameters are initialised on the host), or this
     * exception when the Java heap cannot hold it.
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

    public String deviceId() {
        return deviceId;
    }

    public long requestedBytes() {
        return requestedBytes;
    }

    /** Free device memory when the allocation failed, or -1 when the device does not say. */
    public long freeBytes() {
        return freeBytes;
    }

    /** Bytes in the largest binary unit that keeps a leading digit, with the exact count. */
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
