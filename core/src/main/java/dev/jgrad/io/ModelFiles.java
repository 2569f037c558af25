package dev.jgrad.io;

import dev.jgrad.data.DataFormatException;
import dev.jgrad.nn.Module;
import dev.jgrad.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A trained model as one safetensors file: the weights under their PyTorch {@code state_dict} names (so a
 * {@code torch.nn.Sequential} of the same layers loads them), and its {@link ModelCard} in the metadata, so
 * the file alone rebuilds the model:
 * <pre>{@code
 * ModelFiles.save(net, ModelCard.forFeatures("mlp:128", "relu", 64, 10), Path.of("digits.safetensors"));
 * SavedModel saved = ModelFiles.load(Path.of("digits.safetensors"));
 * Module again = saved.model(device);
 * }</pre>
 * Files written by jgrad's first CLI (model card format 1) load the same way, and so does a training
 * checkpoint ({@link Checkpoints}), whose model tensors are read.
 */
public final class ModelFiles {
    private static final String NUM_BATCHES_TRACKED = "num_batches_tracked";

    private ModelFiles() {}

    /**
     * Writes {@code model} with {@code card} atomically (a crash leaves the old file or the new one).
     * The card goes into the file's metadata, so {@link #load(Path)} rebuilds the model from the file alone.
     *
     * @param model the trained network; its state names and shapes must be those of {@code card.build()}
     * @param card  the description that rebuilds the model; not null
     * @param file  the file to write (replaced whole if it exists); its folder must exist
     * @throws IllegalArgumentException when the model's tensors are not those of the card's architecture
     * @throws IOException              when writing fails, or a weight is NaN or infinite (nothing is written)
     */
    public static void save(Module model, ModelCard card, Path file) throws IOException {
        Map<String, int[]> expected = card.build().stateShapes();
        Map<String, int[]> actual = model.stateShapes();
        boolean same = expected.keySet().equals(actual.keySet())
                && expected.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), actual.get(e.getKey())));
        if (!same) {
            throw new IllegalArgumentException("the model " + model.describe() + " is not the card's architecture "
                    + card.build().describe() + ": build it with card.build() (or describe it in the card as it is built)");
        }
        save(file, model, card.toMetadata());
    }

    /**
     * Writes the model's weights with {@code metadata} (no card) atomically; refuses a model holding NaN or
     * infinite values. Use it for plain weights that are loaded with {@link #load(Path, Module)}.
     *
     * @param file     the file to write (replaced whole if it exists); its folder must exist
     * @param model    the network whose {@code stateDict()} is written, under PyTorch's names
     * @param metadata string entries stored in the file's {@code __metadata__}; may be empty
     * @throws IOException when writing fails, or a weight is NaN or infinite (then nothing is written)
     */
    public static void save(Path file, Module model, Map<String, String> metadata) throws IOException {
        Map<String, HostArray> weights = StateDicts.toHost(model.stateDict());
        String bad = StateDicts.firstNonFinite(weights);
        if (bad != null) throw new IOException(file + ": not saved: " + bad + " holds a non-finite value");
        Safetensors.write(file, weights, metadata);
    }

    /**
     * Reads a model file (or a checkpoint) with its card: the whole file is validated, and its tensors are
     * checked against the card's architecture before anything is allocated for them.
     *
     * @param file a model file written by {@link #save(Module, ModelCard, Path)}, a format-1 file, or a checkpoint
     * @return the card and the host-side weights; {@link SavedModel#model} places them on a device
     * @throws IOException          when the file cannot be read
     * @throws NoModelCardException when the file has no card (plain weights)
     * @throws DataFormatException  naming the file when it is malformed, or its tensors do not fit the card
     */
    public static SavedModel load(Path file) throws IOException {
        SafetensorsFile f = Safetensors.read(file);
        if (!ModelCard.isIn(f.metadata())) throw new NoModelCardException(file);
        ModelCard card;
        try {
            card = ModelCard.fromMetadata(f.metadata());
        } catch (IllegalArgumentException e) {
            throw new DataFormatException(file + ": " + e.getMessage());
        }
        Map<String, HostArray> weights = modelTensors(f);
        Map<String, int[]> shapes = card.build().stateShapes();
        weights.keySet().removeIf(name -> name.endsWith(NUM_BATCHES_TRACKED) && !shapes.containsKey(name));
        StateDicts.check(shapes, weights, file.toString(), "model card's architecture " + card.architecture());
        return new SavedModel(file, card, weights);
    }

    /** The model's tensors: all of a model file's, a checkpoint's under {@link Checkpoints#MODEL} without the prefix. */
    private static Map<String, HostArray> modelTensors(SafetensorsFile f) {
        Map<String, HostArray> out = new LinkedHashMap<>();
        boolean checkpoint = f.metadata().containsKey(Checkpoints.STEP_KEY);
        for (Map.Entry<String, HostArray> e : f.tensors().entrySet()) {
            if (!checkpoint) out.put(e.getKey(), e.getValue());
            else if (e.getKey().startsWith(Checkpoints.MODEL)) out.put(e.getKey().substring(Checkpoints.MODEL.length()), e.getValue());
        }
        return out;
    }

    /**
     * The metadata of a model file, reading (and so validating) the whole file.
     *
     * @param file a safetensors file
     * @return its {@code __metadata__} entries (empty when it has none)
     * @throws IOException         when the file cannot be read
     * @throws DataFormatException naming the file when it is not valid safetensors
     */
    public static Map<String, String> metadata(Path file) throws IOException {
        return Safetensors.read(file).metadata();
    }

    /**
     * Loads the weights of {@code file} into {@code model}, which must have exactly its names and shapes
     * (PyTorch's {@code num_batches_tracked} counters aside). Use it for files without a card.
     *
     * @param file  a safetensors file of weights under PyTorch {@code state_dict} names
     * @param model the network to fill, already built and placed on its device; its values are replaced
     * @return the file as read, so its metadata can be inspected
     * @throws IOException         when the file cannot be read
     * @throws DataFormatException naming the file when it is malformed, or a name or shape does not match the model
     */
    public static SafetensorsFile load(Path file, Module model) throws IOException {
        SafetensorsFile f = Safetensors.read(file);
        load(f, file.toString(), model);
        return f;
    }

    /**
     * Loads already-read weights; {@code source} names them in messages. PyTorch's BatchNorm counter
     * {@code num_batches_tracked}, which jgrad does not keep, is ignored.
     *
     * @param f      the weights, as {@link Safetensors#read} returned them
     * @param source what names the weights in error messages (usually the file's path)
     * @param model  the network to fill; it must have exactly the weights' names and shapes
     * @throws DataFormatException naming {@code source} when a name is missing or extra or a shape differs
     */
    public static void load(SafetensorsFile f, String source, Module model) throws DataFormatException {
        Map<String, Tensor> target = model.stateDict();
        Map<String, HostArray> arrays = new LinkedHashMap<>(f.tensors());
        arrays.keySet().removeIf(name -> name.endsWith(NUM_BATCHES_TRACKED) && !target.containsKey(name));
        StateDicts.load(target, arrays, source, "model " + model.describe());
    }
}
