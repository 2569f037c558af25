package dev.jgrad.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision GEMM, C[m,n] (+)= op(A) op(B), row-major. Transposed operands are first packed into
 * row-major scratch panels (kept between calls, so the steady state allocates nothing); the inner kernel
 * computes 4 rows x 2 vectors of C at a time with broadcast-FMA, blocked over k so the B panel stays in cache.
 */
final class Sgemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int KC = 256;
    /** Below this many multiply-adds the work stays on the calling thread. */
    private static final long PARALLEL_THRESHOLD = 1L << 17;

    private final Parallel parallel;
    private float[] packA = new float[0];
    private float[] packB = new float[0];

    Sgemm(Parallel parallel) {
        this.parallel = parallel;
    }

    void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, float[] b, float[] c, boolean accumulate) {
        if (m == 0 || n == 0) return;
        if (!accumulate) java.util.Arrays.fill(c, 0, m * n, 0f);
        if (k == 0) return;
        float[] ar = a;
        if (transA) {                       // A stored [k, m]: pack to [m, k]
            packA = grow(packA, m * k);
            transpose(a, k, m, packA);
            ar = packA;
        }
        float[] br = b;
        if (transB) {                       // B stored [n, k]: pack to [k, n]
            packB = grow(packB, k * n);
            transpose(b, n, k, packB);
            br = packB;
        }
        final float[] A = ar;
        final float[] B = br;
        long work = (long) m * n * k;
        parallel.forRange(m, 4, work >= PARALLEL_THRESHOLD, (i0, i1) -> rows(A, B, c, i0, i1, n, k));
    }

    private static float[] grow(float[] buf, int size) {
        return buf.length >= size ? buf : new float[size];
    }

    /** dst[cols, rows] = src[rows, cols]^T, in cache-sized tiles. */
    static void transpose(float[] src, int rows, int cols, float[] dst) {
        final int t = 32;
        for (int i0 = 0; i0 < rows; i0 += t) {
            int i1 = Math.min(rows, i0 + t);
            for (int j0 = 0; j0 < cols; j0 += t) {
                int j1 = Math.min(cols, j0 + t);
                for (int i = i0; i < i1; i++) {
                    for (int j = j0; j < j1; j++) dst[j * rows + i] = src[i * cols + j];
                }
            }
        }
    }

    /** C rows [i0, i1) += A[i0..i1, :] B, with A [m,k] and B [k,n] row-major. */
    private static void rows(float[] a, float[] b, float[] c, int i0, int i1, int n, int k) {
        int nv = n - n % (2 * L);
        for (int p0 = 0; p0 < k; p0 += KC) {
            int p1 = Math.min(k, p0 + KC);
            int i = i0;
            for (; i + 4 <= i1; i += 4) {
                for (int j = 0; j < nv; j += 2 * L) kernel4x2(a, b, c, i, j, p0, p1, n, k);
                if (nv < n) tail(a, b, c, i, i + 4, nv, n, p0, p1, n, k);
            }
            for (; i < i1; i++) {
                for (int j = 0; j < nv; j += 2 * L) kernel1x2(a, b, c, i, j, p0, p1, n, k);
                if (nv < n) tail(a, b, c, i, i + 1, nv, n, p0, p1, n, k);
            }
        }
    }

    private static void kernel4x2(float[] a, float[] b, float[] c, int i, int j, int p0, int p1, int n, int k) {
        int c0 = i * n + j, c1 = c0 + n, c2 = c1 + n, c3 = c2 + n;
        FloatVector s00 = FloatVector.fromArray(S, c, c0), s01 = FloatVector.fromArray(S, c, c0 + L);
        FloatVector s10 = FloatVector.fromArray(S, c, c1), s11 = FloatVector.fromArray(S, c, c1 + L);
        FloatVector s20 = FloatVector.fromArray(S, c, c2), s21 = FloatVector.fromArray(S, c, c2 + L);
        FloatVector s30 = FloatVector.fromArray(S, c, c3), s31 = FloatVector.fromArray(S, c, c3 + L);
        int a0 = i * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k;
        for (int p = p0; p < p1; p++) {
            int bo = p * n + j;
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
            s00 = x.fma(b0, s00);
            s01 = x.fma(b1, s01);
            x = FloatVector.broadcast(S, a[a1 + p]);
            s10 = x.fma(b0, s10);
            s11 = x.fma(b1, s11);
            x = FloatVector.broadcast(S, a[a2 + p]);
            s20 = x.fma(b0, s20);
            s21 = x.fma(b1, s21);
            x = FloatVector.broadcast(S, a[a3 + p]);
            s30 = x.fma(b0, s30);
            s31 = x.fma(b1, s31);
        }
        s00.intoArray(c, c0);
        s01.intoArray(c, c0 + L);
        s10.intoArray(c, c1);
        s11.intoArray(c, c1 + L);
        s20.intoArray(c, c2);
        s21.intoArray(c, c2 + L);
        s30.intoArray(c, c3);
        s31.intoArray(c, c3 + L);
    }

    private static void kernel1x2(float[] a, float[] b, float[] c, int i, int j, int p0, int p1, int n, int k) {
        int c0 = i * n + j;
        FloatVector s0 = FloatVector.fromArray(S, c, c0), s1 = FloatVector.fromArray(S, c, c0 + L);
        int a0 = i * k;
        for (int p = p0; p < p1; p++) {
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
            s0 = x.fma(FloatVector.fromArray(S, b, p * n + j), s0);
            s1 = x.fma(FloatVector.fromArray(S, b, p * n + j + L), s1);
        }
        s0.intoArray(c, c0);
        s1.intoArray(c, c0 + L);
    }

    /** Columns [j0, j1) that do not fill two vectors, scalar. */
    private static void tail(float[] a, float[] b, float[] c, int i0, int i1, int j0, int j1, int p0, int p1, int n, int k) {
        for (int i = i0; i < i1; i++) {
            for (int j = j0; j < j1; j++) {
                float s = c[i * n + j];
                for (int p = p0; p < p1; p++) s += a[i * k + p] * b[p * n + j];
                c[i * n + j] = s;
            }
        }
    }

    /** Sum of a vectorizable range, used by reductions. */
    static float sum(float[] x, int from, int to) {
        int i = from;
        FloatVector acc = FloatVector.zero(S);
        for (; i + L <= to; i += L) acc = acc.add(FloatVector.fromArray(S, x, i));
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < to; i++) s += x[i];
        return s;
    }
}
