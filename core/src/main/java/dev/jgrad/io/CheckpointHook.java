package dev.jgrad.io;

import dev.jgrad.nn.Module;
import dev.jgrad.optim.Optimizer;
import dev.jgrad.train.DivergenceGuard;
import dev.jgrad.train.EarlyStopping;
import dev.jgrad.train.StepHook;
import dev.jgrad.train.TrainingPosition;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * The step hook of a run with a checkpoint directory: runs the {@link DivergenceGuard}, and every
 * {@code every} steps and at the end of every epoch checks the loss and gradients and writes a checkpoint
 * (never a diverged one).
 */
public final class CheckpointHook implements StepHook {
    private final Path dir;
    private final int every;
    private final Module model;
    private final Optimizer optimizer;
    private final Map<String, String> metadata;
    private final DivergenceGuard guard;
    private long written;
    private long lastWrittenStep = -1;
    private EarlyStopping stopping;

    /**
     * A hook writing checkpoints into a directory.
     *
     * @param dir       the directory that holds the run's one checkpoint file
     * @param every     steps between checkpoints; 0 writes one only at the end of each epoch
     * @param model     the model trained
     * @param optimizer the optimizer over its parameters
     * @param metadata  stored in every checkpoint beside the position (model description, training options)
     * @param guard     checks the loss after every step and the gradients before each checkpoint
     * @throws IllegalArgumentException when {@code every} is negative
     */
    public CheckpointHook(Path dir, int every, Module model, Optimizer optimizer, Map<String, String> metadata, DivergenceGuard guard) {
        if (every < 0) throw new IllegalArgumentException("--checkpoint-every must not be negative, got " + every);
        this.dir = dir;
        this.every = every;
        this.model = model;
        this.optimizer = optimizer;
        this.metadata = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
        this.guard = guard;
    }

    @Override
    public void afterStep(TrainingPosition position, int samplesTotal, DoubleSupplier lossSum) {
        guard.afterStep(position, samplesTotal, lossSum);
        boolean due = (every > 0 && position.step() % every == 0) || position.samplesDone() == samplesTotal;
        if (!due) return;
        write(position, lossSum);
    }

    /** Writes a checkpoint at the stop, unless the step's checkpoint was just written. */
    @Override
    public void stopped(TrainingPosition position, int samplesTotal, DoubleSupplier lossSum) {
        if (position.step() != lastWrittenStep) write(position, lossSum);
    }

    private void write(TrainingPosition position, DoubleSupplier lossSum) {
        float sum = (float) lossSum.getAsDouble();
        TrainingPosition at = new TrainingPosition(position.epoch(), position.samplesDone(), position.step(), sum);
        guard.checkLoss(at, sum);
        guard.checkGradients(at);
        try {
            if (written == 0) AtomicFiles.deleteLeftovers(Checkpoints.file(dir));
            Checkpoints.write(dir, model, optimizer, stopping, at, metadata);
        } catch (IOException e) {
            String reason = e.getMessage() != null && e.getMessage().contains(dir.toString()) ? e.getMessage()
                    : dir + ": " + e.getMessage();
            throw new UncheckedIOException(new OutputException(reason + " (writing a checkpoint; "
                    + (written == 0 ? "none was written before" : "the previous one, step " + lastWrittenStep + ", is kept") + ")", e));
        }
        written++;
        lastWrittenStep = position.step();
    }

    /**
     * The step of the last checkpoint this hook wrote.
     *
     * @return that training step, or -1 when this hook has written none yet
     */
    public long lastWrittenStep() {
        return lastWrittenStep;
    }

    /**
     * Saves early stopping's state (best metric and weights, patience used) with each checkpoint.
     *
     * @param stopping the run's early stopping
     * @return this hook
     */
    public CheckpointHook withEarlyStopping(EarlyStopping stopping) {
        this.stopping = stopping;
        return this;
    }

    /** {@return the number of checkpoints written by this hook} */
    public long written() {
        return written;
    }
}
