package dev.jgrad.data;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.function.Executable;

/** Builds small IDX and CSV files for the reader tests, and checks error messages. */
final class DataFiles {
    private DataFiles() {}

    /** An IDX file: the magic number, the given header dimensions, then {@code data} as is. */
    static byte[] idx(int magic, int[] dims, byte[] data) {
        ByteBuffer buffer = ByteBuffer.allocate(4 + 4 * dims.length + data.length); // big-endian by default
        buffer.putInt(magic);
        for (int d : dims) {
            buffer.putInt(d);
        }
        buffer.put(data);
        return buffer.array();
    }

    static byte[] images(int count, int rows, int columns, byte[] pixels) {
        return idx(IdxReader.IMAGES_MAGIC, new int[] {count, rows, columns}, pixels);
    }

    static byte[] labels(byte... labels) {
        return idx(IdxReader.LABELS_MAGIC, new int[] {labels.length}, labels);
    }

    /** {@code count} images of {@code rows × columns} pixels whose values run 0, 1, 2, … modulo 256. */
    static byte[] rampImages(int count, int rows, int columns) {
        byte[] pixels = new byte[count * rows * columns];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) i;
        }
        return images(count, rows, columns, pixels);
    }

    static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static Path write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.write(file, bytes);
    }

    static Path write(Path file, String text) throws IOException {
        return write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Runs {@code read}, requires a DataFormatException with a one-line message naming the file and the problem. */
    static DataFormatException assertDataError(Executable read, String fileName, String... problem) {
        DataFormatException e = assertThrows(DataFormatException.class, read);
        String message = e.getMessage();
        assertFalse(message.contains("\n") || message.contains("\r"), () -> "message spans lines: " + message);
        assertTrue(message.contains(fileName), () -> "message does not name " + fileName + ": " + message);
        for (String fragment : problem) {
            assertTrue(message.contains(fragment), () -> "message lacks '" + fragment + "': " + message);
        }
        return e;
    }
}
