package dev.jgrad.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Opening data files that may or may not be gzipped, and wording their errors as one line. */
final class DataInput {
    private static final int BUFFER = 1 << 16;

    /** Java arrays cannot be quite Integer.MAX_VALUE long on every VM. */
    static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private DataInput() {}

    /** An open stream and whether it decompresses gzip. */
    record Opened(InputStream in, boolean gzipped) {}

    /**
     * Opens a regular file; a missing file, a folder or anything else that is not a regular file (a FIFO,
     * whose open would wait for a writer forever; a device) is a {@link DataFormatException}.
     */
    static Opened open(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new DataFormatException(file + ": is a folder, not a data file");
        }
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new DataFormatException(file + ": is " + kind(file) + ", not a regular data file");
        }
        InputStream raw;
        try {
            raw = Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file + ": file not found");
        }
        return wrap(raw);
    }

    /** Decompresses the stream when it starts with the gzip magic bytes 1f 8b, whatever its name. */
    static Opened wrap(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, BUFFER);
        in.mark(2);
        int first = in.read();
        int second = in.read();
        in.reset();
        if (first == 0x1f && second == 0x8b) {
            return new Opened(new GZIPInputStream(in, BUFFER), true);
        }
        return new Opened(in, false);
    }

    static String kind(Path path) {
        return FileKind.of(path);
    }

    /**
     * The exception's message on one line, for wrapping low-level I/O errors; a file-system error gives its
     * reason (a denied permission's message is the bare file name otherwise).
     */
    static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof java.nio.file.AccessDeniedException) {
            message = "permission denied";
        } else if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
            message = fs.getReason();
        }
        return message.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
