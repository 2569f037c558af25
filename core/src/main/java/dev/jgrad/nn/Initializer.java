package dev.jgrad.nn;

import java.util.SplittableRandom;

/**
 * How a tensor declared with {@link Module#registerParameter} or {@link Module#registerBuffer} gets its first
 * values when the module is placed with {@link Module#to(dev.jgrad.device.Device, long)}.
 */
@FunctionalInterface
public interface Initializer {
    /**
     * Fills {@code values} (the tensor's elements, row-major, all zero on entry).
     *
     * @param values the tensor's elements, row-major, zero on entry; write the initial values into it
     * @param rng the model's seeded stream; draw from it (and only from it) so a seed gives the same weights
     *            on every backend
     */
    void fill(float[] values, SplittableRandom rng);

    /**
     * An initializer that sets every element to {@code value}, drawing nothing from the stream (so it does
     * not shift the values of tensors initialised after it); used for biases.
     *
     * @param value the value of every element, e.g. 0 for a bias or 1 for batch norm's scale
     * @return the initializer
     */
    static Initializer constant(float value) {
        return (values, rng) -> {
            if (value != 0f) java.util.Arrays.fill(values, value);
        };
    }
}
