package dev.jgrad.cli;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.jgrad.data.DataFormatException;
import dev.jgrad.data.Normalization;
import dev.jgrad.io.Checkpoints;
import dev.jgrad.io.HostArray;
import dev.jgrad.io.ModelFiles;
import dev.jgrad.io.Safetensors;
import dev.jgrad.io.SafetensorsFile;
import dev.jgrad.nn.Linear;
import dev.jgrad.nn.Module;
import dev.jgrad.nn.Sequential;
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
 * The safetensors metadata the CLI writes with a model (and a checkpoint), so that {@code eval},
 * {@code predict} and {@code train --resume} rebuild it without repeating flags: the {@code --model} spec,
 * the activation, the input and class counts, a readable architecture, and the training options as JSON.
 */
final class SavedModel {
    static final String FORMAT = "jgrad.format";
    static final String FORMAT_VERSION = "1";
    static final String MODEL = "jgrad.model";
    static final String ACTIVATION = "jgrad.activation";
    static final String INPUTS = "jgrad.inputs";
    static final String CLASSES = "jgrad.classes";
    static final String ARCHITECTURE = "jgrad.architecture";
    static final String CONFIG = "jgrad.config";

    /** What builds the model: the CLI's {@code --model} spec and activation, and the data's sizes. */
    record Description(String model, String activation, int inputs, int classes) {
        Module build() {
            TrainCommand spec = new TrainCommand();
            spec.model = model;
            spec.activation = activation;
            return spec.buildModel(inputs, classes);
        }
    }

    /**
     * A model read from a file: its description, training options, standardization and weights (not yet on a
     * device).
     */
    record Loaded(Path file, Description description, Map<String, Object> config, Normalization normalization,
                  Map<String, HostArray> weights) {
        /** The task, loss and data layout it was trained with. */
        TaskSetup setup() throws DataFormatException {
            try {
                return TaskSetup.fromConfig(config);
            } catch (IllegalArgumentException e) {
                throw new DataFormatException(file + ": saved training options: " + e.getMessage());
            }
        }

        /** Builds the model on {@code device} and copies the weights in. */
        Module instantiate(dev.jgrad.device.Device device) throws DataFormatException {
            Module net = description.build();
            // metadata is as untrusted as the rest of the file: allocate no more than the file holds
            long need = linearParameters(net);
            long have = weights.values().stream().mapToLong(a -> a.values().length).sum();
            if (need > have) {
                throw new DataFormatException(file + ": its metadata describes a model of " + need + " parameters but it holds " + have + " values");
            }
            net.to(device, 0);
            ModelFiles.load(new SafetensorsFile(weights, Map.of()), file.toString(), net);
            return net;
        }
    }

    private SavedModel() {}

    /** The parameters of the Linear layers of a Sequential (what the CLI builds), counted before allocating them. */
    static long linearParameters(Module net) {
        if (!(net instanceof Sequential seq)) return 0;
        long n = 0;
        for (Module m : seq.layers()) {
            if (m instanceof Linear lin) n += (long) lin.inFeatures() * lin.outFeatures() + lin.outFeatures();
        }
        return n;
    }

    /**
     * Options of {@code jgrad train} that say where or how to run, not what is trained: not saved, and free
     * to change when a run is resumed ({@code --epochs} is saved, and may be raised to train longer).
     */
    static final Set<String> RUN_OPTIONS = Set.of("--device", "--threads", "--report", "--chart", "--save", "--init", "--checkpoint-dir",
            "--checkpoint-every", "--resume", "--epochs", "--help", "--version", "--verbose");

    static Map<String, String> metadata(TrainCommand cmd, Module net, int inputs, int classes) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(FORMAT, FORMAT_VERSION);
        meta.put(MODEL, cmd.model);
        meta.put(ACTIVATION, cmd.activation);
        meta.put(INPUTS, Integer.toString(inputs));
        meta.put(CLASSES, Integer.toString(classes));
        meta.put(ARCHITECTURE, net.describe());
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("epochs", cmd.epochs);
        for (OptionSpec o : trainingOptions(cmd.persistence.spec)) {
            Object v = o.getValue();
            if (v != null) config.put(o.longestName().substring(2), jsonValue(v));
        }
        try {
            meta.put(CONFIG, JSON.std.asString(config));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the training options as JSON", e);
        }
        return meta;
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

    /** Reads a model file, or a checkpoint file (whose model tensors are under {@code model.}). */
    static Loaded read(Path file) throws IOException {
        SafetensorsFile f = Safetensors.read(file);
        Map<String, String> meta = f.metadata();
        Map<String, HostArray> weights = f.tensors();
        if (isCheckpoint(meta)) {
            weights = new LinkedHashMap<>();
            for (Map.Entry<String, HostArray> e : f.tensors().entrySet()) {
                if (e.getKey().startsWith(Checkpoints.MODEL)) weights.put(e.getKey().substring(Checkpoints.MODEL.length()), e.getValue());
            }
        }
        return new Loaded(file, describe(meta, file), config(meta, file), Normalization.fromMetadata(meta, file.toString()), weights);
    }

    static Description describe(Map<String, String> meta, Path source) throws DataFormatException {
        String version = meta.get(FORMAT);
        if (version == null) {
            throw new DataFormatException(source + ": has no jgrad metadata (" + FORMAT + "), so the architecture is unknown;"
                    + " load it with --init into a model given by flags instead");
        }
        if (!version.equals(FORMAT_VERSION)) throw new DataFormatException(source + ": jgrad metadata version " + version + " is not supported");
        String model = required(meta, MODEL, source);
        String activation = required(meta, ACTIVATION, source);
        int inputs = positive(meta, INPUTS, source);
        int classes = positive(meta, CLASSES, source);
        Description d = new Description(model, activation, inputs, classes);
        try {
            d.build();
        } catch (IllegalArgumentException e) {
            throw new DataFormatException(source + ": the saved architecture is invalid: " + e.getMessage());
        }
        return d;
    }

    static Map<String, Object> config(Map<String, String> meta, Path source) throws DataFormatException {
        String json = meta.get(CONFIG);
        if (json == null) return Map.of();
        try {
            return JSON.std.mapFrom(json);
        } catch (IOException | RuntimeException e) {
            throw new DataFormatException(source + ": metadata " + CONFIG + " is not a JSON object");
        }
    }

    private static String required(Map<String, String> meta, String key, Path source) throws DataFormatException {
        String v = meta.get(key);
        if (v == null || v.isBlank()) throw new DataFormatException(source + ": metadata " + key + " is missing");
        return v;
    }

    private static int positive(Map<String, String> meta, String key, Path source) throws DataFormatException {
        String v = required(meta, key, source);
        try {
            int n = Integer.parseInt(v.trim());
            if (n < 1) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new DataFormatException(source + ": metadata " + key + " = \"" + v + "\" is not a positive integer");
        }
    }

    /** Whether the metadata is a checkpoint's (see {@link Checkpoints}), whose model tensors are prefixed. */
    static boolean isCheckpoint(Map<String, String> meta) {
        return meta.containsKey(Checkpoints.STEP_KEY);
    }
}
