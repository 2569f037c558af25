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
 * Layers: {@code conv(filters,kernel[,stride[,padding]])} (padding a number, {@code same} or {@code valid}),
 * {@code maxpool(k[,stride])}, {@code avgpool(k[,stride])}, {@code flatten}, {@code dense(n)} (also
 * {@code linear(n)}), {@code dropout(p)}, {@code batchnorm} (also {@code bn}: 2-D after convolutions, 1-D
 * after dense layers), and the activations {@code relu}, {@code leaky_relu[(slope)]}, {@code elu[(alpha)]},
 * {@code gelu}, {@code sigmoid}, {@code tanh}, {@code softmax}.
 *
 * <p>A mistake gives an {@link IllegalArgumentException} naming the position (0-based character offset)
 * and text of the bad layer, with the description and a caret under it.
 */
public final class ModelSpec {
    /** One parsed layer: its name, arguments as written, and where it starts in the description. */
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
        int n = l.args.size();
        switch (l.name) {
            case "conv", "conv2d" -> arity(d, l, 2, 4, "conv(filters, kernel[, stride[, padding]])");
            case "maxpool", "max_pool", "avgpool", "avg_pool" -> arity(d, l, 1, 2, l.name + "(kernel[, stride])");
            case "dense", "linear", "fc" -> arity(d, l, 1, 1, l.name + "(units)");
            case "dropout" -> arity(d, l, 1, 1, "dropout(p)");
            case "flatten", "batchnorm", "bn", "relu", "gelu", "sigmoid", "tanh", "softmax" -> arity(d, l, 0, 0, l.name);
            case "leaky_relu", "leakyrelu", "elu" -> arity(d, l, 0, 1, l.name + "[(" + (l.name.equals("elu") ? "alpha" : "slope") + ")]");
            default -> throw error(d, l.position, l.text, "unknown layer '" + l.name + "': expected conv, maxpool, avgpool, flatten, "
                    + "dense, dropout, batchnorm, relu, leaky_relu, elu, gelu, sigmoid, tanh or softmax");
        }
        if (n > 0 && l.args.stream().anyMatch(String::isEmpty)) throw error(d, l.position, l.text, "empty argument");
    }

    private static void arity(String d, Layer l, int min, int max, String usage) {
        int n = l.args.size();
        if (n < min || n > max) {
            throw error(d, l.position, l.text, (max == 0 ? "takes no arguments" : "takes " + (min == max ? "" + min : min + " to " + max)
                    + " argument(s)") + ": " + usage);
        }
    }

    public String description() {
        return description;
    }

    /** The parsed layers of the layer form (empty for {@code mlp:}). */
    public List<Layer> layers() {
        return layers;
    }

    /** Whether the network starts with convolutions or pooling, so it wants images [channels, height, width]. */
    public boolean wantsImages() {
        for (Layer l : layers) {
            if (isSpatial(l.name)) return true;
            if (isDense(l.name) || l.name.equals("flatten")) return false;
        }
        return false;
    }

    /**
     * The input shape to {@link #build} with for data of {@code features} flat values: [features] for a network
     * that starts with dense layers; for one that starts with convolutions, a square image, single-channel
     * when {@code features} is a square (Fashion-MNIST's 784 = 1x28x28, digits' 64 = 1x8x8), else RGB
     * (3 x s x s) when that fits.
     */
    public int[] inputShapeFor(int features) {
        if (features < 1) throw new IllegalArgumentException("the data must have at least one feature, got " + features);
        if (!wantsImages()) return new int[]{features};
        for (int channels : new int[]{1, 3}) {
            if (features % channels != 0) continue;
            int side = (int) Math.round(Math.sqrt(features / channels));
            if (side * side * channels == features) return new int[]{channels, side, side};
        }
        Layer first = layers.stream().filter(l -> isSpatial(l.name)).findFirst().orElseThrow();
        throw error(description, first.position, first.text, first.name + " needs square images, but the data's " + features
                + " features are neither s x s nor 3 x s x s");
    }

    /**
     * Builds the network for inputs of {@code inputShape} ([channels, height, width] for images, [features]
     * for flat data) and {@code classes} outputs. The network takes the data's flat rows [batch,
     * features]: a network that starts with convolutions begins with an {@link Unflatten} to the image shape.
     * Its parameters are not placed yet: call {@code to(device, seed)}.
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
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            if (isSpatial(l.name) || (l.name.equals("batchnorm") || l.name.equals("bn")) && shape.length == 3) {
                if (shape.length != 3) {
                    throw error(description, l.position, l.text, l.name + " needs images [channels, height, width], but its input is "
                            + (rawInput ? "flat data of " + shape[0] + " features" : "flat (" + shape[0] + " features): it cannot follow dense or flatten"));
                }
                if (rawInput) out.add(new Unflatten(shape));
                rawInput = false;
            }
            switch (l.name) {
                case "conv", "conv2d" -> {
                    int filters = positiveInt(l, 0);
                    int k = positiveInt(l, 1);
                    int stride = l.args.size() > 2 ? positiveInt(l, 2) : 1;
                    int pad = l.args.size() > 3 ? padding(l, k, stride) : 0;
                    Conv2d conv = new Conv2d(shape[0], filters, k, stride, pad, true);
                    conv.init(reluLikeNext(i) ? Init.HE_UNIFORM : Init.XAVIER_UNIFORM);
                    int[] next = conv.outputShape(shape);
                    if (next[1] < 1 || next[2] < 1) {
                        throw error(description, l.position, l.text, "a " + k + "x" + k + " kernel does not fit its "
                                + shape[1] + "x" + shape[2] + " input");
                    }
                    out.add(conv);
                    shape = next;
                }
                case "maxpool", "max_pool", "avgpool", "avg_pool" -> {
                    int k = positiveInt(l, 0);
                    int stride = l.args.size() > 1 ? positiveInt(l, 1) : k;
                    Module pool;
                    int[] next;
                    if (l.name.startsWith("max")) {
                        MaxPool2d m = new MaxPool2d(k, stride, 0);
                        next = m.outputShape(shape);
                        pool = m;
                    } else {
                        AvgPool2d a = new AvgPool2d(k, stride, 0);
                        next = a.outputShape(shape);
                        pool = a;
                    }
                    if (next[1] < 1 || next[2] < 1) {
                        throw error(description, l.position, l.text, "a " + k + "x" + k + " window does not fit its "
                                + shape[1] + "x" + shape[2] + " input");
                    }
                    out.add(pool);
                    shape = next;
                }
                case "flatten" -> {
                    out.add(new Flatten());
                    shape = new int[]{Arrays.stream(shape).reduce(1, (a, b) -> a * b)};
                }
                case "dense", "linear", "fc" -> {
                    int units = positiveInt(l, 0);
                    if (shape.length == 3 && !rawInput) {
                        throw error(description, l.position, l.text, l.name + " needs flat input but gets images "
                                + shape[0] + "x" + shape[1] + "x" + shape[2] + ": put flatten before it");
                    }
                    int in = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
                    Linear lin = new Linear(in, units);
                    lin.init(reluLikeNext(i) ? Init.HE_UNIFORM : Init.XAVIER_UNIFORM);
                    out.add(lin);
                    shape = new int[]{units};
                    rawInput = false;
                }
                case "dropout" -> {
                    float p = number(l, 0);
                    if (!(p >= 0 && p < 1)) throw error(description, l.position, l.text, "dropout probability must be in [0, 1)");
                    out.add(new Dropout(p));
                }
                case "batchnorm", "bn" -> {
                    if (shape.length == 3) out.add(new BatchNorm2d(shape[0]));
                    else out.add(new BatchNorm1d(shape[0]));
                    rawInput = false;
                }
                case "relu" -> out.add(new ReLU());
                case "gelu" -> out.add(new GELU());
                case "sigmoid" -> out.add(new Sigmoid());
                case "tanh" -> out.add(new Tanh());
                case "softmax" -> out.add(new Softmax());
                case "leaky_relu", "leakyrelu" -> out.add(l.args.isEmpty() ? new LeakyReLU() : new LeakyReLU(number(l, 0)));
                case "elu" -> out.add(l.args.isEmpty() ? new ELU() : new ELU(number(l, 0)));
                default -> throw error(description, l.position, l.text, "unknown layer '" + l.name + "'");
            }
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

    /** Whether the next activation after layer i (skipping batchnorm and dropout) is ReLU-like, so He initialisation suits it. */
    private boolean reluLikeNext(int i) {
        for (int j = i + 1; j < layers.size(); j++) {
            String n = layers.get(j).name;
            if (n.equals("batchnorm") || n.equals("bn") || n.equals("dropout")) continue;
            return switch (n) {
                case "relu", "leaky_relu", "leakyrelu", "elu", "gelu" -> true;
                default -> false;
            };
        }
        return false;
    }

    private static boolean isSpatial(String name) {
        return switch (name) {
            case "conv", "conv2d", "maxpool", "max_pool", "avgpool", "avg_pool" -> true;
            default -> false;
        };
    }

    private static boolean isDense(String name) {
        return name.equals("dense") || name.equals("linear") || name.equals("fc");
    }

    private int padding(Layer l, int k, int stride) {
        String a = l.args.get(3).toLowerCase(Locale.ROOT);
        if (a.equals("valid")) return 0;
        if (a.equals("same")) {
            if (stride != 1 || k % 2 == 0) throw error(description, l.position, l.text, "padding 'same' needs stride 1 and an odd kernel");
            return k / 2;
        }
        try {
            int p = Integer.parseInt(a);
            if (p >= 0) return p;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw error(description, l.position, l.text, "padding '" + l.args.get(3) + "' must be a number >= 0, same or valid");
    }

    private int positiveInt(Layer l, int index) {
        String a = l.args.get(index);
        try {
            int v = Integer.parseInt(a);
            if (v >= 1) return v;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw error(description, l.position, l.text, "argument " + (index + 1) + " ('" + a + "') must be a positive integer");
    }

    private float number(Layer l, int index) {
        String a = l.args.get(index);
        try {
            float v = Float.parseFloat(a);
            if (Float.isFinite(v)) return v;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw error(description, l.position, l.text, "argument " + (index + 1) + " ('" + a + "') must be a number");
    }

    private static IllegalArgumentException error(String description, int position, String text, String problem) {
        return new IllegalArgumentException("invalid model description at position " + position + " ('" + text.strip() + "'): "
                + problem + "\n  " + description + "\n  " + " ".repeat(Math.max(0, position)) + "^");
    }

    @Override
    public String toString() {
        return description;
    }
}
