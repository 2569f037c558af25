package dev.jgrad.testing;

import org.junit.jupiter.api.Assertions;

/**
 * Element-wise closeness: |actual - expected| <= atol + rtol*|expected| (+ an optional per-element
 * allowance, for error bounds that depend on the data, such as a dot product's). A NaN in either array
 * always fails, so an output a kernel forgot to write (tests pre-fill outputs with NaN) cannot pass; an
 * infinity matches only the same infinity.
 */
public record Tolerance(double atol, double rtol) {
    /** The unit roundoff of float32: a correctly rounded operation has relative error at most U. */
    public static final double U = 0x1p-24;

    public static Tolerance exact() {
        return new Tolerance(0, 0);
    }

    /** A tolerance of {@code a} units of roundoff absolute and {@code r} relative. */
    public static Tolerance roundoffs(double a, double r) {
        return new Tolerance(a * U, r * U);
    }

    public void check(String what, float[] expected, float[] actual) {
        check(what, expected, actual, null);
    }

    /** {@code extraAtol[i]} is added to the allowance of element i; null for none. */
    public void check(String what, float[] expected, float[] actual, double[] extraAtol) {
        Assertions.assertEquals(expected.length, actual.length, what + ": lengths differ");
        int bad = 0;
        int worst = -1;
        double worstRatio = 0;
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            double allowed = atol + rtol * Math.abs(e) + (extraAtol == null ? 0 : extraAtol[i]);
            double ratio;
            if (e == a) ratio = 0;                                  // infinities only match themselves
            else if (!Double.isFinite(e) || !Double.isFinite(a)) ratio = Double.POSITIVE_INFINITY;
            else ratio = Math.abs(a - e) / allowed;   // allowed == 0 gives infinity: exact required
            if (ratio > 1) {
                bad++;
                if (worst < 0 || ratio > worstRatio) {
                    worst = i;
                    worstRatio = ratio;
                }
            }
        }
        if (bad > 0) {
            double e = expected[worst];
            double a = actual[worst];
            double allowed = atol + rtol * Math.abs(e) + (extraAtol == null ? 0 : extraAtol[worst]);
            Assertions.fail(String.format("%s: %d of %d elements out of tolerance; worst at [%d]: expected %s, got %s, "
                            + "|diff| %.3g > allowed %.3g (atol %.3g, rtol %.3g%s)", what, bad, expected.length, worst,
                    e, a, Math.abs(a - e), allowed, atol, rtol, extraAtol == null ? "" : String.format(", data bound %.3g", extraAtol[worst])));
        }
    }
}
