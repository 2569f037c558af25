package dev.jgrad.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DirectoryLockTest {
    @TempDir
    Path dir;

    @Test
    void aSecondOwnerIsRefusedWithTheFirstOnesPidAndTheLockGoesAwayOnClose() throws Exception {
        Path ckpt = dir.resolve("ckpt");
        try (DirectoryLock first = DirectoryLock.acquire(ckpt)) {
            assertTrue(first.createdDirectory());
            assertNull(first.staleOwner());
            DirectoryLock.LockedException e = assertThrows(DirectoryLock.LockedException.class, () -> DirectoryLock.acquire(ckpt));
            assertTrue(e.owner().startsWith("pid " + ProcessHandle.current().pid() + " on host "), e.owner());
            assertTrue(e.getMessage().startsWith(ckpt + ": is in use by another run (pid "), e.getMessage());
        }
        assertFalse(Files.exists(ckpt.resolve(DirectoryLock.FILE_NAME)), "closing removes the lock file");
        try (DirectoryLock again = DirectoryLock.acquire(ckpt)) {
            assertFalse(again.createdDirectory());
        }
    }

    @Test
    void aLockFileLeftByADeadRunIsTakenOverAndReported() throws Exception {
        Files.writeString(dir.resolve(DirectoryLock.FILE_NAME), "pid 999999 on host gone since 2020-01-01T00:00:00Z");
        try (DirectoryLock lock = DirectoryLock.acquire(dir)) {
            assertEquals("pid 999999 on host gone since 2020-01-01T00:00:00Z", lock.staleOwner());
            assertTrue(Files.readString(dir.resolve(DirectoryLock.FILE_NAME)).startsWith("pid " + ProcessHandle.current().pid()));
        }
    }
}
