package dev.jgrad.data;

import java.util.Random;

/**
 * A training set and the held-out set it is evaluated on.
 *
 * @param train the examples to train on
 * @param test  the held-out examples to evaluate on
 */
public record Split(Dataset train, Dataset test) {

    /**
     * Splits one dataset by a seeded shuffle: the first {@code floor(size × trainFraction)} shuffled
     * examples train, the rest test; both keep the whole dataset's class count (and target kind). The same seed gives the
     * same split on every JVM ({@link Random} is specified exactly).
     *
     * @param all           the dataset to split
     * @param trainFraction the share that trains, strictly between 0 and 1
     * @param seed          seeds the shuffle
     * @return the two parts, named after {@code all} with {@code train} and {@code test} appended
     * @throws IllegalArgumentException when {@code trainFraction} is outside (0, 1)
     * @throws DataFormatException when either part would be empty
     */
    public static Split shuffled(Dataset all, double trainFraction, long seed) throws DataFormatException {
        if (!(trainFraction > 0 && trainFraction < 1)) {
            throw new IllegalArgumentException("trainFraction must lie strictly between 0 and 1, not " + trainFraction);
        }
        int size = all.size();
        int trainSize = (int) Math.floor(size * trainFraction);
        if (trainSize == 0 || trainSize == size) {
            throw new DataFormatException(all.name() + ": " + size + " example(s) are too few to split into a"
                    + " training and a test set");
        }
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        Random random = new Random(seed);
        for (int i = size - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return new Split(subset(all, order, 0, trainSize, all.name() + " train"),
                subset(all, order, trainSize, size, all.name() + " test"));
    }

    private static Dataset subset(Dataset all, int[] order, int from, int to, String name) {
        return all.select(order, from, to, name);
    }
}
