package dev.jgrad.spark;

import dev.jgrad.io.ModelCard;
import dev.jgrad.train.Task;

import java.io.Serializable;

/**
 * What the executors need of a {@link ModelCard} to build a replica (the card itself is not serializable).
 *
 * @param architecture the network in the model-description language
 * @param activation   the {@code mlp:} form's hidden activation
 * @param task         what the outputs mean
 * @param inputShape   one example's shape
 * @param outputs      the output width
 */
record Architecture(String architecture, String activation, Task task, int[] inputShape, int outputs) implements Serializable {
    private static final long serialVersionUID = 1L;

    static Architecture of(ModelCard card) {
        return new Architecture(card.architecture(), card.activation(), card.task(), card.inputShape(), card.outputs());
    }

    /** {@return the card again (without normalization or training options, which replicas do not use)} */
    ModelCard card() {
        return new ModelCard(architecture, activation, task, inputShape, outputs, null, null);
    }
}
