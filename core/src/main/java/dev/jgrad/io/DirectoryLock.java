package dev.jgrad.io;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Objects;

/**
 * Exclusive use of a folder by one run (a checkpoint directory), so two runs never write the same
 * checkpoint. The lock is the file {@value #FILE_NAME} in the folder, holding its owner ("pid 1234 on host
 * build-7 since 2025-01-01T12:00:00Z"), and an operating-system lock on it; the file is deleted when the
 * lock is closed. A run that died without closing it (killed, crashed) leaves the file behind but not the
 * operating-system lock, which dies with the process: such a stale lock is taken over, and
 * {@link #staleOwner()} says whose it was.
 */
public final class DirectoryLock implements AutoCloseable {
    /** The name of the lock file created in the locked folder. */
    public static final String FILE_NAME = ".jgrad.lock";

    /** The folder is in use by a live run; the message names its owner. */
    public static final class LockedException extends OutputException {
        /** The owner's description, as read from the lock file. */
        private final String owner;

        LockedException(Path dir, String owner) {
            super(dir + ": is in use by another run (" + owner + "); wait for it to finish, or use another folder");
            this.owner = owner;
        }

        /**
         * The owner as its lock file describes it.
         *
         * @return a description such as "pid 1234 on host h since ...", or a note that the lock file is held
         *         when its owner had not written itself into it yet
         */
        public String owner() {
            return owner;
        }
    }

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final String staleOwner;
    private final boolean createdDir;
    private final Path dir;

    private DirectoryLock(Path dir, boolean createdDir, Path file, FileChannel channel, FileLock lock, String staleOwner) {
        this.dir = dir;
        this.createdDir = createdDir;
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.staleOwner = staleOwner;
    }

    /**
     * Locks {@code dir}, creating it (not its parents) when missing. A lock file left by a run that died is
     * taken over; {@link #staleOwner()} then names that run. Close the lock (try-with-resources) when done.
     *
     * @param dir the folder to lock; its parent must exist
     * @return the held lock
     * @throws OutputException  when the folder cannot be created or its lock file cannot be locked
     * @throws IOException      when the lock file cannot be opened, read or written
     * @throws LockedException when another live run holds it (in this process or another)
     */
    public static DirectoryLock acquire(Path dir) throws IOException {
        boolean created = false;
        if (!Files.isDirectory(dir)) {
            try {
                Files.createDirectory(dir);
                created = true;
            } catch (IOException e) {
                throw new OutputException(dir + ": cannot create the folder: " + e.getMessage(), e);
            }
        }
        Path file = dir.resolve(FILE_NAME);
        for (int attempt = 0; ; attempt++) {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            } catch (IOException e) {
                ch.close();
                throw new OutputException(file + ": cannot lock: " + e.getMessage(), e);
            }
            if (lock == null) {
                String owner = read(ch);
                // the owner locks its file before it writes itself into it: give it a moment
                for (int wait = 0; owner.isEmpty() && wait < 25; wait++) {
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                    owner = read(ch);
                }
                ch.close();
                throw new LockedException(dir, owner.isEmpty() ? "its lock file " + file + " is held" : owner);
            }
            // the previous owner may have deleted the file between our open and our lock: lock the file that is there
            if (!sameFile(ch, file)) {
                lock.release();
                ch.close();
                if (attempt < 10) continue;
                throw new OutputException(file + ": the lock file keeps changing; is another run starting?");
            }
            String previous = read(ch);
            String stale = previous.isEmpty() ? null : previous;
            byte[] me = owner().getBytes(StandardCharsets.UTF_8);
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(me), 0);
            ch.force(true);
            return new DirectoryLock(dir, created, file, ch, lock, stale);
        }
    }

    /** This process as a lock file describes it. */
    static String owner() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = Objects.requireNonNullElse(System.getenv("HOSTNAME"), "unknown");
        }
        return "pid " + ProcessHandle.current().pid() + " on host " + host + " since " + Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }

    private static String read(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(512);
        ch.read(b, 0);
        return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).strip().replaceAll("\\p{Cntrl}", "?");
    }

    /** Whether the locked channel's file is still the one at {@code file} (not deleted by its last owner meanwhile). */
    private static boolean sameFile(FileChannel ch, Path file) throws IOException {
        return Files.exists(file) && Files.size(file) == ch.size();
    }

    /**
     * The owner of a stale lock this one replaced: a run that died without releasing the folder.
     *
     * @return its description ("pid 1234 on host h since ..."), or null when there was no stale lock
     */
    public String staleOwner() {
        return staleOwner;
    }

    /**
     * The locked folder.
     *
     * @return the path given to {@link #acquire}
     */
    public Path directory() {
        return dir;
    }

    /**
     * Whether {@link #acquire} created the folder (so an owner may remove it again when nothing was written).
     *
     * @return true if the folder did not exist before the lock was taken
     */
    public boolean createdDirectory() {
        return createdDir;
    }

    /**
     * Deletes the lock file and releases the lock, so another run may take the folder.
     *
     * @throws IOException when the lock file cannot be deleted or the lock released; the channel is closed anyway
     */
    @Override
    public void close() throws IOException {
        try {
            Files.deleteIfExists(file);
        } finally {
            try {
                if (lock.isValid()) lock.release();
            } finally {
                channel.close();
            }
        }
    }
}
