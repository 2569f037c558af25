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

    /** The layer's name as written (lower case). */
    public String name() {
        return layer.name();
    }

    /** How many arguments were given. */
    public int count() {
        return layer.args().size();
    }

    /** Argument {@code index} (0-based) as written, lower case. */
    public String text(int index) {
        return layer.args().get(index).toLowerCase(Locale.ROOT);
    }

    /** Argument {@code index} as an integer of at least 1. */
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

    /** Argument {@code index} as an integer of at least 1, or {@code otherwise} when it was not given. */
    public int positiveInt(int index, int otherwise) {
        return index < count() ? positiveInt(index) : otherwise;
    }

    /** Argument {@code index} as a finite number. */
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

    /** An error about this layer: the message names its position and text, with the description and a caret under it. */
    public IllegalArgumentException error(String problem) {
        return ModelSpec.error(description, layer.position(), layer.text(), problem);
    }
}
