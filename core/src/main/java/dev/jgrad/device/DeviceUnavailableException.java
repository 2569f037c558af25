package dev.jgrad.device;

/** A device that was asked for cannot be used; the message says which and why, in one line. */
public class DeviceUnavailableException extends RuntimeException {
    /**
     * Creates the exception.
     *
     * @param message one line naming the device and why it cannot be used
     */
    public DeviceUnavailableException(String message) {
        super(message);
    }

    /**
     * Creates the exception with the error that made the device unusable.
     *
     * @param message one line naming the device and why it cannot be used
     * @param cause   the underlying error (such as a {@link LinkageError} from a missing native library),
     *                or null
     */
    public DeviceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
