package dev.jgrad.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A cheap identity of a data file or IDX folder, so a run resumed from another place (the data moved, or
 * named by another relative path) can check it reads the same data: each file's size and a SHA-256 of its
 * first and last {@value #BLOCK} bytes (for a folder, of its files in name order, with their names). It
 * tells apart different data sets and files edited at either end; an edit strictly in the middle of a file
 * of the same size goes unnoticed.
 */
public final class DataFingerprint {
    static final int BLOCK = 64 * 1024;

    private DataFingerprint() {}

    /**
     * The fingerprint of the data a spec names.
     *
     * @param spec a data spec, as {@link Datasets#load(String)} takes
     * @return e.g. {@code "v1:2a4f..."} for a file or folder; null for a built-in set ({@code digits}, {@code fashion-mnist})
     * @throws DataFormatException when the file or folder cannot be read
     */
    public static String of(String spec) throws DataFormatException {
        String name = spec == null ? "" : spec.strip();
        if (name.isEmpty() || name.equals(Datasets.DIGITS) || name.equals(Datasets.FASHION_MNIST)) return null;
        Path path = Path.of(name);
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            if (Files.isDirectory(path)) {
                List<Path> files;
                try (var list = Files.list(path)) {
                    files = list.filter(Files::isRegularFile).sorted().toList();
                }
                for (Path f : files) {
                    sha.update(f.getFileName().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    file(f, sha);
                }
            } else {
                file(path, sha);
            }
            return "v1:" + HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (IOException e) {
            throw new DataFormatException(path + ": cannot read to fingerprint it: " + DataInput.oneLine(e));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    private static void file(Path f, MessageDigest sha) throws IOException {
        FileKind.requireRegularFile(f);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            long size = ch.size();
            sha.update(ByteBuffer.allocate(8).putLong(0, size));
            ByteBuffer b = ByteBuffer.allocate((int) Math.min(BLOCK, size));
            readAt(ch, b, 0);
            sha.update(b.flip());
            if (size > BLOCK) {
                b.clear();
                readAt(ch, b, size - b.capacity());
                sha.update(b.flip());
            }
        }
    }

    private static void readAt(FileChannel ch, ByteBuffer b, long at) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) break;
        }
    }
}
