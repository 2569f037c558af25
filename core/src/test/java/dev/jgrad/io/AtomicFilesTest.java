package dev.jgrad.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void replacesTheFileAndLeavesNothingElse() throws IOException {
        Path f = dir.resolve("a/b/model.bin");
        AtomicFiles.write(f, new byte[] {1, 2, 3});
        AtomicFiles.write(f, new byte[] {4, 5});
        assertArrayEquals(new byte[] {4, 5}, Files.readAllBytes(f));
        try (var files = Files.list(f.getParent())) {
            assertEquals(List.of(f), files.toList());
        }
    }

    @Test
    void aFailedWriteKeepsTheOldFileAndRemovesTheTemporary() throws IOException {
        Path f = dir.resolve("model.bin");
        AtomicFiles.write(f, new byte[] {7});
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(f, ch -> {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {9, 9, 9}));
            throw new IOException("disk full");
        }));
        assertEquals(f + ": cannot write: disk full", e.getMessage(), "the message names the file and the reason");
        assertArrayEquals(new byte[] {7}, Files.readAllBytes(f));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(f), files.toList());
        }
    }

    @Test
    void theFileIsReadableByOthersAsUsual() throws IOException {
        Path f = dir.resolve("shared.bin");
        AtomicFiles.write(f, new byte[] {1});
        Path plain = Files.write(dir.resolve("plain.bin"), new byte[] {1});
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(f), "same permissions as a plain write");
            assertTrue(Files.getPosixFilePermissions(f).contains(PosixFilePermission.OWNER_READ));
        }
    }

    @Test
    void leftoversOfAKilledWriteAreDeleted() throws IOException {
        Path f = dir.resolve("checkpoint.safetensors");
        Files.write(dir.resolve(".checkpoint.safetensors.1234abcd.tmp"), new byte[10]);
        Files.write(dir.resolve("other.tmp"), new byte[1]);
        AtomicFiles.deleteLeftovers(f);
        try (var files = Files.list(dir)) {
            assertEquals(List.of(dir.resolve("other.tmp")), files.toList());
        }
    }
}
