package dev.jgrad.cli;

import dev.jgrad.data.DataFormatException;
import dev.jgrad.io.ModelCard;
import dev.jgrad.io.ModelFiles;
import dev.jgrad.io.NoModelCardException;
import dev.jgrad.io.SavedModel;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The train command's flags to and from a {@link ModelCard}: {@code --model} and {@code --activation} are
 * its architecture, and every option that defines the training is one of its training options, so
 * {@code eval}, {@code predict} and {@code train --resume} need no flags repeated.
 */
final class CardFlags {
    private CardFlags() {}

    /**
     * Options of {@code jgrad train} that say where or how to run, not what is trained: not saved, and free
     * to change when a run is resumed ({@code --epochs} is saved, and may be raised to train longer).
     */
    static final Set<String> RUN_OPTIONS = Set.of("--device", "--threads", "--report", "--chart", "--save", "--init", "--checkpoint-dir",
            "--checkpoint-every", "--resume", "--epochs", "--help", "--version", "--verbose", "--spark", "--workers", "--segment-steps", "--jit-warmup");

    /** The card of the model {@code cmd} trains on data of {@code features} values and {@code classes} classes. */
    static ModelCard card(TrainCommand cmd, int features, int classes) {
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("epochs", cmd.epochs);
        for (OptionSpec o : trainingOptions(cmd.persistence.spec)) {
            Object v = o.getValue();
            if (v != null) training.put(o.longestName().substring(2), jsonValue(v));
        }
        return ModelCard.forFeatures(cmd.model, cmd.activation, features, classes).withTraining(training);
    }

    /** Reads a model file or checkpoint with {@link ModelFiles#load(Path)}, its messages in terms of flags. */
    static SavedModel read(Path file) throws IOException {
        try {
            return ModelFiles.load(file);
        } catch (NoModelCardException e) {
            throw new DataFormatException(file + ": has no jgrad metadata, so the architecture is unknown;"
                    + " load it with --init into a model given by flags instead");
        }
    }

    /** The task, loss and data layout {@code saved} was trained with, from its card's training options. */
    static TaskSetup setup(SavedModel saved) throws DataFormatException {
        try {
            return TaskSetup.fromConfig(saved.card().training());
        } catch (IllegalArgumentException e) {
            throw new DataFormatException(saved.file() + ": saved training options: " + e.getMessage());
        }
    }

    /** The card in a checkpoint's metadata. */
    static ModelCard card(Map<String, String> metadata, Path source) throws DataFormatException {
        try {
            return ModelCard.fromMetadata(metadata);
        } catch (IllegalArgumentException e) {
            throw new DataFormatException(source + ": " + e.getMessage());
        }
    }

    /** The options of the train command that define the training (every option not in {@link #RUN_OPTIONS}). */
    static List<OptionSpec> trainingOptions(CommandSpec train) {
        if (train == null) throw new IllegalStateException("the train command's options are not available");
        List<OptionSpec> out = new ArrayList<>();
        for (OptionSpec o : train.options()) if (!RUN_OPTIONS.contains(o.longestName())) out.add(o);
        return out;
    }

    static Object jsonValue(Object v) {
        if (v instanceof Number || v instanceof Boolean || v instanceof String) return v;
        if (v instanceof Enum<?> e) return e.name();
        return String.valueOf(v);
    }

    /** A saved option value (as JSON read it) converted to the option's type. */
    static Object optionValue(Object json, Class<?> type) {
        String text = String.valueOf(json);
        if (type == String.class) return text;
        if (json instanceof Number n) {
            if (type == int.class || type == Integer.class) return n.intValue();
            if (type == long.class || type == Long.class) return n.longValue();
            if (type == float.class || type == Float.class) return n.floatValue();
            if (type == double.class || type == Double.class) return n.doubleValue();
        }
        if ((type == boolean.class || type == Boolean.class) && json instanceof Boolean b) return b;
        if (type.isEnum()) {
            for (Object c : type.getEnumConstants()) if (((Enum<?>) c).name().equals(text)) return c;
        }
        if (type == Path.class) return Path.of(text);
        throw new IllegalArgumentException("value " + text + " does not fit an option of type " + type.getSimpleName());
    }
}
