package dev.jgrad.data;

import java.io.IOException;

/**
 * A data file that cannot be read as what it claims to be. The message is one line naming the file and
 * the problem, fit to print to a user as it is.
 */
public class DataFormatException extends IOException {
    /**
     * An exception with a one-line message.
     *
     * @param message names the file (or source) and the problem, in one line
     */
    public DataFormatException(String message) {
        super(message);
    }
}
