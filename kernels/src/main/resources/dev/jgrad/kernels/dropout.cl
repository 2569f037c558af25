/* Inverted dropout with masks from Philox4x32-10 (dev.jgrad.spi.Philox): element i uses word
 * (offset + i) % 4 of the block at counter {(offset + i) / 4 as two 32-bit halves, 0, 0} under the key
 * {seed low, seed high}; u = (word >> 8) * 2^-24 and the element is kept when u >= p. Integer
 * arithmetic only, so every backend draws the same mask bit for bit. */

#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u

/* Word `word` (0..3) of the Philox4x32-10 block for counter {c0, c1, 0, 0} and key {k0, k1}. */
DEVICE_FN JG_U32 jg_philox_word(JG_U32 c0, JG_U32 c1, JG_U32 k0, JG_U32 k1, int word) {
    JG_U32 c2 = 0u, c3 = 0u;
    for (int r = 0; r < 10; r++) {
        JG_U32 hi0 = MUL_HI_U32(PHILOX_M0, c0), lo0 = PHILOX_M0 * c0;
        JG_U32 hi1 = MUL_HI_U32(PHILOX_M1, c2), lo1 = PHILOX_M1 * c2;
        c0 = hi1 ^ c1 ^ k0;
        c1 = lo1;
        c2 = hi0 ^ c3 ^ k1;
        c3 = lo0;
        k0 += PHILOX_W0;
        k1 += PHILOX_W1;
    }
    return word == 0 ? c0 : word == 1 ? c1 : word == 2 ? c2 : c3;
}

KERNEL jg_dropout(int n, int seedLo, int seedHi, int offsetLo, int offsetHi, float p,
                  GLOBAL const float* x, GLOBAL float* mask, GLOBAL float* y) {
    int i = GLOBAL_ID(0);
    if (i >= n) return;
    JG_U64 index = (((JG_U64) (JG_U32) offsetHi) << 32 | (JG_U64) (JG_U32) offsetLo) + (JG_U64) i;
    JG_U64 block = index >> 2;
    JG_U32 word = jg_philox_word((JG_U32) block, (JG_U32) (block >> 32), (JG_U32) seedLo, (JG_U32) seedHi, (int) (index & 3));
    float u = (float) (word >> 8) * (1.0f / 16777216.0f);
    float m = u >= p ? 1.0f / (1.0f - p) : 0.0f;
    mask[i] = m;
    y[i] = x[i] * m;
}
