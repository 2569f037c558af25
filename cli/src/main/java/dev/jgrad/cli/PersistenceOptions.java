package dev.jgrad.cli;

import dev.jgrad.device.Device;
import dev.jgrad.device.DeviceOutOfMemoryException;
import dev.jgrad.io.Checkpoint;
import dev.jgrad.io.CheckpointHook;
import dev.jgrad.io.Checkpoints;
import dev.jgrad.io.ModelCard;
import dev.jgrad.io.ModelFiles;
import dev.jgrad.nn.Module;
import dev.jgrad.optim.Optimizer;
import dev.jgrad.train.DivergenceGuard;
import dev.jgrad.train.Trainer;
import dev.jgrad.train.TrainingDivergedException;
import dev.jgrad.data.DataFormatException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import dev.jgrad.data.DataFingerprint;
import dev.jgrad.data.Datasets;
import dev.jgrad.io.AtomicFiles;
import dev.jgrad.io.DirectoryLock;
import dev.jgrad.io.OutputCheck;
import dev.jgrad.io.RescuedWrite;
import dev.jgrad.train.TrainingPosition;
import dev.jgrad.train.TrainingStoppedException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code jgrad train}'s options for models and runs that outlive the process: {@code --save}, {@code --init},
 * {@code --checkpoint-dir}, {@code --checkpoint-every} and {@code --resume}, and what they do around
 * {@link Trainer#fit}.
 */
final class PersistenceOptions {
    @Option(names = "--save", paramLabel = "FILE", description = "Write the trained model (safetensors, PyTorch state_dict names, architecture and options in its metadata).")
    Path save;

    @Option(names = "--init", paramLabel = "FILE", description = "Start from the weights in a safetensors FILE instead of random ones.")
    Path init;

    @Option(names = "--checkpoint-dir", paramLabel = "DIR", description = "Write a checkpoint (weights, optimizer state, position) to DIR at the end of every epoch and every --checkpoint-every steps.")
    Path checkpointDir;

    @Option(names = "--checkpoint-every", paramLabel = "N", description = "Steps between checkpoints, at least 1 (default: only at the end of each epoch).")
    Integer checkpointEvery;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the run checkpointed in DIR, with its options (and keep checkpointing there).")
    Path resume;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    void validate() {
        if (checkpointEvery != null && checkpointEvery < 1) {
            throw new IllegalArgumentException("--checkpoint-every must be at least 1 step, got " + checkpointEvery + " (leave it out to checkpoint only at the end of each epoch)");
        }
        if (checkpointEvery != null && checkpointDir == null && resume == null) {
            throw new IllegalArgumentException("--checkpoint-every needs --checkpoint-dir (or --resume)");
        }
        if (init != null && resume != null) throw new IllegalArgumentException("--init and --resume cannot be combined: a resumed run has its weights");
    }

    /**
     * With {@code --resume}: reads the checkpoint and sets the train command's options to the ones it was
     * written with; a training option given on the command line that differs is an error (the run options,
     * {@link CardFlags#RUN_OPTIONS}, may change). Returns null without {@code --resume}.
     */
    Checkpoint resumeInto(TrainCommand cmd) throws IOException {
        validate();
        if (resume == null) return null;
        Checkpoint ckpt = Checkpoints.read(resume);
        Map<String, Object> config = CardFlags.card(ckpt.metadata(), ckpt.file()).training();
        for (OptionSpec o : CardFlags.trainingOptions(spec)) {
            Object saved = config.get(o.longestName().substring(2));
            if (o.longestName().equals("--data") && saved instanceof String savedData) {
                resumeData(cmd, savedData, ckpt.metadata().get(DATA_FINGERPRINT));
                continue;
            }
            if (matched(o.longestName()) && !same(o.getValue(), saved)) {
                throw new Errors.UserInputException("--resume " + resume + ": the run was started with "
                        + (saved == null ? "no " + o.longestName() : o.longestName() + " " + saved) + "; leave " + o.longestName() + " out to continue it");
            }
            if (saved == null) continue;
            try {
                o.setValue(CardFlags.optionValue(saved, o.type()));
            } catch (IllegalArgumentException e) {
                throw new DataFormatException(ckpt.file() + ": saved option " + o.longestName() + ": " + e.getMessage());
            }
        }
        if (!matched("--epochs") && config.get("epochs") instanceof Number n) cmd.epochs = n.intValue();
        if (checkpointDir == null) checkpointDir = resume;
        return ckpt;
    }

    /**
     * The resumed run's data: where it was (stored absolute) if it is still the same there; else the
     * {@code --data} given, if its content fingerprint is the one the run was started with.
     */
    private void resumeData(TrainCommand cmd, String saved, String fingerprint) throws IOException {
        if (matched("--data") && !same(cmd.data, saved)) {
            String given = DataFingerprint.of(cmd.data);
            if (fingerprint == null || !fingerprint.equals(given)) {
                throw new Errors.UserInputException("--resume " + resume + ": the run was trained on " + saved + "; --data " + cmd.data
                        + (fingerprint == null ? " is another path (this checkpoint has no content fingerprint to compare)" : " has other content")
                        + "; leave --data out, or name the same data where it is now");
            }
            System.out.println("data: " + cmd.data + " has the content of the run's " + saved);
            return;
        }
        cmd.data = saved;
        String spec = saved.strip();
        if (fingerprint == null || spec.equals(Datasets.DIGITS) || spec.equals(Datasets.FASHION_MNIST)) return;
        if (!Files.exists(Path.of(spec))) {
            throw new Errors.UserInputException("--resume " + resume + ": the run's data " + saved
                    + " is not there any more; if it moved, name its new place with --data (its content is checked)");
        }
        if (!fingerprint.equals(DataFingerprint.of(spec))) {
            throw new Errors.UserInputException("--resume " + resume + ": the run's data " + saved
                    + " has changed since the run started (its content fingerprint differs); restore it, or name the original with --data");
        }
    }

    private boolean matched(String option) {
        return spec != null && spec.commandLine() != null && spec.commandLine().getParseResult() != null
                && spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    private static boolean same(Object given, Object saved) {
        if (given == null || saved == null) return given == saved;
        Object g = CardFlags.jsonValue(given);
        if (g instanceof Float f && saved instanceof Number s) return f == s.floatValue();
        if (g instanceof Number a && saved instanceof Number b) return a.doubleValue() == b.doubleValue();
        return String.valueOf(g).equals(String.valueOf(saved));
    }

    /** Loads {@code --init} weights or the resumed state, and installs the step hook (checkpoints, divergence checks). */
    void attach(Trainer trainer, Module net, Optimizer opt, Device device, Checkpoint resumed, Map<String, String> metadata)
            throws IOException {
        if (init != null) ModelFiles.load(init, net);
        if (resumed != null) {
            resumed.restore(net, opt);
            resumed.restore(trainer.earlyStopping(), net);
            trainer.resumeAt(resumed.position());
            System.out.printf(Locale.ROOT, "resuming %s at epoch %d, example %d, step %d%n", resume, resumed.position().epoch(),
                    resumed.position().samplesDone(), resumed.position().step());
        }
        DivergenceGuard guard = DivergenceGuard.forDevice(net, device);
        trainer.onStep(checkpointDir == null ? guard
                : new CheckpointHook(checkpointDir, checkpointEvery == null ? 0 : checkpointEvery, net, opt, metadata, guard).withEarlyStopping(trainer.earlyStopping()));
    }

    /**
     * Registers the files this run reads and writes with {@code check}; {@code modelBytes} and
     * {@code checkpointBytes} are the expected sizes (0 before the model exists).
     */
    void outputs(OutputCheck check, long modelBytes, long checkpointBytes) {
        check.input("--init", init);
        if (resume != null && !resume.equals(checkpointDir)) check.input("--resume checkpoint", Checkpoints.file(resume));
        check.file("--save", save, modelBytes);
        check.directory("--checkpoint-dir", checkpointDir, checkpointBytes, Checkpoints.FILE_NAME, DirectoryLock.FILE_NAME);
    }

    /** Checkpoint metadata: the training data's {@link DataFingerprint}, so a resumed run finds it moved or changed. */
    static final String DATA_FINGERPRINT = "jgrad.data_fingerprint";

    /** Locks {@code --checkpoint-dir} for this run (creating it); null without one. */
    DirectoryLock lock() throws IOException {
        if (checkpointDir == null) return null;
        DirectoryLock lock = DirectoryLock.acquire(checkpointDir);
        if (lock.staleOwner() != null) {
            System.out.println("checkpoint dir: took over the lock of a run that is no longer running (" + lock.staleOwner() + ")");
        }
        return lock;
    }

    /** Releases the lock, removing the checkpoint directory again when the lock created it and nothing was written. */
    static void unlock(DirectoryLock lock) throws IOException {
        if (lock == null) return;
        lock.close();
        if (lock.createdDirectory()) {
            try (var left = Files.list(lock.directory())) {
                if (left.findAny().isEmpty()) Files.deleteIfExists(lock.directory());
            }
        }
    }

    /** The temporary files of this run's outputs that an earlier, killed jgrad left (and only those). */
    void deleteLeftovers(List<Path> also) throws IOException {
        List<Path> targets = new java.util.ArrayList<>(also);
        if (save != null) targets.add(save);
        if (checkpointDir != null) targets.add(Checkpoints.file(checkpointDir));
        for (Path t : targets) {
            if (t == null) continue;
            for (Path f : AtomicFiles.deleteLeftovers(t, LEFTOVER_IDLE)) System.out.println("removed " + f + ", left by an interrupted write");
        }
    }

    /** A temporary file untouched this long belongs to no write in progress (a write keeps appending to its file). */
    static final Duration LEFTOVER_IDLE = Duration.ofMinutes(1);

    /**
     * With {@code --save}: writes the trained model. When that fails (the disk filled up during training),
     * the model goes to the checkpoint directory, else the temporary folder, else the home folder, and the
     * error names where.
     */
    void save(Module net, ModelCard card) throws IOException {
        if (save == null) return;
        String name = save.getFileName() + ".rescued-" + ProcessHandle.current().pid() + ".safetensors";
        List<Path> fallbacks = new java.util.ArrayList<>();
        if (checkpointDir != null) fallbacks.add(checkpointDir);
        fallbacks.add(Path.of(System.getProperty("java.io.tmpdir")));
        fallbacks.add(Path.of(System.getProperty("user.home")));
        RescuedWrite.write(save, fallbacks, name, p -> ModelFiles.save(net, card, p));
        System.out.println("saved model to " + save);
    }

    /** Where a partial model goes: beside {@code --save}, with {@code .partial} before the extension. */
    Path partialPath() {
        if (save == null) return null;
        String n = save.getFileName().toString();
        int dot = n.lastIndexOf('.');
        String partial = dot > 0 ? n.substring(0, dot) + ".partial" + n.substring(dot) : n + ".partial";
        return save.resolveSibling(partial);
    }

    /**
     * After a stop on request: saves the partial model (with {@code --save}), says where everything is and
     * the exact command that resumes, and returns the exit code.
     */
    int stopped(TrainingStoppedException e, Module net, ModelCard card, TrainCommand cmd) throws IOException {
        TrainingPosition at = e.position();
        System.err.printf(Locale.ROOT, "jgrad: interrupted after step %d (epoch %d, %d examples into it)%n", at.step(), at.epoch(), at.samplesDone());
        if (checkpointDir != null && Checkpoints.exists(checkpointDir)) {
            System.err.println("jgrad: checkpoint: " + Checkpoints.file(checkpointDir).toAbsolutePath());
        }
        Path partial = partialPath();
        if (partial != null) {
            ModelFiles.save(net, card, partial);
            System.err.println("jgrad: partial model (training not finished): " + partial.toAbsolutePath());
        }
        if (checkpointDir != null) {
            StringBuilder c = new StringBuilder(System.getProperty("jgrad.launcher", "jgrad")).append(" train --resume ")
                    .append(shellQuote(checkpointDir.toAbsolutePath().toString()));
            if (save != null) c.append(" --save ").append(shellQuote(save.toAbsolutePath().toString()));
            if (cmd.report != null) c.append(" --report ").append(shellQuote(cmd.report.toAbsolutePath().toString()));
            if (cmd.deviceOptions.device != null) c.append(" --device ").append(shellQuote(cmd.deviceOptions.device));
            if (cmd.deviceOptions.threads != null) c.append(" --threads ").append(cmd.deviceOptions.threads);
            if (cmd.deviceOptions.tf32) c.append(" --tf32");
            if (cmd.datasetOnDevice) c.append(" --dataset-on-device");
            System.err.println("jgrad: resume with: " + c);
        } else {
            System.err.println("jgrad: no --checkpoint-dir, so the run cannot be resumed" + (partial != null ? "; the partial model can seed a new one with --init" : ""));
        }
        return Interrupts.EXIT_CODE;
    }

    static String shellQuote(String s) {
        return s.matches("[A-Za-z0-9_@%+=:,./-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }

    /** The divergence message, saying which checkpoint is left to resume from. */
    TrainingDivergedException diverged(TrainingDivergedException e) {
        if (checkpointDir == null || e.getMessage().contains(checkpointDir.toString())) return e;
        return new TrainingDivergedException(e.getMessage() + "; " + Checkpoints.describeKept(checkpointDir), e.step());
    }

    /**
     * The out-of-memory message with what to try: a batch small enough for the free memory when it failed
     * during training ({@code batch} > 0; activations grow with the batch), else a smaller model.
     */
    static Errors.UserInputException outOfMemory(DeviceOutOfMemoryException e, int batch) {
        String advice;
        if (batch <= 0) {
            advice = "; the model's parameters and optimizer state do not fit: try a smaller --model";
        } else if (batch == 1) {
            advice = "; it does not fit even with --batch 1: try a smaller --model";
        } else {
            long fits = e.freeBytes() > 0 && e.requestedBytes() > 0 ? (long) batch * e.freeBytes() / e.requestedBytes() : batch / 2;
            advice = "; try --batch " + Math.max(1, Math.min(batch / 2, fits));
        }
        return new Errors.UserInputException(e.getMessage() + advice);
    }
}
