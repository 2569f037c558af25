package dev.jgrad.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a path is, in words for a message ("a FIFO (named pipe)", "a folder"): readers refuse what is not a
 * regular file before opening it, since opening a FIFO waits for a writer forever.
 */
public final class FileKind {
    private FileKind() {}

    /**
     * What a path is.
     *
     * @param path the path (links are followed)
     * @return "a regular file", "a folder", "a FIFO (named pipe)", "a character device", ..., or "missing"
     */
    public static String of(Path path) {
        if (!Files.exists(path)) return "missing";
        if (Files.isRegularFile(path)) return "a regular file";
        if (Files.isDirectory(path)) return "a folder";
        try {
            int mode = ((Integer) Files.getAttribute(path, "unix:mode")) & 0170000;
            return switch (mode) {
                case 0010000 -> "a FIFO (named pipe)";
                case 0020000 -> "a character device";
                case 0060000 -> "a block device";
                case 0140000 -> "a socket";
                default -> "a special file";
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return "a special file";
        }
    }

    /**
     * Requires a regular file.
     *
     * @param path the path (links are followed)
     * @throws DataFormatException naming the path and what it is instead, when it is not a regular file
     */
    public static void requireRegularFile(Path path) throws DataFormatException {
        if (Files.isRegularFile(path)) return;
        String kind = of(path);
        throw new DataFormatException(path + (kind.equals("missing") ? ": no such file" : ": is " + kind + ", not a regular file"));
    }
}
