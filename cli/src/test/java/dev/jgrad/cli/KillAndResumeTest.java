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
 * {@code --resume} ends with exactly the bytes of the same run left alone: the saved model and the last
 * checkpoint (weights, optimizer state, position, metadata).
 */
class KillAndResumeTest {
    private static final int ROUNDS = 3;
    /** Every kind of state a run carries: batch-norm statistics, a dropout stream, Adam's moments and step, a schedule, early stopping. */
    private static final String[] RUN = {"train", "--device", "cpu", "--threads", "2", "--data", "digits",
            "--model", "dense(256)-batchnorm-relu-dropout(0.2)-dense(128)-relu-dense(10)", "--epochs", "5", "--batch", "16",
            "--optimizer", "adam", "--schedule", "cosine:5", "--clip-norm", "5", "--early-stopping", "2", "--seed", "11",
            "--checkpoint-every", "7"};

    @Test
    void killedRunResumedEqualsUninterruptedRunBitForBit(@TempDir Path dir) throws Exception {
        Path reference = dir.resolve("reference.safetensors");
        Path referenceCkpt = dir.resolve("ref-ckpt");
        Process ref = ChildJvm.start(dir.resolve("reference.log"), List.of(), with("--checkpoint-dir", referenceCkpt.toString(),
                "--save", reference.toString()));
        awaitCheckpoint(ref, referenceCkpt, dir.resolve("reference.log"));
        long firstCheckpoint = System.nanoTime();
        assertTrue(ref.waitFor(300, TimeUnit.SECONDS), "the reference run did not finish");
        // the span in which a kill interrupts the run: from its first checkpoint to its end
        long windowMillis = (System.nanoTime() - firstCheckpoint) / 1_000_000;
        assertEquals(0, ref.exitValue(), ChildJvm.output(dir.resolve("reference.log")));
        byte[] expected = Files.readAllBytes(reference);

        SplittableRandom rng = new SplittableRandom(System.nanoTime());
        int interrupted = 0;
        for (int round = 0; round < ROUNDS; round++) {
            Path ckpt = dir.resolve("ckpt" + round);
            Path out = dir.resolve("resumed" + round + ".safetensors");
            Path log = dir.resolve("killed" + round + ".log");
            Process p = ChildJvm.start(log, List.of(), with("--checkpoint-dir", ckpt.toString(), "--save", out.toString()));
            awaitCheckpoint(p, ckpt, log);
            Thread.sleep(rng.nextLong(Math.max(1, windowMillis * 9 / 10)));
            p.destroyForcibly();
            p.waitFor();
            boolean killed = p.exitValue() != 0;
            if (killed) interrupted++;
            assertTrue(!Files.exists(out) || !killed, "a killed run must not have saved its final model");

            Path resumeLog = dir.resolve("resume" + round + ".log");
            int code = ChildJvm.run(resumeLog, List.of(), "train", "--device", "cpu", "--threads", "2", "--resume", ckpt.toString(), "--save", out.toString());
            assertEquals(0, code, ChildJvm.output(resumeLog));
            assertTrue(ChildJvm.output(resumeLog).contains("resuming"), ChildJvm.output(resumeLog));
            byte[] actual = Files.readAllBytes(out);
            assertArrayEquals(expected, actual, "round " + round + " (killed: " + killed + ") differs from the uninterrupted run");
            // the last checkpoint holds the last step's weights and optimizer state, whichever epoch early stopping restored
            assertArrayEquals(Files.readAllBytes(Checkpoints.file(referenceCkpt)), Files.readAllBytes(Checkpoints.file(ckpt)),
                    "round " + round + ": the final checkpoint differs from the uninterrupted run's");
            try (var files = Files.list(ckpt)) {
                List<Path> left = files.filter(f -> !f.getFileName().toString().equals(Checkpoints.FILE_NAME)).toList();
                assertTrue(left.isEmpty(), "temporary files left in the checkpoint folder: " + left);
            }
        }
        System.out.println("kill-and-resume: " + ROUNDS + " rounds, " + interrupted + " killed mid-run (at random in the "
                + windowMillis + " ms after the first checkpoint), all bit-identical to the uninterrupted run");
        assertTrue(interrupted > 0, "no round was actually killed before the end; the run is too short for the test");
    }

    private static void awaitCheckpoint(Process p, Path ckpt, Path log) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Checkpoints.exists(ckpt) && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(2);
        assertTrue(Checkpoints.exists(ckpt), "no checkpoint appeared; output:\n" + ChildJvm.output(log));
    }

    private static String[] with(String... more) {
        List<String> all = new ArrayList<>(Arrays.asList(RUN));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }
}
