package dev.jgrad.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.LinkOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a file so that a reader (or a process started after a crash or power loss) sees either the old
 * file or the complete new one, never a part: the bytes go to a temporary file in the same directory,
 * are forced to the disk, and the temporary file is renamed over the target, then the directory is
 * forced so that the rename itself is durable.
 */
public final class AtomicFiles {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String TMP = ".tmp";

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
     * @throws IOException when the file cannot be written (an {@link OutputException} naming the target and
     *                     the reason: a full disk, a read-only file system); the target is then unchanged
     */
    public static void write(Path target, Body body) throws IOException {
        try {
            writeUnnamed(target, body);
        } catch (IOException e) {
            throw e instanceof OutputException || String.valueOf(e.getMessage()).contains(target.toString()) ? e
                    : new OutputException(target + ": cannot write: " + reason(e), e);
        }
    }

    /** The reason alone: a file-system error's message carries the temporary file's name, which means nothing to a reader. */
    private static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
        if (e instanceof java.nio.file.FileAlreadyExistsException f) return f.getFile() + " exists and is not a folder";
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) return f.getReason();
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static void writeUnnamed(Path target, Body body) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Files.createDirectories(dir);
        // not Files.createTempFile, whose 0600 permissions the saved file would keep: this one gets the umask's
        Path tmp = dir.resolve("." + absolute.getFileName() + "." + Long.toHexString(RANDOM.nextLong()) + TMP);
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
     * before the rename. Only for targets a single process writes (a run's checkpoint, under its
     * {@link DirectoryLock}).
     *
     * @param target the file whose leftover temporary files to delete
     * @throws IOException when the directory cannot be listed or a file cannot be deleted
     */
    public static void deleteLeftovers(Path target) throws IOException {
        deleteLeftovers(target, Duration.ZERO);
    }

    /**
     * Deletes the temporary files that writes of {@code target} left behind (named as this class names them:
     * {@code .NAME.HEX.tmp} beside it, nothing else) and that were last modified more than {@code idle} ago,
     * so that a write in progress in another process, which keeps touching its file, is left alone.
     *
     * @param target the file whose leftover temporary files to delete; nothing happens when its folder does not exist
     * @param idle   how long a temporary file must have gone unmodified to be deleted; {@link Duration#ZERO}
     *               deletes all of them; not negative
     * @return the files deleted
     * @throws IOException when the directory cannot be listed or a file cannot be deleted
     */
    public static List<Path> deleteLeftovers(Path target, Duration idle) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        if (dir == null || !Files.isDirectory(dir)) return List.of();
        String prefix = "." + absolute.getFileName() + ".";
        long cutoff = System.currentTimeMillis() - idle.toMillis();
        List<Path> deleted = new ArrayList<>();
        try (var files = Files.newDirectoryStream(dir, f -> isTemporaryOf(f.getFileName().toString(), prefix))) {
            for (Path f : files) {
                if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) continue;
                if (!idle.isZero() && Files.getLastModifiedTime(f).toMillis() > cutoff) continue;
                if (Files.deleteIfExists(f)) deleted.add(f);
            }
        }
        return deleted;
    }

    /** {@code prefix} + 1 to 16 hex digits + {@code .tmp}: exactly what {@link #write} creates. */
    private static boolean isTemporaryOf(String name, String prefix) {
        if (!name.startsWith(prefix) || !name.endsWith(TMP)) return false;
        String hex = name.substring(prefix.length(), name.length() - TMP.length());
        return !hex.isEmpty() && hex.length() <= 16 && hex.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
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
