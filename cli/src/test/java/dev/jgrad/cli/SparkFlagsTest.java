package dev.jgrad.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code train --spark}'s flags are checked before any work: no Spark starts in these runs (Spark is not even on
 * the test class path; a run that reached it would fail differently). Training on a real cluster is tested in
 * the spark module; the CLI's end-to-end path on a standalone cluster is the README's recipe.
 */
class SparkFlagsTest {
    private static void refused(String expected, String... args) {
        CliRun r = CliRun.of(args);
        assertEquals(2, r.exitCode(), r.err());
        assertEquals(1, r.errLines(), r.err());
        assertTrue(r.err().contains(expected), r.err());
        assertFalse(r.out().contains("epoch 1"), "must not have trained: " + r.out());
    }

    @Test
    void workerFlagsNeedSpark() {
        refused("--workers only applies with --spark", "train", "--workers", "2", "--epochs", "1");
        refused("--segment-steps only applies with --spark", "train", "--segment-steps", "5", "--epochs", "1");
    }

    @Test
    void singleMachineFlagsWithoutACounterpartAreNamed() {
        refused("--schedule, --clip-norm are not supported with --spark", "train", "--spark", "local[2]", "--schedule", "cosine:2", "--clip-norm", "1");
        refused("--early-stopping is not supported with --spark", "train", "--spark", "local[2]", "--early-stopping", "3");
        refused("--accumulate with --spark", "train", "--spark", "local[2]", "--workers", "2", "--accumulate", "4");
        refused("--workers 64 is more than the batch (32)", "train", "--spark", "local[2]", "--workers", "64");
        refused("--workers must be at least 1", "train", "--spark", "local[2]", "--workers", "0");
    }

    @Test
    void sparkAndWorkersAreRunOptionsNotTrainingOptions() {
        assertTrue(CardFlags.RUN_OPTIONS.contains("--spark") && CardFlags.RUN_OPTIONS.contains("--workers"),
                "a checkpoint of a Spark run resumes on one machine: where it ran is not part of what it trains");
        assertTrue(CliRun.of("train", "--help").out().contains("--spark"));
    }
}
