package dev.jgrad.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A network described in one line, as the CLI's {@code --model} takes it. Two forms:
 * <ul>
 *   <li>{@code mlp:512,256}: a multi-layer perceptron with those hidden sizes, each followed by the
 *       activation given separately (the CLI's {@code --activation}), and a final dense layer to the classes
 *       ({@code mlp} alone: no hidden layer, i.e. softmax regression);</li>
 *   <li>layers joined by {@code -}, e.g.
 *       {@code conv(32,3)-relu-maxpool(2)-conv(64,3)-relu-maxpool(2)-flatten-dense(128)-relu-dropout(0.3)-dense(10)}.</li>
 * </ul>
 * The layers and their arguments are those registered in {@link Layers} ({@link Layers#help()} lists them).
 * Weighted layers get their initialiser from the activation that follows them, as {@link Sequential} picks it.
 *
 * <p>A mistake gives an {@link IllegalArgumentException} naming the position (0-based character offset)
 * and text of the bad layer, with the description and a caret under it.
 */
public final class ModelSpec {
    /**
     * One parsed layer: its name, arguments as written, and where it starts in the description.
     *
     * @param name     the layer's name, lower case, as written (possibly an alias)
     * @param args     the arguments inside the parentheses, stripped of spaces; empty when none were given
     * @param position the 0-based character offset of the layer's text in the description
     * @param text     the layer's text as written, e.g. {@code conv(32,3)}
     */
    public record Layer(String name, List<String> args, int position, String text) {}

    private final String description;
    private final List<Layer> layers;
    private final List<Integer> hidden;
    private final String activation;

    private ModelSpec(String description, List<Layer> layers, List<Integer> hidden, String activation) {
        this.description = description;
        this.layers = layers;
        this.hidden = hidden;
        this.activation = activation;
    }

    /**
     * Parses {@code description}; {@code activation} (e.g. {@code relu}; null means relu) is the activation
     * of the {@code mlp:} form and is ignored by the layer form, which names its activations.
     *
     * @param description the model description, e.g. {@code mlp:512,256} or {@code conv(32,3)-relu-flatten-dense(10)};
     *                    surrounding spaces are ignored
     * @param activation  the activation between the layers of an {@code mlp:} network, by the name
     *                    {@link Activation#named} takes; null or blank means relu
     * @return the parsed description, ready to {@link #build}
     * @throws IllegalArgumentException when the description is null, blank or invalid (the message points at
     *                                  the bad layer), or the activation is unknown
     */
    public static ModelSpec parse(String description, String activation) {
        if (description == null || description.isBlank()) throw new IllegalArgumentException("empty model description");
        String act = activation == null || activation.isBlank() ? "relu" : activation;
        Activation.named(act);      // fail now on an unknown activation
        String d = description.strip();
        if (d.equalsIgnoreCase("mlp")) return new ModelSpec(d, List.of(), List.of(), act);
        if (d.toLowerCase(Locale.ROOT).startsWith("mlp:")) return parseMlp(d, act);
        return new ModelSpec(d, tokenize(d), null, act);
    }

    private static ModelSpec parseMlp(String d, String act) {
        List<Integer> sizes = new ArrayList<>();
        int pos = 4;
        for (String part : d.substring(4).split(",", -1)) {
            String t = part.strip();
            int size;
            try {
                size = Integer.parseInt(t);
            } catch (NumberFormatException e) {
                size = -1;
            }
            if (size < 1) throw error(d, pos, part, "a hidden layer size must be a positive integer");
            sizes.add(size);
            pos += part.length() + 1;
        }
        return new ModelSpec(d, List.of(), List.copyOf(sizes), act);
    }

    /** Splits at top-level dashes and parses each token as name or name(args). */
    private static List<Layer> tokenize(String d) {
        List<Layer> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i <= d.length(); i++) {
            char ch = i < d.length() ? d.charAt(i) : '-';
            if (ch == '(') depth++;
            else if (ch == ')') depth--;
            if (depth < 0) throw error(d, i, ")", "unbalanced ')'");
            if (ch == '-' && depth == 0) {
                out.add(layer(d, start, d.substring(start, i)));
                start = i + 1;
            }
        }
        if (depth != 0) throw error(d, start, d.substring(start), "missing ')'");
        return List.copyOf(out);
    }

    private static Layer layer(String d, int position, String raw) {
        int lead = raw.length() - raw.stripLeading().length();
        String text = raw.strip();
        int pos = position + lead;
        if (text.isEmpty()) throw error(d, position, raw, "empty layer (two dashes in a row, or a dash at an end)");
        int open = text.indexOf('(');
        String name = (open < 0 ? text : text.substring(0, open)).strip().toLowerCase(Locale.ROOT);
        List<String> args = new ArrayList<>();
        if (open >= 0) {
            if (!text.endsWith(")")) throw error(d, pos, text, "text after ')'");
            String inside = text.substring(open + 1, text.length() - 1).strip();
            if (!inside.isEmpty()) for (String a : inside.split(",", -1)) args.add(a.strip());
        }
        if (!name.matches("[a-z_][a-z0-9_]*")) throw error(d, pos, text, "'" + name + "' is not a layer name");
        Layer layer = new Layer(name, List.copyOf(args), pos, text);
        checkArity(d, layer);
        return layer;
    }

    private static void checkArity(String d, Layer l) {
        LayerType type = Layers.named(l.name);
        if (type == null) throw error(d, l.position, l.text, "unknown layer '" + l.name + "': expected " + Layers.names());
        int n = l.args.size();
        if (n < type.minArgs() || n > type.maxArgs()) {
            throw error(d, l.position, l.text, (type.maxArgs() == 0 ? "takes no arguments"
                    : "takes " + (type.minArgs() == type.maxArgs() ? "" + type.minArgs() : type.minArgs() + " to " + type.maxArgs())
                    + " argument(s)") + ": " + type.usage());
        }
        if (n > 0 && l.args.stream().anyMatch(String::isEmpty)) throw error(d, l.position, l.text, "empty argument");
    }

    /**
     * The description as parsed.
     *
     * @return the description, stripped of surrounding spaces
     */
    public String description() {
        return description;
    }

    /**
     * The parsed layers of the layer form.
     *
     * @return the layers in order, unmodifiable (empty for the {@code mlp:} form)
     */
    public List<Layer> layers() {
        return layers;
    }

    /**
     * Whether the network starts with convolutions or pooling, so it wants images [channels, height, width].
     *
     * @return true when an image layer comes before any dense or flatten layer; false for the {@code mlp:} form
     */
    public boolean wantsImages() {
        for (Layer l : layers) {
            LayerType.Input in = Layers.named(l.name).input();
            if (in == LayerType.Input.IMAGES) return true;
            if (in == LayerType.Input.FLAT || in == LayerType.Input.FLATTENS) return false;
        }
        return false;
    }

    /**
     * The input shape to {@link #build} with for data of {@code features} flat values: [features] for a network
     * that starts with dense layers; for one that starts with convolutions, a square image, single-channel
     * when {@code features} is a square (Fashion-MNIST's 784 = 1x28x28, digits' 64 = 1x8x8), else RGB
     * (3 x s x s) when that fits.
     *
     * @param features the number of values in one row of the data, at least 1
     * @return {@code [features]}, or {@code [channels, side, side]} for a network that wants images
     * @throws IllegalArgumentException when {@code features} is below 1, or the network wants images and
     *                                  {@code features} is neither s x s nor 3 x s x s
     */
    public int[] inputShapeFor(int features) {
        if (features < 1) throw new IllegalArgumentException("the data must have at least one feature, got " + features);
        if (!wantsImages()) return new int[]{features};
        for (int channels : new int[]{1, 3}) {
            if (features % channels != 0) continue;
            int side = (int) Math.round(Math.sqrt(features / channels));
            if (side * side * channels == features) return new int[]{channels, side, side};
        }
        Layer first = layers.stream().filter(l -> Layers.named(l.name).input() == LayerType.Input.IMAGES).findFirst().orElseThrow();
        throw error(description, first.position, first.text, first.name + " needs square images, but the data's " + features
                + " features are neither s x s nor 3 x s x s");
    }

    /**
     * Builds the network for inputs of {@code inputShape} ([channels, height, width] for images, [features]
     * for flat data) and {@code classes} outputs. The network takes the data's flat rows [batch,
     * features]: a network that starts with convolutions begins with an {@link Unflatten} to the image shape.
     * Its parameters are not placed yet: call {@code to(device, seed)}.
     *
     * @param inputShape the shape of one example: [features] or [channels, height, width], each at least 1
     *                   (usually {@link #inputShapeFor}'s answer)
     * @param classes    the number of outputs the network must end with, at least 1
     * @return the network, its parameters not placed
     * @throws IllegalArgumentException when {@code inputShape} or {@code classes} is invalid, a layer's
     *                                  arguments or input do not fit, or the network does not end with
     *                                  {@code classes} flat outputs (the message points at the layer)
     */
    public Sequential build(int[] inputShape, int classes) {
        if (inputShape == null || (inputShape.length != 1 && inputShape.length != 3) || Arrays.stream(inputShape).anyMatch(v -> v < 1)) {
            throw new IllegalArgumentException("input shape must be [features] or [channels, height, width] of positive sizes, got "
                    + Arrays.toString(inputShape));
        }
        if (classes < 1) throw new IllegalArgumentException("the number of outputs must be positive, got " + classes);
        return hidden != null ? buildMlp(inputShape, classes) : buildLayers(inputShape, classes);
    }

    private Sequential buildMlp(int[] inputShape, int classes) {
        List<Module> out = new ArrayList<>();
        int in = Arrays.stream(inputShape).reduce(1, (a, b) -> a * b);
        for (int h : hidden) {
            out.add(new Linear(in, h));
            out.add(Activation.named(activation));
            in = h;
        }
        out.add(new Linear(in, classes));
        return new Sequential(out);
    }

    private Sequential buildLayers(int[] inputShape, int classes) {
        List<Module> out = new ArrayList<>();
        int[] shape = inputShape.clone();
        boolean rawInput = true;        // the tensor is still the data's flat rows
        for (Layer l : layers) {
            LayerType type = Layers.named(l.name);
            LayerType.Input in = type.input();
            if (in == LayerType.Input.IMAGES || in == LayerType.Input.EITHER && shape.length == 3) {
                if (shape.length != 3) {
                    throw error(description, l.position, l.text, l.name + " needs images [channels, height, width], but its input is "
                            + (rawInput ? "flat data of " + shape[0] + " features" : "flat (" + shape[0] + " features): it cannot follow dense or flatten"));
                }
                if (rawInput) out.add(new Unflatten(shape));
            }
            if (in == LayerType.Input.FLAT && shape.length == 3) {
                if (!rawInput) {
                    throw error(description, l.position, l.text, l.name + " needs flat input but gets images "
                            + shape[0] + "x" + shape[1] + "x" + shape[2] + ": put flatten before it");
                }
                shape = new int[]{Arrays.stream(shape).reduce(1, (a, b) -> a * b)};
            }
            LayerType.Built built = type.builder().build(new LayerArgs(description, l), shape);
            out.add(built.module());
            shape = built.outputShape();
            if (in != LayerType.Input.ANY && in != LayerType.Input.FLATTENS) rawInput = false;
        }
        int outputs = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        if (shape.length != 1 || outputs != classes) {
            Layer last = layers.get(layers.size() - 1);
            throw error(description, last.position, last.text, "the network ends with " + (shape.length == 1 ? outputs + " outputs"
                    : "images " + shape[0] + "x" + shape[1] + "x" + shape[2]) + " but needs " + classes + ": end it with "
                    + (shape.length == 1 ? "" : "flatten-") + "dense(" + classes + ")");
        }
        return new Sequential(out);
    }

    static IllegalArgumentException error(String description, int position, String text, String problem) {
        return new IllegalArgumentException("invalid model description at position " + position + " ('" + text.strip() + "'): "
                + problem + "\n  " + description + "\n  " + " ".repeat(Math.max(0, position)) + "^");
    }

    @Override
    public String toString() {
        return description;
    }
}
