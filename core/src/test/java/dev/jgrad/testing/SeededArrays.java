package dev.jgrad.testing;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Test inputs from a seeded generator, so a failure reproduces exactly. */
public final class SeededArrays {
    private final SplittableRandom rng;

    public SeededArrays(long seed) {
        this.rng = new SplittableRandom(seed);
    }

    /** Uniform in [lo, hi). */
    public float[] uniform(int n, double lo, double hi) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (lo + (hi - lo) * rng.nextDouble());
        return x;
    }

    /** |x| uniform in [min, max) with a random sign: keeps inputs off the kink of relu, abs and friends. */
    public float[] awayFromZero(int n, double min, double max) {
        float[] x = uniform(n, min, max);
        for (int i = 0; i < n; i++) if (rng.nextBoolean()) x[i] = -x[i];
        return x;
    }

    /** Class indices in [0, classes), as the floats the kernels take. */
    public float[] labels(int rows, int classes) {
        float[] y = new float[rows];
        for (int i = 0; i < rows; i++) y[i] = rng.nextInt(classes);
        return y;
    }

    /** An output buffer's initial contents for a kernel that must overwrite it: any read of it shows up as NaN. */
    public static float[] unwritten(int n) {
        float[] x = new float[n];
        Arrays.fill(x, Float.NaN);
        return x;
    }

    public double nextDouble() {
        return rng.nextDouble();
    }

    public int nextInt(int bound) {
        return rng.nextInt(bound);
    }
}
