package dev.jgrad.spi;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PhiloxTest {

    /**
     * The three philox4x32-10 known-answer vectors of Random123's tests/kat_vectors
     * (counter words, key words, expected output words).
     */
    @Test
    void matchesRandom123KnownAnswers() {
        int[][] kat = {
                {0, 0, 0, 0, 0, 0, 0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8},
                {-1, -1, -1, -1, -1, -1, 0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd},
                {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0,
                        0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1},
        };
        int[] out = new int[4];
        for (int[] v : kat) {
            Philox.block(v[0], v[1], v[2], v[3], v[4], v[5], out);
            assertArrayEquals(new int[]{v[6], v[7], v[8], v[9]}, out);
        }
    }

    @Test
    void streamElementsAreTheWordsOfConsecutiveBlocks() {
        long seed = 0x299f31d0a4093822L;
        int[] out = new int[4];
        long block = 5_000_000_000L;         // above 2^32: the counter's high word is used
        Philox.block((int) block, (int) (block >>> 32), 0, 0, 0xa4093822, 0x299f31d0, out);
        for (int lane = 0; lane < 4; lane++) assertEquals(out[lane], Philox.word(seed, block * 4 + lane));
    }

    @Test
    void uniformIsInUnitIntervalAndUsesTopBits() {
        assertEquals(0f, Philox.uniform(0));
        assertEquals(1f - 0x1.0p-24f, Philox.uniform(-1));
        assertEquals(0.5f, Philox.uniform(0x80000000));
        double sum = 0;
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            float u = Philox.uniform(7L, i);
            assertTrue(u >= 0f && u < 1f);
            sum += u;
        }
        assertEquals(0.5, sum / n, 0.005);
    }
}
