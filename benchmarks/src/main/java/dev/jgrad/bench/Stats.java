package dev.jgrad.bench;

import java.util.Arrays;

/**
 * The summary of one figure's repeats: the median (the figure quoted) with the minimum and maximum, so
 * a reader sees how much the runs varied.
 */
public record Stats(double median, double min, double max, int repeats) {

    public Stats {
        if (repeats < 1) throw new IllegalArgumentException("statistics need at least one sample, got " + repeats);
    }

    /** The statistics of {@code samples}; the median of an even count is the mean of the middle two. */
    public static Stats of(double[] samples) {
        if (samples.length == 0) throw new IllegalArgumentException("statistics need at least one sample");
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Stats(median, sorted[0], sorted[n - 1], n);
    }
}
