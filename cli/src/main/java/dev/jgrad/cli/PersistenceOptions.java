package dev.jgrad.cli;

import dev.jgrad.backend.Device;
import dev.jgrad.backend.DeviceOutOfMemoryException;
import dev.jgrad.io.Checkpoint;
import dev.jgrad.io.CheckpointHook;
import dev.jgrad.io.Checkpoints;
import dev.jgrad.io.ModelFiles;
import dev.jgrad.nn.Module;
import dev.jgrad.optim.Optimizer;
import dev.jgrad.train.DivergenceGuard;
import dev.jgrad.train.Trainer;
import dev.jgrad.train.TrainingDivergedException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

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

    @Option(names = "--checkpoint-every", paramLabel = "N", defaultValue = "0", description = "Steps between checkpoints (default: only at the end of each epoch).")
    int checkpointEvery;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the run checkpointed in DIR, with its options (and keep checkpointing there).")
    Path resume;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    /** The training options a resumed run takes from its checkpoint, by option name and config key. */
    private static final String[][] RESUMED = {
            {"--data", "data"}, {"--model", null}, {"--activation", null}, {"--batch", "batch"}, {"--optimizer", "optimizer"},
            {"--lr", "lr"}, {"--momentum", "momentum"}, {"--weight-decay", "weight_decay"}, {"--seed", "seed"}};

    void validate() {
        if (checkpointEvery < 0) throw new IllegalArgumentException("--checkpoint-every must not be negative, got " + checkpointEvery);
        if (checkpointEvery > 0 && checkpointDir == null && resume == null) {
            throw new IllegalArgumentException("--checkpoint-every needs --checkpoint-dir (or --resume)");
        }
        if (init != null && resume != null) throw new IllegalArgumentException("--init and --resume cannot be combined: a resumed run has its weights");
    }

    /**
     * With {@code --resume}: reads the checkpoint and sets {@code cmd}'s training options to the ones it was
     * written with; an option given on the command line that differs is an error. Returns null without it.
     */
    Checkpoint resumeInto(TrainCommand cmd) throws IOException {
        if (resume == null) return null;
        Checkpoint ckpt = Checkpoints.read(resume);
        Map<String, String> meta = ckpt.metadata();
        SavedModel.Description d = SavedModel.describe(meta, ckpt.file());
        Map<String, Object> config = SavedModel.config(meta, ckpt.file());
        for (String[] option : RESUMED) {
            Object saved = switch (option[0]) {
                case "--model" -> d.model();
                case "--activation" -> d.activation();
                default -> config.get(option[1]);
            };
            if (saved == null) throw new dev.jgrad.data.DataFormatException(ckpt.file() + ": training option " + option[1] + " is missing");
            Object given = current(cmd, option[0]);
            if (matched(option[0]) && !same(given, saved)) {
                throw new Errors.UserInputException("--resume " + resume + ": the run was started with " + option[0] + " " + saved
                        + "; leave " + option[0] + " out to continue it");
            }
            set(cmd, option[0], saved);
        }
        if (!matched("--epochs") && config.get("epochs") instanceof Number n) cmd.epochs = n.intValue();
        if (checkpointDir == null) checkpointDir = resume;
        return ckpt;
    }

    private boolean matched(String option) {
        return spec != null && spec.commandLine() != null && spec.commandLine().getParseResult() != null
                && spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    private static Object current(TrainCommand cmd, String option) {
        return switch (option) {
            case "--data" -> cmd.data;
            case "--model" -> cmd.model;
            case "--activation" -> cmd.activation;
            case "--batch" -> cmd.batch;
            case "--optimizer" -> cmd.optimizer.name();
            case "--lr" -> cmd.learningRate();
            case "--momentum" -> cmd.momentum;
            case "--weight-decay" -> cmd.weightDecay;
            case "--seed" -> cmd.seed;
            default -> throw new IllegalStateException(option);
        };
    }

    private static boolean same(Object given, Object saved) {
        if (given instanceof Number g && saved instanceof Number s) {
            return given instanceof Float ? g.floatValue() == s.floatValue() : g.doubleValue() == s.doubleValue();
        }
        return Objects.equals(String.valueOf(given), String.valueOf(saved));
    }

    private static void set(TrainCommand cmd, String option, Object v) {
        switch (option) {
            case "--data" -> cmd.data = String.valueOf(v);
            case "--model" -> cmd.model = String.valueOf(v);
            case "--activation" -> cmd.activation = String.valueOf(v);
            case "--batch" -> cmd.batch = ((Number) v).intValue();
            case "--optimizer" -> cmd.optimizer = TrainCommand.OptimizerName.valueOf(String.valueOf(v).toLowerCase(Locale.ROOT));
            case "--lr" -> cmd.lr = ((Number) v).floatValue();
            case "--momentum" -> cmd.momentum = ((Number) v).floatValue();
            case "--weight-decay" -> cmd.weightDecay = ((Number) v).floatValue();
            case "--seed" -> cmd.seed = ((Number) v).longValue();
            default -> throw new IllegalStateException(option);
        }
    }

    /** Loads {@code --init} weights or the resumed state, and installs the step hook (checkpoints, divergence checks). */
    void attach(Trainer trainer, Module net, Optimizer opt, Device device, Checkpoint resumed, Map<String, String> metadata)
            throws IOException {
        if (init != null) ModelFiles.load(init, net);
        if (resumed != null) {
            resumed.restore(net, opt);
            trainer.resumeAt(resumed.position());
            System.out.printf(Locale.ROOT, "resuming %s at epoch %d, example %d, step %d%n", resume, resumed.position().epoch(),
                    resumed.position().samplesDone(), resumed.position().step());
        }
        DivergenceGuard guard = DivergenceGuard.forDevice(net, device);
        trainer.onStep(checkpointDir == null ? guard : new CheckpointHook(checkpointDir, checkpointEvery, net, opt, metadata, guard));
    }

    /** With {@code --save}: writes the trained model. */
    void save(Module net, Map<String, String> metadata) throws IOException {
        if (save == null) return;
        ModelFiles.save(save, net, metadata);
        System.out.println("saved model to " + save);
    }

    /** The divergence message, saying which checkpoint is left to resume from. */
    TrainingDivergedException diverged(TrainingDivergedException e) {
        if (checkpointDir == null || e.getMessage().contains("is kept")) return e;
        String kept;
        try {
            kept = Checkpoints.exists(checkpointDir)
                    ? "the last good checkpoint (step " + Checkpoints.read(checkpointDir).position().step() + ") in " + checkpointDir + " is kept"
                    : "no checkpoint was written to " + checkpointDir + " before it";
        } catch (IOException x) {
            kept = "the checkpoint in " + checkpointDir + " is unreadable: " + x.getMessage();
        }
        return new TrainingDivergedException(e.getMessage() + "; " + kept, e.step());
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
