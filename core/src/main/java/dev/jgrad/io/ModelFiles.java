package dev.jgrad.io;

import dev.jgrad.data.DataFormatException;
import dev.jgrad.nn.Module;
import dev.jgrad.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A trained model as one safetensors file: the weights under their PyTorch {@code state_dict} names, and
 * string metadata (jgrad's CLI stores the architecture and training options there) so the file is all a
 * later {@code eval} or {@code predict} needs, and a {@code torch.nn.Sequential} of the same layers loads it.
 */
public final class ModelFiles {
    private static final String NUM_BATCHES_TRACKED = "num_batches_tracked";

    private ModelFiles() {}

    /** Writes the model atomically; refuses a model holding NaN or infinite values. */
    public static void save(Path file, Module model, Map<String, String> metadata) throws IOException {
        Map<String, HostArray> weights = StateDicts.toHost(model.stateDict());
        String bad = StateDicts.firstNonFinite(weights);
        if (bad != null) throw new IOException(file + ": not saved: " + bad + " holds a non-finite value");
        Safetensors.write(file, weights, metadata);
    }

    /** The metadata of a model file, reading (and so validating) the whole file. */
    public static Map<String, String> metadata(Path file) throws IOException {
        return Safetensors.read(file).metadata();
    }

    /** Loads the weights of {@code file} into {@code model}, which must have exactly its names and shapes. */
    public static SafetensorsFile load(Path file, Module model) throws IOException {
        SafetensorsFile f = Safetensors.read(file);
        load(f, file.toString(), model);
        return f;
    }

    /**
     * Loads already-read weights; {@code source} names them in messages. PyTorch's BatchNorm counter
     * {@code num_batches_tracked}, which jgrad does not keep, is ignored.
     */
    public static void load(SafetensorsFile f, String source, Module model) throws DataFormatException {
        Map<String, Tensor> target = model.stateDict();
        Map<String, HostArray> arrays = new LinkedHashMap<>(f.tensors());
        arrays.keySet().removeIf(name -> name.endsWith(NUM_BATCHES_TRACKED) && !target.containsKey(name));
        StateDicts.load(target, arrays, source, "model " + model.describe());
    }
}
