package dev.jgrad.kernels;

/** A device allocation that failed for lack of memory; the message says how much was asked for and what was free. */
public final class DeviceOutOfMemoryException extends RuntimeException {
    public DeviceOutOfMemoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
