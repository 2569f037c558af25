package dev.jgrad.io;

import java.io.IOException;

/** A place jgrad was asked to write to that it cannot or must not write: the message names it and why. */
public class OutputException extends IOException {
    public OutputException(String message) {
        super(message);
    }

    public OutputException(String message, Throwable cause) {
        super(message, cause);
    }
}
