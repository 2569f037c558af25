package dev.jgrad.nn;

import java.util.SplittableRandom;

/** Weight initialisers; {@link Sequential} picks He for ReLU-like activations and Xavier otherwise. */
public enum Init {
    /** Glorot and Bengio (2010): U(-a, a) with a = sqrt(6 / (fanIn + fanOut)); keeps variance for tanh/sigmoid. */
    XAVIER_UNIFORM,
    /** He et al. (2015): U(-a, a) with a = sqrt(6 / fanIn); keeps variance through ReLU. */
    HE_UNIFORM,
    /** All zeros (a layer that starts as the zero map, e.g. a residual branch). */
    ZEROS;

    /**
     * Fills a weight array.
     *
     * @param w      the weights to overwrite, in any layout
     * @param fanIn  the inputs each output sums over (a Linear's in, a Conv2d's in * k * k)
     * @param fanOut the outputs each input feeds (a Linear's out, a Conv2d's out * k * k)
     * @param rng    the random source; the same state gives the same weights
     */
    public void fill(float[] w, int fanIn, int fanOut, SplittableRandom rng) {
        double a = switch (this) {
            case XAVIER_UNIFORM -> Math.sqrt(6.0 / (fanIn + fanOut));
            case HE_UNIFORM -> Math.sqrt(6.0 / fanIn);
            case ZEROS -> 0;
        };
        for (int i = 0; i < w.length; i++) w[i] = a == 0 ? 0f : (float) ((rng.nextDouble() * 2 - 1) * a);
    }
}
