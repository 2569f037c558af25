package dev.jgrad.cli;

import dev.jgrad.io.Checkpoints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A training run killed with SIGKILL at a random moment (after its first checkpoint) and resumed with
 * {@code --resume} ends with exactly the bytes of the same run left alone: weights, and the metadata.
 */
class KillAndResumeTest {
    private static final int ROUNDS = 3;
    private static final String[] RUN = {"train", "--device", "cpu", "--threads", "2", "--data", "digits", "--model", "mlp:256,128",
            "--epochs", "4", "--batch", "16", "--optimizer", "adam", "--seed", "11", "--checkpoint-every", "7"};

    @Test
    void killedRunResumedEqualsUninterruptedRunBitForBit(@TempDir Path dir) throws Exception {
        Path reference = dir.resolve("reference.safetensors");
        long start = System.nanoTime();
        int code = ChildJvm.run(dir.resolve("reference.log"), List.of(), with("--checkpoint-dir", dir.resolve("ref-ckpt").toString(),
                "--save", reference.toString()));
        long referenceMillis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(0, code, ChildJvm.output(dir.resolve("reference.log")));
        byte[] expected = Files.readAllBytes(reference);

        SplittableRandom rng = new SplittableRandom(System.nanoTime());
        int interrupted = 0;
        for (int round = 0; round < ROUNDS; round++) {
            Path ckpt = dir.resolve("ckpt" + round);
            Path out = dir.resolve("resumed" + round + ".safetensors");
            Path log = dir.resolve("killed" + round + ".log");
            Process p = ChildJvm.start(log, List.of(), with("--checkpoint-dir", ckpt.toString(), "--save", out.toString()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Checkpoints.exists(ckpt) && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(2);
            assertTrue(Checkpoints.exists(ckpt), "no checkpoint appeared; output:\n" + ChildJvm.output(log));
            // anywhere in the rest of the run, as long as the uninterrupted one took
            Thread.sleep(rng.nextLong(Math.max(1, referenceMillis / 2)));
            p.destroyForcibly();
            p.waitFor();
            boolean killed = p.exitValue() != 0;
            if (killed) interrupted++;
            assertTrue(!Files.exists(out) || !killed, "a killed run must not have saved its final model");

            Path resumeLog = dir.resolve("resume" + round + ".log");
            code = ChildJvm.run(resumeLog, List.of(), "train", "--device", "cpu", "--threads", "2", "--resume", ckpt.toString(), "--save", out.toString());
            assertEquals(0, code, ChildJvm.output(resumeLog));
            assertTrue(ChildJvm.output(resumeLog).contains("resuming"), ChildJvm.output(resumeLog));
            byte[] actual = Files.readAllBytes(out);
            assertArrayEquals(expected, actual, "round " + round + " (killed: " + killed + ") differs from the uninterrupted run");
            try (var files = Files.list(ckpt)) {
                List<Path> left = files.filter(f -> !f.getFileName().toString().equals(Checkpoints.FILE_NAME)).toList();
                assertTrue(left.isEmpty(), "temporary files left in the checkpoint folder: " + left);
            }
        }
        System.out.println("kill-and-resume: " + ROUNDS + " rounds, " + interrupted + " killed mid-run, all bit-identical to the uninterrupted run ("
                + referenceMillis + " ms)");
        assertTrue(interrupted > 0, "no round was actually killed before the end; the run is too short for the test");
    }

    private static String[] with(String... more) {
        List<String> all = new ArrayList<>(Arrays.asList(RUN));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }
}
