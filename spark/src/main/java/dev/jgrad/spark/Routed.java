package dev.jgrad.spark;

import java.io.Serializable;

/**
 * An example on its way to the worker that trains it, with its position in the epoch's order.
 *
 * @param position where the example sits in the epoch's order
 * @param example  the example
 */
record Routed(int position, Example example) implements Serializable {
    private static final long serialVersionUID = 1L;
}
