package dev.jgrad.spi;

/**
 * Philox4x32-10, the counter-based generator of Salmon et al., "Parallel random numbers: as easy as
 * 1, 2, 3" (SC 2011), as in Random123: the output is a pure function of a 128-bit counter and a 64-bit
 * key, so any element of a random stream can be computed on its own, on any thread of any device, and
 * the CPU, OpenCL and CUDA kernels give the same numbers for the same (seed, counter).
 *
 * <p>Constants (Random123's PHILOX_M4x32_0/1 and PHILOX_W32_0/1): the round multipliers 0xD2511F53 and
 * 0xCD9E8D57, and the key increments (Weyl sequence) 0x9E3779B9 (golden ratio) and 0xBB67AE85 (sqrt(3)-1).
 * One round: (hi0, lo0) = M0*c0, (hi1, lo1) = M1*c2 as 64-bit products; c = {hi1^c1^k0, lo1, hi0^c3^k1, lo0};
 * then the key is bumped by the increments. Ten rounds.
 *
 * <p>jgrad's streams: a stream is a 64-bit seed (the key) and element i of it is word i % 4 of the block
 * at counter {i/4 low, i/4 high, 0, 0}; {@link #uniform} turns a word into a float in [0, 1) from its top
 * 24 bits, exactly representable, so every backend agrees bit for bit.
 */
public final class Philox {
    private static final int M0 = 0xD2511F53;
    private static final int M1 = 0xCD9E8D57;
    private static final int W0 = 0x9E3779B9;
    private static final int W1 = 0xBB67AE85;
    private static final int ROUNDS = 10;

    private Philox() {}

    /** The four output words for counter {c0, c1, c2, c3} and key {k0, k1}, written to {@code out[0..4)}. */
    public static void block(int c0, int c1, int c2, int c3, int k0, int k1, int[] out) {
        for (int r = 0; r < ROUNDS; r++) {
            long p0 = (M0 & 0xFFFFFFFFL) * (c0 & 0xFFFFFFFFL);
            long p1 = (M1 & 0xFFFFFFFFL) * (c2 & 0xFFFFFFFFL);
            int hi0 = (int) (p0 >>> 32), lo0 = (int) p0;
            int hi1 = (int) (p1 >>> 32), lo1 = (int) p1;
            c0 = hi1 ^ c1 ^ k0;
            c1 = lo1;
            c2 = hi0 ^ c3 ^ k1;
            c3 = lo0;
            k0 += W0;
            k1 += W1;
        }
        out[0] = c0;
        out[1] = c1;
        out[2] = c2;
        out[3] = c3;
    }

    /** A word's top 24 bits as a float in [0, 1): the conversion every backend uses. */
    public static float uniform(int word) {
        return (word >>> 8) * 0x1.0p-24f;
    }

    /** Element {@code index} of the stream of {@code seed}, as 32 random bits. */
    public static int word(long seed, long index) {
        int[] out = new int[4];
        long block = index >>> 2;
        block((int) block, (int) (block >>> 32), 0, 0, (int) seed, (int) (seed >>> 32), out);
        return out[(int) (index & 3)];
    }

    /** Element {@code index} of the stream of {@code seed}, uniform in [0, 1). */
    public static float uniform(long seed, long index) {
        return uniform(word(seed, index));
    }
}
