package dev.jgrad.data;

import java.util.function.IntFunction;

/** The class count of a set of labels, inferred (refusing gaps) or declared (bounding the labels). */
public final class Labels {
    private Labels() {}

    /**
     * With {@code declared} &gt; 0: checks every label is below it and returns it. Otherwise infers the count
     * as the largest label + 1, and throws {@link LabelGapException} when a class below the largest label has
     * no example, naming where the largest label is.
     *
     * @param labels   the class labels
     * @param declared the class count, or 0 to infer it
     * @param source   names the data in messages
     * @param where    names example {@code i} in messages ("line 12", "item 3")
     * @return the class count
     * @throws DataFormatException when a label is not below the declared count, or (a {@link LabelGapException})
     *                             the inferred count leaves classes without an example
     */
    public static int classes(int[] labels, int declared, String source, IntFunction<String> where) throws DataFormatException {
        if (declared > 0) {
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] < 0 || labels[i] >= declared) {
                    throw new DataFormatException(source + ": " + where.apply(i) + " has label " + labels[i] + ", outside the "
                            + declared + " classes declared (0.." + (declared - 1) + ")");
                }
            }
            return declared;
        }
        int max = -1;
        int maxAt = -1;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] > max) {
                max = labels[i];
                maxAt = i;
            }
        }
        if (max < 0) return 0;
        boolean[] seen = new boolean[max + 1];
        for (int label : labels) seen[label] = true;
        int missing = 0;
        int firstMissing = -1;
        int lastMissing = -1;
        for (int c = 0; c < max; c++) {
            if (!seen[c]) {
                missing++;
                if (firstMissing < 0) firstMissing = c;
                lastMissing = c;
            }
        }
        if (missing > 0) {
            String gap = missing == 1 ? "label " + firstMissing
                    : missing == lastMissing - firstMissing + 1 ? "labels " + firstMissing + " to " + lastMissing
                    : missing + " labels from " + firstMissing + " to " + lastMissing;
            throw new LabelGapException(source + ": " + where.apply(maxAt) + " has label " + max + ", but " + gap
                    + (missing == 1 ? " has" : " have") + " no example (a stray label?); if there really are " + (max + 1)
                    + " classes, declare that class count", max + 1);
        }
        return max + 1;
    }
}
