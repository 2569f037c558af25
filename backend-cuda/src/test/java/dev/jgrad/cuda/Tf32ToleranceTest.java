package dev.jgrad.cuda;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The TF32 tolerance documented in README.md ("TF32"), tested without a GPU: the inputs are rounded to TF32
 * as the kernel rounds them (Tf32.round, cvt.rna), the products summed in float32 as the tensor cores do, and
 * the result compared with the float64 product of the unrounded inputs. The bound must hold on random
 * matrices, and adversarial inputs must come close to it (so it is not loose by orders of magnitude).
 */
class Tf32ToleranceTest {
    private final SplittableRandom rng = new SplittableRandom(2024);

    @Test
    void roundingKeepsTenMantissaBitsToNearestTiesAwayFromZero() {
        float ulp = 0x1p-10f;                    // TF32's spacing in [1, 2)
        assertEquals(1f, Tf32.round(1f + 0x1p-12f));
        assertEquals(1f + ulp, Tf32.round(1f + 0x1p-11f));              // a tie: away from zero
        assertEquals(-(1f + ulp), Tf32.round(-(1f + 0x1p-11f)));
        assertEquals(1f, Tf32.round(1f + 0x1p-11f - 0x1p-23f));        // just below the tie
        assertEquals(1f + ulp, Tf32.round(1f + ulp));                    // representable: unchanged
        assertEquals(2f, Tf32.round(2f - 0x1p-23f));                     // carries into the exponent
        assertEquals(0f, Tf32.round(0f));
        assertTrue(Float.isNaN(Tf32.round(Float.NaN)));
        assertEquals(Float.NEGATIVE_INFINITY, Tf32.round(Float.NEGATIVE_INFINITY));
        for (int i = 0; i < 100_000; i++) {
            float x = (float) ((2 * rng.nextDouble() - 1) * Math.scalb(1.0, rng.nextInt(-60, 60)));
            float r = Tf32.round(x);
            assertEquals(0, Float.floatToRawIntBits(r) & 0x1FFF, "only 10 mantissa bits: " + x);
            assertTrue(Math.abs(r - (double) x) <= Tf32.UNIT_ROUNDOFF * Math.abs(x), x + " -> " + r);
        }
    }

    /** 11-bit significands multiply into at most 22 bits: every product of TF32 values is exact in float32. */
    @Test
    void productsOfTf32ValuesAreExactInFloat32() {
        for (int i = 0; i < 100_000; i++) {
            float a = Tf32.round((float) (2 * rng.nextDouble() - 1)), b = Tf32.round((float) (2 * rng.nextDouble() - 1) * 1000);
            assertEquals((double) a * (double) b, (double) (a * b), a + " * " + b);
        }
    }

    @Test
    void documentedBoundHoldsOnRandomMatrices() {
        for (int k : new int[] {1, 2, 7, 8, 64, 333, 1024, 4096}) {
            for (double scale : new double[] {1, 1e-3, 37}) {
                for (boolean positive : new boolean[] {false, true}) {
                    int m = 12, n = 12;
                    float[] a = random(m * k, scale, positive), b = random(k * n, 1 / scale, positive);
                    double maxA = maxAbs(a), maxB = maxAbs(b), bound = Tf32.errorBound(k, maxA, maxB);
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            double exact = 0;
                            for (int p = 0; p < k; p++) exact += (double) a[i * k + p] * b[p * n + j];
                            for (boolean bySlices : new boolean[] {false, true}) {
                                double err = Math.abs(emulated(a, b, i, j, k, n, bySlices) - exact);
                                assertTrue(err <= bound, "k=" + k + " scale=" + scale + " positive=" + positive
                                        + ": TF32 error " + err + " > documented bound " + bound);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Inputs just below a rounding tie all round down by almost 2^-11, in the same direction, and the sum of
     * k equal products is exact in float32: the error is then about k * 2^-10, half the documented bound.
     */
    @Test
    void adversarialInputsComeWithinAFactorOfTwoOfTheBound() {
        int k = Tf32.MAX_K;
        float x = 1f + 0x1p-11f - 0x1p-23f;
        float[] a = new float[k], b = new float[k];
        java.util.Arrays.fill(a, x);
        java.util.Arrays.fill(b, x);
        double exact = (double) k * x * x;
        double err = Math.abs(emulated(a, b, 0, 0, k, 1, false) - exact);
        double bound = Tf32.errorBound(k, x, x);
        assertTrue(err <= bound, err + " > " + bound);
        assertTrue(err >= bound / 2.2, "the bound should be nearly attained here: error " + err + ", bound " + bound);
        // and float32 without TF32 is exact here: the error is TF32's
        float plain = 0;
        for (int p = 0; p < k; p++) plain += x * x;
        assertTrue(Math.abs(plain - exact) < bound / 1000, "float32 error " + Math.abs(plain - exact));
    }

    @Test
    void theBoundIsOnlyClaimedUpToItsK() {
        assertThrows(IllegalArgumentException.class, () -> Tf32.errorBound(Tf32.MAX_K + 1, 1, 1));
        assertEquals(2 * 100 * 0x1p-10, Tf32.errorBound(100, 1, 1));
    }

    /**
     * Row i of A [m, k] times column j of B [k, n] with TF32 inputs and float32 sums: one running sum, or
     * (bySlices) sums of 8-long slices added into the running sum, as an m16n16k8 MMA accumulates.
     */
    private static float emulated(float[] a, float[] b, int i, int j, int k, int n, boolean bySlices) {
        float acc = 0;
        for (int p0 = 0; p0 < k; p0 += bySlices ? 8 : k) {
            float part = 0;
            for (int p = p0; p < Math.min(k, p0 + (bySlices ? 8 : k)); p++) part += Tf32.round(a[i * k + p]) * Tf32.round(b[p * n + j]);
            acc += part;
        }
        return acc;
    }

    private float[] random(int n, double scale, boolean positive) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (scale * (positive ? rng.nextDouble() : 2 * rng.nextDouble() - 1));
        return v;
    }

    private static double maxAbs(float[] v) {
        double m = 0;
        for (float x : v) m = Math.max(m, Math.abs(x));
        return m;
    }
}
