package dev.jgrad.io;

import dev.jgrad.data.DataFormatException;

import java.nio.file.Path;

/**
 * A safetensors file without a {@link ModelCard} (plain weights, e.g. saved by PyTorch): its architecture is
 * unknown, so build the model yourself and load the weights into it with {@link ModelFiles#load(Path, dev.jgrad.nn.Module)}.
 */
public final class NoModelCardException extends DataFormatException {
    /** The safetensors file that has no card. */
    private final Path file;

    /**
     * An exception for {@code file}, whose message says to build the model and load the weights into it.
     *
     * @param file the safetensors file without a card
     */
    public NoModelCardException(Path file) {
        super(file + ": has no model card (no jgrad metadata), so its architecture is unknown;"
                + " build the model yourself and load the weights into it with ModelFiles.load(file, model)");
        this.file = file;
    }

    /**
     * The file without a card.
     *
     * @return the path as it was given to the constructor
     */
    public Path file() {
        return file;
    }
}
