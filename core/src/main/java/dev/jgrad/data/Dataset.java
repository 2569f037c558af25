package dev.jgrad.data;

/**
 * Labelled examples held on the host: {@code features} is [size, featureCount] row-major (already scaled,
 * e.g. pixels to [0, 1]), {@code labels} are class indices in [0, classes).
 */
public record Dataset(String name, float[] features, int[] labels, int size, int featureCount, int classes) {
    public Dataset {
        if ((long) size * featureCount != features.length || labels.length != size) {
            throw new IllegalArgumentException("dataset " + name + ": " + features.length + " feature values and "
                    + labels.length + " labels do not make " + size + " examples of " + featureCount + " features");
        }
    }
}
