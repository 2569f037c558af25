package dev.jgrad.data;

import java.util.Arrays;

/**
 * Per-column standardization, scikit-learn's {@code StandardScaler}: {@code (x - mean) / std} with the
 * population standard deviation; a constant column gets std 1, so it maps to 0 instead of dividing by zero.
 * Statistics are computed in double precision and kept as floats.
 *
 * @param mean one value per column
 * @param std  one positive value per column
 */
public record Standardizer(float[] mean, float[] std) {
    /**
     * Checks the statistics.
     *
     * @throws IllegalArgumentException when the arrays are empty or their lengths differ, a std is not positive and
     *                                  finite, or a mean is not finite
     */
    public Standardizer {
        if (mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("a standardizer needs one mean and one std per column, got " + mean.length + " and " + std.length);
        }
        for (int j = 0; j < std.length; j++) {
            if (!(std[j] > 0) || !Float.isFinite(std[j]) || !Float.isFinite(mean[j])) {
                throw new IllegalArgumentException("column " + j + ": mean " + mean[j] + " and std " + std[j] + " must be finite, std positive");
            }
        }
    }

    /**
     * Fits the statistics of some rows.
     *
     * @param values [rows, width] row-major
     * @param width  the number of columns
     * @return the per-column mean and population standard deviation
     */
    public static Standardizer fit(float[] values, int width) {
        if (width < 1 || values.length == 0 || values.length % width != 0) {
            throw new IllegalArgumentException("cannot standardize " + values.length + " values as rows of " + width);
        }
        int rows = values.length / width;
        double[] sum = new double[width];
        for (int r = 0; r < rows; r++) for (int j = 0; j < width; j++) sum[j] += values[r * width + j];
        double[] squares = new double[width];
        float[] mean = new float[width];
        for (int j = 0; j < width; j++) mean[j] = (float) (sum[j] / rows);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < width; j++) {
                double d = values[r * width + j] - sum[j] / rows;
                squares[j] += d * d;
            }
        }
        float[] std = new float[width];
        for (int j = 0; j < width; j++) {
            float s = (float) Math.sqrt(squares[j] / rows);
            std[j] = s > 0 && Float.isFinite(s) ? s : 1f;
        }
        return new Standardizer(mean, std);
    }

    /** {@return the number of columns} */
    public int width() {
        return mean.length;
    }

    /**
     * Standardizes rows.
     *
     * @param values [rows, width] row-major
     * @return a standardized copy
     */
    public float[] transform(float[] values) {
        check(values);
        float[] out = new float[values.length];
        int w = width();
        for (int i = 0; i < values.length; i++) out[i] = (values[i] - mean[i % w]) / std[i % w];
        return out;
    }

    /**
     * Back to the original units.
     *
     * @param values [rows, width] row-major, standardized
     * @return a copy, times std plus mean
     */
    public float[] inverse(float[] values) {
        check(values);
        float[] out = new float[values.length];
        int w = width();
        for (int i = 0; i < values.length; i++) out[i] = values[i] * std[i % w] + mean[i % w];
        return out;
    }

    private void check(float[] values) {
        if (values.length % width() != 0) {
            throw new IllegalArgumentException(values.length + " values are not whole rows of the standardizer's " + width() + " columns");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Standardizer s && Arrays.equals(s.mean, mean) && Arrays.equals(s.std, std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Standardizer[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }
}
