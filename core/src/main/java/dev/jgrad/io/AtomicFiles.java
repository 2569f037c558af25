package dev.jgrad.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;

/**
 * Writes a file so that a reader (or a process started after a crash or power loss) sees either the old
 * file or the complete new one, never a part: the bytes go to a temporary file in the same directory,
 * are forced to the disk, and the temporary file is renamed over the target, then the directory is
 * forced so that the rename itself is durable.
 */
public final class AtomicFiles {
    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFiles() {}

    /** Writes the content of a file to an open channel. */
    @FunctionalInterface
    public interface Body {
        /**
         * Writes the whole content.
         *
         * @param channel the temporary file, open for writing at position 0
         * @throws IOException when writing fails; the target is then left as it was
         */
        void writeTo(FileChannel channel) throws IOException;
    }

    /**
     * Replaces a file with what a body writes, creating missing parent directories.
     *
     * @param target the file to replace (or create)
     * @param body   writes the new content
     * @throws IOException when the file cannot be written; the target is then unchanged
     */
    public static void write(Path target, Body body) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Files.createDirectories(dir);
        // not Files.createTempFile, whose 0600 permissions the saved file would keep: this one gets the umask's
        Path tmp = dir.resolve("." + absolute.getFileName() + "." + Long.toHexString(RANDOM.nextLong()) + ".tmp");
        boolean moved = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)) {
                body.writeTo(ch);
                ch.force(true);
            }
            try {
                Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot replace " + target + " atomically on this file system: " + e.getMessage(), e);
            }
            moved = true;
            forceDirectory(dir);
        } finally {
            if (!moved) Files.deleteIfExists(tmp);
        }
    }

    /**
     * Replaces a file with some bytes.
     *
     * @param target the file to replace (or create)
     * @param bytes  the new content
     * @throws IOException when the file cannot be written; the target is then unchanged
     */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, ch -> {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) ch.write(b);
        });
    }

    /**
     * Deletes the temporary files that writes of {@code target} left behind when their process was killed
     * before the rename. Only for targets a single process writes (a run's checkpoint).
     *
     * @param target the file whose leftover temporary files to delete
     * @throws IOException when the directory cannot be listed or a file cannot be deleted
     */
    public static void deleteLeftovers(Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        String prefix = "." + absolute.getFileName() + ".";
        if (!Files.isDirectory(absolute.getParent())) return;
        try (var files = Files.newDirectoryStream(absolute.getParent(), f -> {
            String n = f.getFileName().toString();
            return n.startsWith(prefix) && n.endsWith(".tmp");
        })) {
            for (Path f : files) Files.deleteIfExists(f);
        }
    }

    /** Makes a rename in {@code dir} durable; file systems that cannot open a directory (Windows) skip it. */
    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // the rename is atomic already; durability of the directory entry is best effort here
        }
    }
}
