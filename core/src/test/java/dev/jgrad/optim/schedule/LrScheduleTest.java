package dev.jgrad.optim.schedule;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LrScheduleTest {
    @Test
    void stepAndExponentialChangeAtWholeEpochs() {
        LrSchedule s = LrSchedule.parse("step:3,0.5");
        assertEquals(1f, s.lr(1f, 0));
        assertEquals(1f, s.lr(1f, 2.99));
        assertEquals(0.5f, s.lr(1f, 3));
        assertEquals(0.25f, s.lr(1f, 6.5));
        LrSchedule e = LrSchedule.parse("exp:0.9");
        assertEquals(0.81f, e.lr(1f, 2.5), 1e-6f);
    }

    @Test
    void cosineFallsFromBaseToMinimum() {
        LrSchedule c = LrSchedule.parse("cosine:10,0.001");
        assertEquals(0.1f, c.lr(0.1f, 0), 1e-7f);
        assertEquals((0.1f + 0.001f) / 2, c.lr(0.1f, 5), 1e-6f);
        assertEquals(0.001f, c.lr(0.1f, 10), 1e-7f);
        assertEquals(0.001f, c.lr(0.1f, 12), 1e-7f);
        assertTrue(c.lr(0.1f, 2.5) < c.lr(0.1f, 2.4));
    }

    @Test
    void warmupRisesLinearlyThenHandsOver() {
        LrSchedule w = LrSchedule.parse("warmup:2+step:1,0.5");
        assertEquals(0.25f, w.lr(1f, 0.5), 1e-6f);
        assertEquals(0.75f, w.lr(1f, 1.5), 1e-6f);
        assertEquals(1f, w.lr(1f, 2), 1e-6f);
        assertEquals(0.5f, w.lr(1f, 3), 1e-6f);
        assertTrue(w.lr(1f, 0) > 0, "the first step must move the weights");
    }

    @Test
    void badSpecsAreRejectedWithTheSpec() {
        for (String bad : new String[]{"cosine", "step:x", "linear:3", "exp:0.9,1"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LrSchedule.parse(bad));
            assertTrue(e.getMessage().contains(bad), e.getMessage());
        }
    }
}
