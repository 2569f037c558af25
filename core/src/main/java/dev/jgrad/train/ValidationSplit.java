package dev.jgrad.train;

import dev.jgrad.data.DataFormatException;
import dev.jgrad.data.Dataset;
import dev.jgrad.data.Split;

/**
 * Holds out part of a training set for validation (early stopping, model selection), so the test set stays
 * unseen until the end: a seeded shuffle ({@link Split#shuffled}) whose last {@code fraction} validates.
 * The same seed gives the same split.
 */
public final class ValidationSplit {
    private ValidationSplit() {}

    /**
     * Holds out part of a training set.
     *
     * @param train    the training set to split
     * @param fraction the share held out for validation, strictly between 0 and 1 (0.1 is usual)
     * @param seed     seeds the shuffle; the same seed gives the same split
     * @return the training set without the held-out part as {@code train()}, the held-out part as {@code test()}
     * @throws IllegalArgumentException when {@code fraction} is outside (0, 1) or leaves either part empty
     */
    public static Split of(Dataset train, double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) throw new IllegalArgumentException("validation fraction must be in (0, 1), got " + fraction);
        try {
            return Split.shuffled(train, 1 - fraction, seed);
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("cannot hold out " + fraction + " of " + train.name() + " for validation: " + e.getMessage(), e);
        }
    }
}
