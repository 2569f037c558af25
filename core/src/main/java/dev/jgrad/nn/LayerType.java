package dev.jgrad.nn;

import java.util.List;

/**
 * One layer of the model-description language (see {@link ModelSpec}), as registered in {@link Layers}: the
 * name it is written with, its arguments, what input it needs, a one-line description and what it builds.
 *
 * @param name      the name in descriptions, lower case ({@code conv})
 * @param aliases   other accepted names ({@code conv2d})
 * @param arguments the arguments as the help shows them, optional ones in brackets ({@code filters, kernel[, stride]})
 * @param minArgs   how many arguments must be given, at least 0
 * @param maxArgs   how many arguments may be given, at least {@code minArgs}
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
         * Makes the module for one layer of a description, checking its arguments against the input.
         *
         * @param args       the arguments as written, with checked conversions whose errors point at the layer
         * @param inputShape the shape of one example reaching the layer: [channels, height, width] or [features]
         * @return the module and the shape of one example leaving it
         * @throws IllegalArgumentException when an argument is invalid or does not fit the input (made with
         *                                  {@link LayerArgs#error})
         */
        Built build(LayerArgs args, int[] inputShape);
    }

    /**
     * A built layer and the shape of one example leaving it.
     *
     * @param module      the layer's module, not yet placed
     * @param outputShape the shape of one example leaving it: [channels, height, width] or [features]
     */
    public record Built(Module module, int[] outputShape) {}

    /**
     * Checks the argument counts and copies the aliases.
     *
     * @throws IllegalArgumentException when {@code minArgs} is negative or {@code maxArgs} below it
     */
    public LayerType {
        aliases = List.copyOf(aliases);
        if (minArgs < 0 || maxArgs < minArgs) throw new IllegalArgumentException(name + ": argument counts " + minArgs + ".." + maxArgs);
    }

    /**
     * How the layer is written, for help texts and arity errors.
     *
     * @return the usage: {@code conv(filters, kernel[, stride[, padding]])}, {@code elu[(alpha)]}, {@code relu}
     */
    public String usage() {
        if (maxArgs == 0) return name;
        return minArgs == 0 ? name + "[(" + arguments + ")]" : name + "(" + arguments + ")";
    }

    /**
     * Whether {@code word} names this layer, by its name or an alias.
     *
     * @param word the name as written, already lower case
     * @return true when it is the name or one of the aliases
     */
    public boolean isNamed(String word) {
        return name.equals(word) || aliases.contains(word);
    }
}
