package dev.jgrad.testing;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ToleranceTest {
    private final Tolerance tol = new Tolerance(1e-6, 1e-3);

    @Test
    void acceptsDifferencesWithinAtolPlusRtolTimesExpected() {
        tol.check("within", new float[]{1000f, 0f, -2f}, new float[]{1000.9f, 9e-7f, -2.0019f});
    }

    @Test
    void rejectsADifferenceJustOutside() {
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> tol.check("outside", new float[]{1000f, 1f}, new float[]{1000f, 1.0012f}));
        assertTrue(e.getMessage().contains("outside: 1 of 2 elements") && e.getMessage().contains("[1]"), e.getMessage());
    }

    @Test
    void nanNeverMatchesNotEvenNan() {
        assertThrows(AssertionFailedError.class, () -> tol.check("nan", new float[]{1f}, new float[]{Float.NaN}));
        assertThrows(AssertionFailedError.class, () -> tol.check("nan", new float[]{Float.NaN}, new float[]{Float.NaN}));
    }

    @Test
    void infinityMatchesOnlyItself() {
        tol.check("inf", new float[]{Float.POSITIVE_INFINITY}, new float[]{Float.POSITIVE_INFINITY});
        assertThrows(AssertionFailedError.class, () -> tol.check("inf", new float[]{Float.POSITIVE_INFINITY}, new float[]{3e38f}));
        assertThrows(AssertionFailedError.class, () -> tol.check("inf", new float[]{3e38f}, new float[]{Float.NEGATIVE_INFINITY}));
    }

    @Test
    void exactMeansBitForBitUpToTheSignOfZero() {
        Tolerance.exact().check("exact", new float[]{0f, 1.5f}, new float[]{-0f, 1.5f});
        assertThrows(AssertionFailedError.class, () -> Tolerance.exact().check("exact", new float[]{1f}, new float[]{Math.nextUp(1f)}));
    }

    @Test
    void perElementAllowanceAddsToTheTolerance() {
        Tolerance.exact().check("extra", new float[]{1f, 1f}, new float[]{1.5f, 1f}, new double[]{0.5, 0});
        assertThrows(AssertionFailedError.class,
                () -> Tolerance.exact().check("extra", new float[]{1f, 1f}, new float[]{1f, 1.5f}, new double[]{0.5, 0}));
    }
}
