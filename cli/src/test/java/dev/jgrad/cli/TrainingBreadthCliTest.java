package dev.jgrad.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The issue-7 side of {@code jgrad train}: layer descriptions, optimizers, schedules, clipping, penalties, early stopping. */
class TrainingBreadthCliTest {

    @Test
    void trainsACnnOnDigitsWithEveryTechniqueAtOnce(@TempDir Path dir) throws Exception {
        Path saved = dir.resolve("cnn.safetensors");
        CliRun r = CliRun.of("train", "--device", "cpu", "--epochs", "3", "--batch", "32",
                "--model", "conv(16,3,1,same)-bn-relu-maxpool(2)-flatten-dense(32)-relu-dropout(0.2)-dense(10)",
                "--optimizer", "adamw", "--weight-decay", "0.01", "--lr", "0.003", "--schedule", "warmup:1+cosine:3",
                "--l2", "1e-4", "--clip-norm", "5", "--early-stopping", "2", "--save", saved.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("unflatten(1x8x8) -> conv2d(1->16, 3x3, padding 1) -> batchnorm2d(16)"), r.out());
        assertTrue(r.out().contains("validation: "), r.out());
        String test = r.out().lines().filter(l -> l.startsWith("test: ")).findFirst().orElseThrow(() -> new AssertionError(r.out()));
        double accuracy = Double.parseDouble(test.replaceAll(".*accuracy ([0-9.]+)%.*", "$1"));
        assertTrue(accuracy > 85, "a small CNN should pass 85% on digits in 3 epochs: " + test);
        assertTrue(Files.size(saved) > 0);

        CliRun eval = CliRun.of("eval", "--model", saved.toString(), "--device", "cpu");
        assertEquals(0, eval.exitCode(), eval.err() + eval.out());
    }

    @Test
    void everyOptimizerRuns() {
        for (String opt : new String[]{"rmsprop", "adagrad", "nesterov"}) {
            CliRun r = CliRun.of("train", "--device", "cpu", "--epochs", "1", "--model", "mlp:32", "--optimizer", opt,
                    "--clip-value", "1", "--l1", "1e-5", "--schedule", "step:1,0.5");
            assertEquals(0, r.exitCode(), opt + ": " + r.err());
        }
    }

    @Test
    void badModelDescriptionPointsAtTheToken() {
        CliRun r = CliRun.of("train", "--device", "cpu", "--epochs", "1", "--model", "conv(8,3)-relu-maxpoll(2)-flatten-dense(10)");
        assertEquals(2, r.exitCode(), r.out());
        assertTrue(r.err().contains("position 15") && r.err().contains("maxpoll(2)"), r.err());
    }

    @Test
    void badScheduleIsAUsageError() {
        CliRun r = CliRun.of("train", "--device", "cpu", "--epochs", "1", "--schedule", "cosine");
        assertEquals(2, r.exitCode(), r.out());
        assertTrue(r.err().contains("cosine"), r.err());
    }
}
