package dev.jgrad.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutputCheckTest {

    @Test
    void errorIsRelativeForLargeValuesAndAbsoluteNearZero() {
        OutputCheck large = OutputCheck.compare(new float[]{1001f}, new float[]{1000f}, 1e-3);
        assertEquals(1.0 / 1001, large.maxError(), 1e-9);
        assertTrue(large.passed());
        OutputCheck small = OutputCheck.compare(new float[]{0.002f}, new float[]{0f}, 1e-3);
        assertFalse(small.passed());
    }

    @Test
    void findsTheWorstElement() {
        OutputCheck c = OutputCheck.compare(new float[]{1, 2, 3.5f, 4}, new float[]{1, 2, 3, 4}, 1e-4);
        assertEquals(2, c.worstIndex());
        assertFalse(c.passed());
        assertTrue(c.describe(new float[]{1, 2, 3.5f, 4}, new float[]{1, 2, 3, 4}).contains("index 2"));
    }

    @Test
    void nanAndLengthMismatchNeverPass() {
        assertFalse(OutputCheck.compare(new float[]{Float.NaN}, new float[]{1}, 1e9).passed());
        assertFalse(OutputCheck.compare(new float[]{1}, new float[]{1, 2}, 1e9).passed());
    }

    @Test
    void exactCopyPassesZeroTolerance() {
        assertTrue(OutputCheck.compare(new float[]{1, -2, 3}, new float[]{1, -2, 3}, 0).passed());
    }
}
