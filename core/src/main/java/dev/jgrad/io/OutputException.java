package dev.jgrad.io;

import java.io.IOException;

/** A place jgrad was asked to write to that it cannot or must not write: the message names it and why. */
public class OutputException extends IOException {
    /**
     * An exception with {@code message} and no cause.
     *
     * @param message the place and why it cannot be written, as shown to the user
     */
    public OutputException(String message) {
        super(message);
    }

    /**
     * An exception with {@code message} caused by {@code cause}.
     *
     * @param message the place and why it cannot be written, as shown to the user
     * @param cause   the failure that revealed the problem (for example the file system's exception); may be null
     */
    public OutputException(String message, Throwable cause) {
        super(message, cause);
    }
}
