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

import java.io.IOException;
import java.nio.file.Path;
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

    @Option(names = "--checkpoint-every", paramLabel = "N", defaultValue = "0", description = "Steps between checkpoints (default: only at the end of each epoch).")
    int checkpointEvery;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the run checkpointed in DIR, with its options (and keep checkpointing there).")
    Path resume;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    void validate() {
        if (checkpointEvery < 0) throw new IllegalArgumentException("--checkpoint-every must not be negative, got " + checkpointEvery);
        if (checkpointEvery > 0 && checkpointDir == null && resume == null) {
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
                : new CheckpointHook(checkpointDir, checkpointEvery, net, opt, metadata, guard).withEarlyStopping(trainer.earlyStopping()));
    }

    /** With {@code --save}: writes the trained model with its card. */
    void save(Module net, ModelCard card) throws IOException {
        if (save == null) return;
        ModelFiles.save(net, card, save);
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
