package dev.jgrad.nn;

import java.util.List;

/**
 * One layer of the model-description language (see {@link ModelSpec}), as registered in {@link Layers}: the
 * name it is written with, its arguments, what input it needs, a one-line description and what it builds.
 *
 * @param name      the name in descriptions, lower case ({@code conv})
 * @param aliases   other accepted names ({@code conv2d})
 * @param arguments the arguments as the help shows them, optional ones in brackets ({@code filters, kernel[, stride]})
 * @param minArgs   how many arguments must be given, and {@code maxArgs} how many may be
 * @param input     the input the layer needs, which decides where images are unflattened and what is an error
 * @param doc       one line for help texts
 * @param builder   makes the module for an input shape
 */
public record LayerType(String name, List<String> aliases, String arguments, int minArgs, int maxArgs, Input input, String doc,
                        Builder builder) {

    /** The input a layer needs. */
    public enum Input {
        /** Images [channels, height, width]: convolutions and pooling; flat data rows are unflattened first. */
        IMAGES,
        /** Flat features: dense layers; images are an error unless flattened (the data's own rows are flat). */
        FLAT,
        /** Images or flat features, built to match (batch norm 2-D or 1-D). */
        EITHER,
        /** Images or flat features, leaving flat features (flatten). */
        FLATTENS,
        /** Any shape, kept as it is (activations, dropout). */
        ANY
    }

    /** Makes a layer's module. */
    @FunctionalInterface
    public interface Builder {
        /**
         * @param args       the arguments as written, with checked conversions whose errors point at the layer
         * @param inputShape the shape of one example reaching the layer: [channels, height, width] or [features]
         */
        Built build(LayerArgs args, int[] inputShape);
    }

    /** A built layer and the shape of one example leaving it. */
    public record Built(Module module, int[] outputShape) {}

    public LayerType {
        aliases = List.copyOf(aliases);
        if (minArgs < 0 || maxArgs < minArgs) throw new IllegalArgumentException(name + ": argument counts " + minArgs + ".." + maxArgs);
    }

    /** How the layer is written: {@code conv(filters, kernel[, stride[, padding]])}, {@code elu[(alpha)]}, {@code relu}. */
    public String usage() {
        if (maxArgs == 0) return name;
        return minArgs == 0 ? name + "[(" + arguments + ")]" : name + "(" + arguments + ")";
    }

    /** Whether {@code word} (lower case) names this layer. */
    public boolean isNamed(String word) {
        return name.equals(word) || aliases.contains(word);
    }
}
