package dev.jgrad.spark;

import dev.jgrad.io.Checkpoint;
import dev.jgrad.io.Checkpoints;
import dev.jgrad.nn.Module;
import dev.jgrad.optim.Optimizer;
import dev.jgrad.train.TrainingPosition;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A training state (weights, optimizer state and counters, dropout counters, position) as the bytes of a
 * jgrad checkpoint file, so the driver broadcasts and the workers return exactly what {@link Checkpoints}
 * writes and reads, checksums included.
 */
final class StateBytes {
    private StateBytes() {}

    /** The checkpoint already written in {@code dir}, as bytes. */
    static byte[] read(Path dir) {
        try {
            return Files.readAllBytes(Checkpoints.file(dir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Encodes a model's and optimizer's state at a position. */
    static byte[] encode(Module model, Optimizer optimizer, TrainingPosition position) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("jgrad-state");
            Checkpoints.write(dir, model, optimizer, position, Map.of());
            return read(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            delete(dir);
        }
    }

    /** Decodes what {@link #encode} (or a checkpoint file) holds; {@code source} names it in errors. */
    static Checkpoint decode(byte[] bytes, String source) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("jgrad-state");
            Files.write(Checkpoints.file(dir), bytes);
            return Checkpoints.read(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(source + ": " + e.getMessage(), e);
        } finally {
            delete(dir);
        }
    }

    private static void delete(Path dir) {
        if (dir == null) return;
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}
