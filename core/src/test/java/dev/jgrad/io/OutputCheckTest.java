package dev.jgrad.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.nio.file.attribute.FileTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutputCheckTest {
    @TempDir
    Path dir;

    private String problem(OutputCheck check) {
        return assertThrows(OutputException.class, check::check).getMessage();
    }

    @Test
    void anOutputThatIsAnInputIsRefusedByRealPathAndHardLink() throws IOException {
        Path data = Files.writeString(dir.resolve("victim.csv"), "1,0\n");
        assertTrue(problem(new OutputCheck().input("data", data).file("model", data, 10)).contains("is the same file as the data"));
        Path viaDots = dir.resolve("sub/../victim.csv");
        Files.createDirectory(dir.resolve("sub"));
        assertTrue(problem(new OutputCheck().input("data", data).file("model", viaDots, 10)).contains("same file"));
        Path link = dir.resolve("hard-link.csv");
        Files.createLink(link, data);
        assertTrue(problem(new OutputCheck().input("data", data).file("model", link, 10)).contains("same file as the data"));
        Path sym = Files.createSymbolicLink(dir.resolve("sym.csv"), data);
        assertTrue(problem(new OutputCheck().input("data", data).file("model", sym, 10)).contains("same file"));
        // a file in an input folder is an input too
        Files.createDirectory(dir.resolve("idx"));
        Path labels = Files.writeString(dir.resolve("idx/train-labels-idx1-ubyte"), "x");
        assertTrue(problem(new OutputCheck().input("data", dir.resolve("idx")).file("model", labels, 10)).contains("same file"));
    }

    @Test
    void twoOutputsOnOneFileAreRefusedIncludingAFileACheckpointDirectoryOwns() throws IOException {
        Path out = dir.resolve("out.json");
        assertTrue(problem(new OutputCheck().file("model", out, 0).file("report", out, 0)).contains("report " + out + ": is the same file as the model"));
        Path ckpt = dir.resolve("ckpt");
        String m = problem(new OutputCheck().file("model", ckpt.resolve("checkpoint.safetensors"), 0)
                .directory("checkpoints", ckpt, 0, "checkpoint.safetensors"));
        assertTrue(m.contains("same file"), m);
        new OutputCheck().file("model", ckpt.resolve("model.safetensors"), 0).directory("checkpoints", ckpt, 0, "checkpoint.safetensors").check();
    }

    @Test
    void foldersFifosMissingParentsAndFilesWhereAFolderGoes() throws Exception {
        assertTrue(problem(new OutputCheck().file("model", dir, 0)).contains(": is a folder; name a file"));
        Path fifo = dir.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        assertTrue(problem(new OutputCheck().file("model", fifo, 0)).contains("is a FIFO (named pipe); only a regular file"));
        assertTrue(problem(new OutputCheck().file("chart", Path.of("/nonexistent-jgrad/x.svg"), 0)).contains("folder /nonexistent-jgrad does not exist"));
        Path file = Files.writeString(dir.resolve("good.csv"), "1,0\n");
        assertTrue(problem(new OutputCheck().directory("checkpoints", file, 0)).contains(file + ": is a regular file, not a folder"));
        assertTrue(problem(new OutputCheck().directory("checkpoints", dir.resolve("a/b"), 0)).contains("parent folder"));
        assertTrue(Files.notExists(dir.resolve("a")), "the check creates nothing");
    }

    /** A file system that is full or read-only, as the check sees it (tests run as root, whom permissions do not stop). */
    private static OutputCheck.FileSystemProbe probe(long free, boolean writable) {
        return new OutputCheck.FileSystemProbe() {
            @Override
            public long usableSpace(Path d) {
                return free;
            }

            @Override
            public boolean writable(Path d) {
                return writable;
            }
        };
    }

    @Test
    void aFullOrReadOnlyFileSystemIsFoundBeforeWork() throws IOException {
        Path model = dir.resolve("model.safetensors");
        String full = problem(new OutputCheck(probe(1000, true)).file("model", model, 4_000_000));
        assertEquals("model " + model + ": needs about 3.8 MiB but the file system of " + dir + " has 1000 bytes free", full);
        String ro = problem(new OutputCheck(probe(1L << 40, false)).directory("checkpoints", dir.resolve("ckpt"), 10));
        assertTrue(ro.contains("folder " + dir + " is not writable (a read-only file system"), ro);
        new OutputCheck(probe(4_000_000, true)).file("model", model, 4_000_000).check();
    }

    @Test
    void aWriteThatFailsAfterTheCheckRescuesTheContentAndSaysWhere() throws IOException {
        Path target = dir.resolve("model.safetensors");
        Path fallback = Files.createDirectory(dir.resolve("fallback"));
        RescuedWrite.RescuedException e = assertThrows(RescuedWrite.RescuedException.class, () -> RescuedWrite.write(target,
                List.of(dir.resolve("missing"), fallback), "model.rescued.safetensors", p -> {
                    if (p.equals(target)) throw new IOException(target + ": cannot write: No space left on device");
                    Files.writeString(p, "weights");
                }));
        assertEquals(fallback.resolve("model.rescued.safetensors"), e.rescuedTo());
        assertEquals(target + ": cannot write: No space left on device; it was written to " + e.rescuedTo() + " instead", e.getMessage());
        assertEquals("weights", Files.readString(e.rescuedTo()));
        // a second rescue does not overwrite the first
        RescuedWrite.RescuedException again = assertThrows(RescuedWrite.RescuedException.class, () -> RescuedWrite.write(target,
                List.of(fallback), "model.rescued.safetensors", p -> {
                    if (p.equals(target)) throw new IOException("full");
                    Files.writeString(p, "second");
                }));
        assertEquals(fallback.resolve("model.rescued-2.safetensors"), again.rescuedTo());
        assertEquals("weights", Files.readString(e.rescuedTo()));
    }

    @Test
    void onlyTheStaleTemporaryFilesOfTheTargetAreCleanedUp() throws IOException {
        Path target = dir.resolve("model.safetensors");
        Path stale = Files.writeString(dir.resolve(".model.safetensors.3f2a9c0d1e4b5a67.tmp"), "x");
        Files.setLastModifiedTime(stale, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
        Path fresh = Files.writeString(dir.resolve(".model.safetensors.0123abcd.tmp"), "in progress");
        Path notOurs = Files.writeString(dir.resolve(".model.safetensors.backup.tmp"), "user's");
        Path other = Files.writeString(dir.resolve(".other.safetensors.3f2a9c0d1e4b5a67.tmp"), "x");
        Files.setLastModifiedTime(other, FileTime.fromMillis(0));
        Files.setLastModifiedTime(notOurs, FileTime.fromMillis(0));
        assertEquals(List.of(stale), AtomicFiles.deleteLeftovers(target, Duration.ofMinutes(1)));
        assertTrue(Files.exists(fresh) && Files.exists(notOurs) && Files.exists(other));
    }
}
