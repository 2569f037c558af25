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
        for (GemmTiling t : GemmTiling.STANDARD) assertEquals(256, t.workGroupSize(), t.toString());
        assertEquals(GemmTiling.STANDARD, GemmTiling.forMaxWorkGroup(1024));
        assertEquals(java.util.List.of(GemmTiling.SMALL), GemmTiling.forMaxWorkGroup(128));
        assertEquals("jg_gemm_64x64x16_4x4", GemmTiling.DEFAULT.kernelName());
    }

    @Test
    void parsesTheTuningPropertyAndRejectsBadOnes() {
        assertEquals(new GemmTiling(16, 32, 8, 2, 4), GemmTiling.parse(" 16, 32,8 ,2,4"));
        assertEquals("-DTILE_M=16 -DTILE_N=32 -DTILE_K=8 -DWPT_M=2 -DWPT_N=4 -DGEMM_NAME=jg_gemm_16x32x8_2x4",
                GemmTiling.parse("16,32,8,2,4").defines());
        assertThrows(IllegalArgumentException.class, () -> GemmTiling.parse("16,32,8,2"));
        assertThrows(IllegalArgumentException.class, () -> GemmTiling.parse("16,32,8,3,4"));
        assertThrows(IllegalArgumentException.class, () -> GemmTiling.parse("a,32,8,2,4"));
        assertThrows(IllegalArgumentException.class, () -> GemmTiling.parse("0,32,8,2,4"));
    }

    /** The largest tile that still gives each compute unit two work-groups; small products get the smallest tile. */
    @Test
    void choosesTilesByHowManyWorkGroupsTheyMake() {
        var std = GemmTiling.STANDARD;
        // an H100 has 132 multiprocessors
        assertEquals(GemmTiling.WIDE, GemmTiling.choose(std, 4096, 4096, 132));
        assertEquals(GemmTiling.DEFAULT, GemmTiling.choose(std, 2048, 2048, 132));
        assertEquals(GemmTiling.NARROW, GemmTiling.choose(std, 1024, 1024, 132));
        assertEquals(GemmTiling.NARROW, GemmTiling.choose(std, 128, 512, 132));
        assertEquals(GemmTiling.NARROW, GemmTiling.choose(std, 1, 1, 132));
        // two CPU cores under PoCL
        assertEquals(GemmTiling.WIDE, GemmTiling.choose(std, 256, 256, 2));
        assertEquals(GemmTiling.DEFAULT, GemmTiling.choose(std, 128, 128, 2));
        assertEquals(GemmTiling.SMALL, GemmTiling.choose(java.util.List.of(GemmTiling.SMALL), 4096, 4096, 2));
    }
}
