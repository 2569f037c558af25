package dev.jgrad.bench;

/**
 * How far a device's output is from the CPU reference: the largest |actual - expected| / (1 + |expected|),
 * relative for large values and absolute near zero. NaN, infinity or a length mismatch never pass.
 */
public record OutputCheck(double maxError, int worstIndex, double tolerance) {

    public boolean passed() {
        return maxError <= tolerance;
    }

    public static OutputCheck compare(float[] actual, float[] expected, double tolerance) {
        if (actual.length != expected.length) return new OutputCheck(Double.POSITIVE_INFINITY, -1, tolerance);
        double worst = 0;
        int at = -1;
        for (int i = 0; i < actual.length; i++) {
            double e = Math.abs((double) actual[i] - expected[i]) / (1 + Math.abs((double) expected[i]));
            if (Double.isNaN(e)) e = Double.POSITIVE_INFINITY;
            if (e > worst || at < 0) {
                worst = e;
                at = i;
            }
        }
        return new OutputCheck(worst, at, tolerance);
    }

    /** One line for a failure report. */
    public String describe(float[] actual, float[] expected) {
        if (actual.length != expected.length) {
            return "output has " + actual.length + " values, the CPU reference " + expected.length;
        }
        return String.format(java.util.Locale.ROOT, "wrong result: error %.3g > tolerance %.1g at index %d (got %s, CPU reference %s)",
                maxError, tolerance, worstIndex, actual[worstIndex], expected[worstIndex]);
    }
}
