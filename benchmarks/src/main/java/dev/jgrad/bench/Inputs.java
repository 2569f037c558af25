package dev.jgrad.bench;

import java.util.SplittableRandom;

/** Seeded random inputs and the number of input sets to rotate among. */
final class Inputs {
    /**
     * Rotating among sets that add up to this much memory keeps every figure from being measured on inputs
     * that sit in a cache (a few MiB of L2/L3 on the CPUs this runs on), as they would not in training.
     */
    static final long ROTATION_BYTES = 32L << 20;
    static final int MAX_SETS = 64;

    private Inputs() {}

    /** Values uniform in [-1, 1), the same for the same (seed, stream, length) on every run. */
    static float[] uniform(long seed, long stream, int length) {
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + stream);
        float[] out = new float[length];
        for (int i = 0; i < length; i++) out[i] = (float) (rng.nextDouble() * 2 - 1);
        return out;
    }

    /** How many sets of {@code bytesPerSet} to rotate among: enough to exceed the caches, at most {@link #MAX_SETS}. */
    static int rotationSets(long bytesPerSet) {
        long sets = (ROTATION_BYTES + bytesPerSet - 1) / Math.max(1, bytesPerSet);
        return (int) Math.max(1, Math.min(MAX_SETS, sets));
    }
}
