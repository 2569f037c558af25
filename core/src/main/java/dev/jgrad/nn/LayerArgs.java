package dev.jgrad.nn;

import java.util.Locale;

/**
 * The arguments of one layer in a model description, as written, with conversions whose errors name the
 * layer and point at it in the description (see {@link ModelSpec}).
 */
public final class LayerArgs {
    private final String description;
    private final ModelSpec.Layer layer;

    LayerArgs(String description, ModelSpec.Layer layer) {
        this.description = description;
        this.layer = layer;
    }

    /**
     * The layer's name as written, so an error can say which layer it is about.
     *
     * @return the name, lower case (an alias stays as written, e.g. {@code conv2d})
     */
    public String name() {
        return layer.name();
    }

    /**
     * How many arguments were given.
     *
     * @return the count, 0 for a layer written without parentheses
     */
    public int count() {
        return layer.args().size();
    }

    /**
     * Argument {@code index} as written, for word arguments such as convolution padding {@code same}.
     *
     * @param index the argument's 0-based position, below {@link #count()}
     * @return the argument, stripped of spaces and lower case
     * @throws IndexOutOfBoundsException when {@code index} is not below {@link #count()}
     */
    public String text(int index) {
        return layer.args().get(index).toLowerCase(Locale.ROOT);
    }

    /**
     * Argument {@code index} as an integer of at least 1 (a size, kernel or stride).
     *
     * @param index the argument's 0-based position, below {@link #count()}
     * @return the value, at least 1
     * @throws IllegalArgumentException  when the argument is not an integer of at least 1 (see {@link #error})
     * @throws IndexOutOfBoundsException when {@code index} is not below {@link #count()}
     */
    public int positiveInt(int index) {
        String a = layer.args().get(index);
        try {
            int v = Integer.parseInt(a);
            if (v >= 1) return v;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw error("argument " + (index + 1) + " ('" + a + "') must be a positive integer");
    }

    /**
     * Argument {@code index} as an integer of at least 1, or {@code otherwise} when it was not given (an
     * optional argument).
     *
     * @param index     the argument's 0-based position, at least 0
     * @param otherwise the default, returned as it is when fewer than {@code index + 1} arguments were given
     * @return the value, or {@code otherwise}
     * @throws IllegalArgumentException when the argument was given but is not an integer of at least 1
     */
    public int positiveInt(int index, int otherwise) {
        return index < count() ? positiveInt(index) : otherwise;
    }

    /**
     * Argument {@code index} as a finite number (a probability, slope or alpha; the caller checks its range).
     *
     * @param index the argument's 0-based position, below {@link #count()}
     * @return the value, finite
     * @throws IllegalArgumentException  when the argument is not a finite number (see {@link #error})
     * @throws IndexOutOfBoundsException when {@code index} is not below {@link #count()}
     */
    public float number(int index) {
        String a = layer.args().get(index);
        try {
            float v = Float.parseFloat(a);
            if (Float.isFinite(v)) return v;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw error("argument " + (index + 1) + " ('" + a + "') must be a number");
    }

    /**
     * An error about this layer, for a builder to throw: the message names its position and text, with the
     * description and a caret under it.
     *
     * @param problem what is wrong, e.g. {@code dropout probability must be in [0, 1)}
     * @return the exception, not thrown
     */
    public IllegalArgumentException error(String problem) {
        return ModelSpec.error(description, layer.position(), layer.text(), problem);
    }
}
