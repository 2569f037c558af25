package dev.jgrad.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.jgrad.data.DataFormatException;
import dev.jgrad.data.Normalization;
import dev.jgrad.nn.ModelSpec;
import dev.jgrad.nn.Sequential;
import dev.jgrad.train.Task;

import java.io.IOException;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything besides the weights that a saved model needs to be rebuilt and used: the architecture in the
 * model-description language ({@link ModelSpec}), the task, the shape of one input, the number of outputs,
 * the standardisation of inputs and targets (each may be absent) and the options it was trained with. It
 * is stored in the safetensors {@code __metadata__} of the model file ({@link ModelFiles#save(dev.jgrad.nn.Module,
 * ModelCard, java.nio.file.Path)}), so {@link ModelFiles#load(java.nio.file.Path)} rebuilds the model from the
 * file alone.
 *
 * @param architecture          the network, as {@link ModelSpec#parse} takes it ({@code mlp:512,256}, {@code conv(8,3)-relu-flatten-dense(10)})
 * @param activation            the hidden activation of the {@code mlp:} form (null: relu); ignored by the layer form
 * @param task                  what the outputs mean (null: {@link Task#CLASSIFY})
 * @param inputShape            one example: [features] or [channels, height, width]; the model takes the flat rows
 * @param outputs               the width of the output: the class count when classifying
 * @param normalization         the standardisation of inputs and of regression targets the model was trained with
 *                              (null: {@link Normalization#NONE})
 * @param training              the training options (name to string, number or boolean), informational; null: none
 */
public record ModelCard(String architecture, String activation, Task task, int[] inputShape, int outputs, Normalization normalization,
                        Map<String, Object> training) {

    /** The format this version writes; {@link #LEGACY_FORMAT} files (jgrad's first CLI) are read too. */
    static final String FORMAT_VERSION = "2";
    static final String LEGACY_FORMAT = "1";
    static final String FORMAT = "jgrad.format";
    static final String MODEL = "jgrad.model";
    static final String ACTIVATION = "jgrad.activation";
    static final String TASK = "jgrad.task";
    static final String INPUT_SHAPE = "jgrad.input_shape";
    static final String OUTPUTS = "jgrad.outputs";
    /** The built network as {@code Module.describe()} prints it: for people reading the file; not read back. */
    static final String READABLE = "jgrad.architecture";
    static final String TRAINING = "jgrad.config";
    /** Format 1's names for the feature count and the class count. */
    static final String LEGACY_INPUTS = "jgrad.inputs";
    static final String LEGACY_CLASSES = "jgrad.classes";

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(4).maxNumberLength(40).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** Checks the card and that its architecture builds for its input shape and output width. */
    public ModelCard {
        if (architecture == null || architecture.isBlank()) throw new IllegalArgumentException("a model card needs an architecture");
        activation = activation == null || activation.isBlank() ? "relu" : activation;
        task = task == null ? Task.CLASSIFY : task;
        if (inputShape == null || (inputShape.length != 1 && inputShape.length != 3) || Arrays.stream(inputShape).anyMatch(v -> v < 1)) {
            throw new IllegalArgumentException("the input shape must be [features] or [channels, height, width] of positive sizes, got "
                    + Arrays.toString(inputShape));
        }
        inputShape = inputShape.clone();
        if (outputs < 1) throw new IllegalArgumentException("a model needs at least one output, got " + outputs);
        long features = Arrays.stream(inputShape).asLongStream().reduce(1, (a, b) -> a * b);
        normalization = normalization == null ? Normalization.NONE : normalization;
        if (normalization.features() != null && normalization.features().width() != features) {
            throw new IllegalArgumentException("the feature standardization has " + normalization.features().width()
                    + " columns but the model takes " + features + " features");
        }
        if (normalization.targets() != null && normalization.targets().width() != outputs) {
            throw new IllegalArgumentException("the target standardization has " + normalization.targets().width()
                    + " columns but the model has " + outputs + " outputs");
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        if (training != null) {
            for (Map.Entry<String, Object> e : training.entrySet()) {
                Object v = e.getValue();
                if (!(v instanceof String || v instanceof Number || v instanceof Boolean)) {
                    throw new IllegalArgumentException("training option '" + e.getKey() + "' must be a string, number or boolean, got " + v);
                }
                copy.put(e.getKey(), v);
            }
        }
        training = Collections.unmodifiableMap(copy);
        ModelSpec.parse(architecture, activation).build(inputShape, outputs);
    }

    /**
     * A classifier's card: {@code architecture} for inputs of {@code inputShape} and {@code outputs} classes,
     * with relu as the {@code mlp:} activation, no standardisation and no training options.
     *
     * @param architecture the network in the model-description language, as {@link ModelSpec#parse} takes it; not null or blank
     * @param inputShape   one example's shape, {@code [features]} or {@code [channels, height, width]}, all sizes at least 1;
     *                     copied
     * @param outputs      the number of classes (the output width), at least 1
     * @return the card, already checked to build
     * @throws IllegalArgumentException if the shape or output count is invalid or the architecture does not build for them
     */
    public static ModelCard of(String architecture, int[] inputShape, int outputs) {
        return new ModelCard(architecture, null, Task.CLASSIFY, inputShape, outputs, null, null);
    }

    /**
     * A classifier's card for data of {@code features} flat values, the input shape inferred as
     * {@link ModelSpec#inputShapeFor} does (square images for a network that starts with convolutions).
     *
     * @param architecture the network in the model-description language; not null or blank
     * @param activation   the hidden activation of the {@code mlp:} form; null or blank means relu
     * @param features     the number of flat values in one example, at least 1
     * @param outputs      the number of classes (the output width), at least 1
     * @return the card, already checked to build
     * @throws IllegalArgumentException if the architecture does not parse, no input shape fits {@code features},
     *                                  or the network does not build for it
     */
    public static ModelCard forFeatures(String architecture, String activation, int features, int outputs) {
        int[] shape = ModelSpec.parse(architecture, activation).inputShapeFor(features);
        return new ModelCard(architecture, activation, Task.CLASSIFY, shape, outputs, null, null);
    }

    /**
     * Builds a fresh network from this card's architecture, input shape and output width. Its parameters are
     * not yet placed or initialised: call {@code to(device, seed)} on it, or load weights into it.
     *
     * @return a new, unplaced network; each call builds another
     */
    public Sequential build() {
        return ModelSpec.parse(architecture, activation).build(inputShape, outputs);
    }

    /**
     * The number of flat values in one input: the width of a data row the model takes.
     *
     * @return the product of the input shape's sizes, at least 1
     */
    public int features() {
        return Arrays.stream(inputShape).reduce(1, (a, b) -> a * b);
    }

    /**
     * The shape of one example: {@code [features]} or {@code [channels, height, width]}.
     *
     * @return a copy of the input shape (changing it does not change the card)
     */
    @Override
    public int[] inputShape() {
        return inputShape.clone();
    }

    /**
     * This card with another task; the other components are kept.
     *
     * @param task what the outputs mean; null means {@link Task#CLASSIFY}
     * @return a new card
     * @throws IllegalArgumentException if the new card fails the constructor's checks
     */
    public ModelCard withTask(Task task) {
        return new ModelCard(architecture, activation, task, inputShape, outputs, normalization, training);
    }

    /**
     * This card with the standardisation the model was trained with; the other components are kept.
     *
     * @param normalization the standardisation of inputs and regression targets; null means {@link Normalization#NONE}
     * @return a new card
     * @throws IllegalArgumentException if the feature standardisation's width is not {@link #features()} or the
     *                                  target standardisation's width is not {@link #outputs()}
     */
    public ModelCard withNormalization(Normalization normalization) {
        return new ModelCard(architecture, activation, task, inputShape, outputs, normalization, training);
    }

    /**
     * This card with {@code options} as its training options (replacing any); the other components are kept.
     *
     * @param options the training options, name to a {@link String}, {@link Number} or {@link Boolean} value; copied;
     *                null means none
     * @return a new card
     * @throws IllegalArgumentException if an option's value is not a string, number or boolean
     */
    public ModelCard withTraining(Map<String, Object> options) {
        return new ModelCard(architecture, activation, task, inputShape, outputs, normalization, options);
    }

    // ---- the card in safetensors metadata -----------------------------------------------------------

    /**
     * The card as safetensors metadata entries, in the current format: the format version, architecture,
     * activation, task, input shape, output count, a readable description of the built network, the
     * standardisation's entries and the training options as a JSON object. {@link #fromMetadata} reads it back.
     *
     * @return a new, modifiable map of entry name to string value, in a fixed order
     */
    public Map<String, String> toMetadata() {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(FORMAT, FORMAT_VERSION);
        meta.put(MODEL, architecture);
        meta.put(ACTIVATION, activation);
        meta.put(TASK, task.label());
        meta.put(INPUT_SHAPE, String.join(",", Arrays.stream(inputShape).mapToObj(Integer::toString).toList()));
        meta.put(OUTPUTS, Integer.toString(outputs));
        meta.put(READABLE, build().describe());
        meta.putAll(normalization.metadata());
        meta.put(TRAINING, trainingJson(training));
        return meta;
    }

    /**
     * Whether {@code metadata} holds a card (of any version): whether it has the format-version entry.
     * It does not check that the card is valid; {@link #fromMetadata} does.
     *
     * @param metadata a safetensors file's metadata; not null
     * @return true if a card is stored there
     */
    public static boolean isIn(Map<String, String> metadata) {
        return metadata.containsKey(FORMAT);
    }

    /**
     * The card stored in {@code metadata}, in this version's format or the first one (whose input shape is
     * inferred from its feature count, as the CLI inferred it).
     *
     * @param metadata a safetensors file's metadata, as {@link #toMetadata()} writes it; not null
     * @return the card, checked as the constructor checks it
     * @throws IllegalArgumentException naming the missing or malformed entry, or the architecture's problem
     */
    public static ModelCard fromMetadata(Map<String, String> metadata) {
        String version = metadata.get(FORMAT);
        if (version == null) {
            throw new IllegalArgumentException("the metadata holds no model card (no " + FORMAT + " entry)");
        }
        String model = required(metadata, MODEL);
        String activation = metadata.get(ACTIVATION);
        Map<String, Object> training = training(metadata.get(TRAINING));
        if (version.equals(LEGACY_FORMAT)) {
            int inputs = positive(metadata, LEGACY_INPUTS);
            int classes = positive(metadata, LEGACY_CLASSES);
            return new ModelCard(model, required(metadata, ACTIVATION), Task.CLASSIFY, ModelSpec.parse(model, activation).inputShapeFor(inputs),
                    classes, null, training);
        }
        if (!version.equals(FORMAT_VERSION)) {
            throw new IllegalArgumentException("model card format " + version + " is not supported (this jgrad reads "
                    + LEGACY_FORMAT + " and " + FORMAT_VERSION + ")");
        }
        Task task = Task.named(required(metadata, TASK));
        int[] shape = shape(required(metadata, INPUT_SHAPE));
        int outputs = positive(metadata, OUTPUTS);
        Normalization normalization;
        try {
            normalization = Normalization.fromMetadata(metadata, "its standardization");
        } catch (DataFormatException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        return new ModelCard(model, activation, task, shape, outputs, normalization, training);
    }

    private static String required(Map<String, String> meta, String key) {
        String v = meta.get(key);
        if (v == null || v.isBlank()) throw new IllegalArgumentException("metadata " + key + " is missing");
        return v;
    }

    private static int positive(Map<String, String> meta, String key) {
        String v = required(meta, key);
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 1) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("metadata " + key + " = \"" + v + "\" is not a positive integer");
    }

    private static int[] shape(String text) {
        String[] parts = text.split(",", -1);
        int[] shape = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                shape[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("metadata " + INPUT_SHAPE + " = \"" + text + "\" is not a list of positive integers");
            }
        }
        return shape;
    }

    // ---- JSON: the flat training options ------------------------------------------------------------

    private static String trainingJson(Map<String, Object> options) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            for (Map.Entry<String, Object> e : options.entrySet()) {
                g.writeFieldName(e.getKey());
                switch (e.getValue()) {
                    case Boolean b -> g.writeBoolean(b);
                    case Integer i -> g.writeNumber(i);
                    case Long l -> g.writeNumber(l);
                    case Float f -> g.writeNumber(f);
                    case Double d -> g.writeNumber(d);
                    case Number n -> g.writeNumber(n.doubleValue());
                    default -> g.writeString(String.valueOf(e.getValue()));
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("writing JSON to a string failed", e);
        }
        return out.toString();
    }

    private static Map<String, Object> training(String json) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (json == null) return out;
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new IOException("not an object");
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                out.put(name, switch (v) {
                    case VALUE_STRING -> p.getText();
                    case VALUE_NUMBER_INT -> p.getNumberValue();
                    case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
                    case VALUE_TRUE, VALUE_FALSE -> p.getBooleanValue();
                    default -> throw new IOException("option " + name + " is not a string, number or boolean");
                });
            }
            if (p.nextToken() != null) throw new IOException("text after the object");
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("metadata " + TRAINING + " is not a JSON object of options: " + e.getMessage());
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelCard c && architecture.equals(c.architecture) && activation.equals(c.activation) && task == c.task
                && Arrays.equals(inputShape, c.inputShape) && outputs == c.outputs
                && normalization.equals(c.normalization) && training.equals(c.training);
    }

    @Override
    public int hashCode() {
        return Objects.hash(architecture, activation, task, Arrays.hashCode(inputShape), outputs, normalization, training);
    }

    @Override
    public String toString() {
        return task.label() + " model " + architecture + " for inputs " + Arrays.toString(inputShape) + " with " + outputs + " outputs";
    }
}
