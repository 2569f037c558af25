package dev.jgrad.kernels;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GemmTilingTest {
    @Test
    void defaultTilingRuns256WorkItemsAndSmallOne64() {
        assertEquals(16, GemmTiling.DEFAULT.localX());
        assertEquals(16, GemmTiling.DEFAULT.localY());
        assertEquals(256, GemmTiling.DEFAULT.workGroupSize());
        assertEquals(64, GemmTiling.SMALL.workGroupSize());
        assertEquals(GemmTiling.DEFAULT, GemmTiling.forMaxWorkGroup(1024));
        assertEquals(GemmTiling.SMALL, GemmTiling.forMaxWorkGroup(128));
    }

    @Test
    void parsesTheTuningPropertyAndRejectsBadOnes() {
        assertEquals(new GemmTiling(16, 32, 8, 2, 4), GemmTiling.parse(" 16, 32,8 ,2,4"));
        assertEquals("-DTILE_M=16 -DTILE_N=32 -DTILE_K=8 -DWPT_M=2 -DWPT_N=4", GemmTiling.parse("16,32,8,2,4").defines());
        assertThrows(IllegalArgumentException.class, () -> GemmTiling.parse("16,32,8,2"));
        assertThrows(IllegalArgumentException.class, () -> GemmTiling.parse("16,32,8,3,4"));
        assertThrows(IllegalArgumentException.class, () -> GemmTiling.parse("a,32,8,2,4"));
        assertThrows(IllegalArgumentException.class, () -> GemmTiling.parse("0,32,8,2,4"));
    }
}
