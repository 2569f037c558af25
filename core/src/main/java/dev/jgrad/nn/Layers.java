package dev.jgrad.nn;

import dev.jgrad.nn.LayerType.Built;
import dev.jgrad.nn.LayerType.Input;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The layers of the model-description language, each registered once with its name, arguments, one-line
 * doc and builder. {@link ModelSpec} parses and builds with it, {@link Activation#named} resolves activation
 * names with it, and help texts list it.
 */
public final class Layers {
    private static final List<LayerType> ALL = List.of(
            new LayerType("conv", List.of("conv2d"), "filters, kernel[, stride[, padding]]", 2, 4, Input.IMAGES,
                    "2-D convolution; padding a number, same or valid (default 0)", Layers::conv),
            new LayerType("maxpool", List.of("max_pool"), "kernel[, stride]", 1, 2, Input.IMAGES,
                    "maximum of each window; stride defaults to the kernel", (a, s) -> pool(a, s, true)),
            new LayerType("avgpool", List.of("avg_pool"), "kernel[, stride]", 1, 2, Input.IMAGES,
                    "mean of each window; stride defaults to the kernel", (a, s) -> pool(a, s, false)),
            new LayerType("flatten", List.of(), "", 0, 0, Input.FLATTENS,
                    "images to flat features", (a, s) -> new Built(new Flatten(), new int[]{size(s)})),
            new LayerType("dense", List.of("linear", "fc"), "units", 1, 1, Input.FLAT,
                    "fully connected layer", (a, s) -> new Built(new Linear(s[0], a.positiveInt(0)), new int[]{a.positiveInt(0)})),
            new LayerType("dropout", List.of(), "p", 1, 1, Input.ANY,
                    "in training, zeroes values with probability p, scales the rest", Layers::dropout),
            new LayerType("batchnorm", List.of("bn"), "", 0, 0, Input.EITHER,
                    "batch normalisation: 2-D after convolutions, 1-D after dense layers",
                    (a, s) -> new Built(s.length == 3 ? new BatchNorm2d(s[0]) : new BatchNorm1d(s[0]), s)),
            activation("relu", List.of(), null, "max(x, 0)", ReLU::new, null),
            activation("leaky_relu", List.of("leakyrelu"), "slope", "x, or slope*x below 0 (default slope 0.01)", LeakyReLU::new,
                    a -> new LeakyReLU(a.number(0))),
            activation("elu", List.of(), "alpha", "x, or alpha*(exp(x)-1) below 0 (default alpha 1)", ELU::new, a -> new ELU(a.number(0))),
            activation("gelu", List.of(), null, "Gaussian error linear unit (tanh approximation)", GELU::new, null),
            activation("sigmoid", List.of(), null, "1/(1+exp(-x))", Sigmoid::new, null),
            activation("tanh", List.of(), null, "hyperbolic tangent", Tanh::new, null),
            new LayerType("softmax", List.of(), "", 0, 0, Input.ANY,
                    "probabilities over the last axis (not before cross-entropy)",
                    (a, s) -> new Built(new Softmax(), s)));

    private Layers() {}

    /**
     * Every registered layer, in the order help texts list them.
     *
     * @return the layer types, unmodifiable
     */
    public static List<LayerType> all() {
        return ALL;
    }

    /**
     * The layer written {@code name} in a description.
     *
     * @param name the layer's name or one of its aliases; case and surrounding spaces ignored; not null
     * @return the layer type, or null when no layer has that name
     */
    public static LayerType named(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        for (LayerType t : ALL) if (t.isNamed(n)) return t;
        return null;
    }

    /**
     * The names of every layer, for messages.
     *
     * @return the names joined as {@code conv, maxpool, ... or softmax} (aliases left out)
     */
    public static String names() {
        return join(ALL.stream().map(LayerType::name).toList());
    }

    /**
     * The activation layers: what {@link Activation#named} accepts, and an {@code mlp:} network may use
     * between its layers.
     *
     * @return a new list of the activation layer types, in registration order
     */
    public static List<LayerType> activations() {
        List<LayerType> out = new ArrayList<>();
        for (LayerType t : ALL) if (t.builder() instanceof ActivationBuilder) out.add(t);
        return out;
    }

    /** The activation layer written {@code name}, with its default argument, or null when no activation has that name. */
    static Activation activation(String name) {
        LayerType t = named(name);
        return t != null && t.builder() instanceof ActivationBuilder b ? b.plain().get() : null;
    }

    /**
     * One line per layer, its usage and doc aligned, for help texts.
     *
     * @return the lines, each indented by two spaces, ending in a newline, with the aliases in parentheses
     */
    public static String help() {
        int width = ALL.stream().mapToInt(t -> t.usage().length()).max().orElse(0);
        StringBuilder s = new StringBuilder();
        for (LayerType t : ALL) {
            s.append("  ").append(t.usage()).append(" ".repeat(width - t.usage().length() + 2)).append(t.doc());
            if (!t.aliases().isEmpty()) s.append(" (also ").append(String.join(", ", t.aliases())).append(")");
            s.append('\n');
        }
        return s.toString();
    }

    static String join(List<String> names) {
        if (names.size() < 2) return String.join("", names);
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }

    /** Builds an activation layer: the default one without an argument, {@code withArgument} with one. */
    private record ActivationBuilder(Supplier<Activation> plain, Function<LayerArgs, Activation> withArgument)
            implements LayerType.Builder {
        @Override
        public Built build(LayerArgs args, int[] inputShape) {
            return new Built(args.count() == 0 ? plain.get() : withArgument.apply(args), inputShape);
        }
    }

    private static LayerType activation(String name, List<String> aliases, String argument, String doc, Supplier<Activation> plain,
                                        Function<LayerArgs, Activation> withArgument) {
        return new LayerType(name, aliases, argument == null ? "" : argument, 0, argument == null ? 0 : 1, Input.ANY, doc,
                new ActivationBuilder(plain, withArgument));
    }

    private static Built conv(LayerArgs a, int[] s) {
        int filters = a.positiveInt(0);
        int k = a.positiveInt(1);
        int stride = a.positiveInt(2, 1);
        int pad = a.count() > 3 ? padding(a, k, stride) : 0;
        Conv2d conv = new Conv2d(s[0], filters, k, stride, pad, true);
        int[] next = conv.outputShape(s);
        if (next[1] < 1 || next[2] < 1) throw a.error("a " + k + "x" + k + " kernel does not fit its " + s[1] + "x" + s[2] + " input");
        return new Built(conv, next);
    }

    private static int padding(LayerArgs a, int k, int stride) {
        String p = a.text(3);
        if (p.equals("valid")) return 0;
        if (p.equals("same")) {
            if (stride != 1 || k % 2 == 0) throw a.error("padding 'same' needs stride 1 and an odd kernel");
            return k / 2;
        }
        try {
            int v = Integer.parseInt(p);
            if (v >= 0) return v;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw a.error("padding '" + p + "' must be a number >= 0, same or valid");
    }

    private static Built pool(LayerArgs a, int[] s, boolean max) {
        int k = a.positiveInt(0);
        int stride = a.positiveInt(1, k);
        Module pool;
        int[] next;
        if (max) {
            MaxPool2d m = new MaxPool2d(k, stride, 0);
            next = m.outputShape(s);
            pool = m;
        } else {
            AvgPool2d m = new AvgPool2d(k, stride, 0);
            next = m.outputShape(s);
            pool = m;
        }
        if (next[1] < 1 || next[2] < 1) throw a.error("a " + k + "x" + k + " window does not fit its " + s[1] + "x" + s[2] + " input");
        return new Built(pool, next);
    }

    private static Built dropout(LayerArgs a, int[] s) {
        float p = a.number(0);
        if (!(p >= 0 && p < 1)) throw a.error("dropout probability must be in [0, 1)");
        return new Built(new Dropout(p), s);
    }

    private static int size(int[] shape) {
        int n = 1;
        for (int d : shape) n *= d;
        return n;
    }
}
