package dev.jgrad.io;

import dev.jgrad.data.FileKind;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Checks, before any work is done, every place a run will write: each output must not be an input or another
 * output (compared as real paths, so symbolic and hard links count), a file must not be a folder (nor a FIFO
 * or device), its folder must exist and be writable, and the file system must have room for what will be
 * written. Each thing is named by a caller-chosen role ("model file", or a CLI flag) in the messages.
 *
 * <pre>{@code
 * new OutputCheck().input("training data", csv).file("model file", out, ModelFiles.expectedBytes(net)).check();
 * }</pre>
 *
 * <p>The check is a snapshot: a disk can still fill up later, so writers still handle failure (see
 * {@link RescuedWrite}).
 */
public final class OutputCheck {
    /** How the check sees the file system; tests substitute one for a full or read-only disk. */
    public interface FileSystemProbe {
        /**
         * Bytes a new file in {@code dir} may take.
         *
         * @param dir an existing folder
         * @return the usable space of {@code dir}'s file store, in bytes
         * @throws IOException if the file system cannot say; the check then skips the room test
         */
        long usableSpace(Path dir) throws IOException;

        /**
         * Whether this process may create files in {@code dir} (false on a read-only file system).
         *
         * @param dir an existing folder
         * @return true if files can be created there
         */
        boolean writable(Path dir);
    }

    /** The real file system: {@link java.nio.file.FileStore#getUsableSpace} and {@link Files#isWritable}. */
    public static final FileSystemProbe FILE_SYSTEM = new FileSystemProbe() {
        @Override
        public long usableSpace(Path dir) throws IOException {
            return Files.getFileStore(dir).getUsableSpace();
        }

        @Override
        public boolean writable(Path dir) {
            return Files.isWritable(dir);
        }
    };

    private record Input(String role, Path path) {}

    private record Output(String role, Path path, long bytes, boolean directory, List<String> owned) {}

    private final FileSystemProbe probe;
    private final List<Input> inputs = new ArrayList<>();
    private final List<Output> outputs = new ArrayList<>();

    /** A check against the real file system ({@link #FILE_SYSTEM}), with no inputs or outputs yet. */
    public OutputCheck() {
        this(FILE_SYSTEM);
    }

    /**
     * A check that asks {@code probe} about free space and writability, with no inputs or outputs yet.
     *
     * @param probe how the file system is seen; tests pass one for a full or read-only disk; not null
     */
    public OutputCheck(FileSystemProbe probe) {
        this.probe = probe;
    }

    /**
     * A file or folder that is read and must not be overwritten; for a folder, each file directly in it.
     * A path that does not exist is ignored (its reader reports it).
     *
     * @param role how messages name the input (for example "training data" or a CLI flag)
     * @param path the file or folder read; null is ignored
     * @return this check, to chain calls
     */
    public OutputCheck input(String role, Path path) {
        if (path == null || !Files.exists(path)) return this;
        inputs.add(new Input(role, path));
        if (Files.isDirectory(path)) {
            try (var files = Files.list(path)) {
                files.filter(Files::isRegularFile).forEach(f -> inputs.add(new Input(role, f)));
            } catch (IOException e) {
                // an unreadable folder cannot be an input the run reads either; its reader reports it
            }
        }
        return this;
    }

    /**
     * A file that will be written (replaced whole) with about {@code bytes} bytes. {@link #check()} requires
     * that it is not a folder or special file, that its folder exists (or is an output folder of this check)
     * and is writable, and that the file system has that much room.
     *
     * @param role  how messages name the output (for example "model file" or a CLI flag)
     * @param path  the file to be written; null is ignored
     * @param bytes the expected size in bytes; 0 or less when not known yet (no room test)
     * @return this check, to chain calls
     */
    public OutputCheck file(String role, Path path, long bytes) {
        if (path != null) outputs.add(new Output(role, path, bytes, false, List.of()));
        return this;
    }

    /**
     * A folder files will be written into, created (itself, not its parents) when missing; {@code owned} are
     * the names of the files the writer puts there, which no other output may be.
     *
     * @param role  how messages name the output (for example "checkpoint folder" or a CLI flag)
     * @param dir   the folder written into; its parent must exist; null is ignored
     * @param bytes the expected total size written there, in bytes; 0 or less when not known (no room test)
     * @param owned the names (relative to {@code dir}) of the files the writer creates there
     * @return this check, to chain calls
     */
    public OutputCheck directory(String role, Path dir, long bytes, String... owned) {
        if (dir != null) outputs.add(new Output(role, dir, bytes, true, List.of(owned)));
        return this;
    }

    /**
     * Runs the checks on everything added: each output's kind, folder, writability and room, then that no
     * output is an input or another output. Returns quietly when there is no problem.
     *
     * @throws OutputException naming the first problem found, with the role and path and what to do about it
     */
    public void check() throws OutputException {
        List<Output> files = new ArrayList<>();
        List<Path> plannedDirs = new ArrayList<>();
        for (Output o : outputs) if (o.directory) plannedDirs.add(o.path.toAbsolutePath().normalize());
        for (Output o : outputs) {
            if (o.directory) {
                checkDirectory(o);
                for (String name : o.owned) files.add(new Output(o.role, o.path.resolve(name), 0, false, List.of()));
            } else {
                checkFile(o, plannedDirs);
                files.add(o);
            }
        }
        for (int i = 0; i < files.size(); i++) {
            Output a = files.get(i);
            for (Input in : inputs) {
                if (same(a.path, in.path)) {
                    throw new OutputException(a.role + " " + a.path + ": is the same file as the " + in.role + " " + in.path
                            + "; writing it would destroy what is read: choose another file");
                }
            }
            for (int j = i + 1; j < files.size(); j++) {
                Output b = files.get(j);
                if (same(a.path, b.path)) {
                    throw new OutputException(b.role + " " + b.path + ": is the same file as the " + a.role + " " + a.path
                            + "; one would overwrite the other: choose another file");
                }
            }
        }
    }

    private void checkFile(Output o, List<Path> plannedDirs) throws OutputException {
        Path p = o.path.toAbsolutePath();
        if (Files.isDirectory(p)) {
            throw new OutputException(o.role + " " + o.path + ": is a folder; name a file (for example " + o.path.resolve("model.safetensors") + ")");
        }
        if (Files.exists(p) && !Files.isRegularFile(p)) {
            throw new OutputException(o.role + " " + o.path + ": is " + FileKind.of(p) + "; only a regular file can be replaced safely");
        }
        Path parent = p.getParent();
        if (!Files.exists(parent) && plannedDirs.contains(parent.normalize())) return;   // checked as that folder
        if (!Files.isDirectory(parent)) {
            throw new OutputException(o.role + " " + o.path + ": folder " + parent + (Files.exists(parent) ? " is not a folder" : " does not exist")
                    + " (create it first)");
        }
        writableWithRoom(o, parent);
    }

    private void checkDirectory(Output o) throws OutputException {
        Path p = o.path.toAbsolutePath();
        if (Files.exists(p) && !Files.isDirectory(p)) {
            throw new OutputException(o.role + " " + o.path + ": is " + FileKind.of(p) + ", not a folder");
        }
        Path existing = p;
        if (!Files.exists(p)) {
            existing = p.getParent();
            if (existing == null || !Files.isDirectory(existing)) {
                throw new OutputException(o.role + " " + o.path + ": its parent folder " + existing + " does not exist (create it first)");
            }
        }
        writableWithRoom(o, existing);
    }

    private void writableWithRoom(Output o, Path dir) throws OutputException {
        if (!probe.writable(dir)) {
            throw new OutputException(o.role + " " + o.path + ": folder " + dir + " is not writable (a read-only file system, or no permission)");
        }
        if (o.bytes <= 0) return;
        long free;
        try {
            free = probe.usableSpace(dir);
        } catch (IOException e) {
            return;   // a file system that cannot say how full it is: the write itself will tell
        }
        if (free < o.bytes) {
            throw new OutputException(o.role + " " + o.path + ": needs about " + bytes(o.bytes) + " but the file system of " + dir
                    + " has " + bytes(free) + " free");
        }
    }

    /** Same file: the same inode when both exist (hard links), else the same real folder and name. */
    static boolean same(Path a, Path b) {
        try {
            if (Files.exists(a) && Files.exists(b)) return Files.isSameFile(a, b);
            return canonical(a).equals(canonical(b));
        } catch (IOException e) {
            return false;
        }
    }

    private static Path canonical(Path p) throws IOException {
        Path abs = p.toAbsolutePath().normalize();
        if (Files.exists(abs)) return abs.toRealPath();
        Path parent = abs.getParent();
        return parent == null ? abs : canonical(parent).resolve(abs.getFileName());
    }

    static String bytes(long n) {
        if (n < 1024) return n + " bytes";
        if (n < 1024 * 1024) return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        if (n < 1024L * 1024 * 1024) return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
        return String.format(Locale.ROOT, "%.1f GiB", n / (1024.0 * 1024 * 1024));
    }
}
