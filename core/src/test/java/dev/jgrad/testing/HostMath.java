package dev.jgrad.testing;

/**
 * Double-precision host versions of what the kernels compute, and the data-dependent float32 error
 * bounds of sums and dot products (Higham, Accuracy and Stability of Numerical Algorithms, ch. 3:
 * any summation order of k terms has |error| <= gamma(k) * sum |term|, FMA or not).
 */
public final class HostMath {
    private HostMath() {}

    /** gamma(k) = k*U / (1 - k*U). */
    public static double gamma(int k) {
        double ku = k * Tolerance.U;
        return ku / (1 - ku);
    }

    /** x as a row-major [rows, cols] array, where x is stored [cols, rows] when {@code transposed}. */
    private static float[] rowMajor(float[] x, boolean transposed, int rows, int cols) {
        if (!transposed) return x;
        float[] y = new float[rows * cols];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) y[r * cols + c] = x[c * rows + r];
        return y;
    }

    /** C0 + op(A) op(B) in double (C0 null or ignored when not accumulating). */
    public static double[] gemm(boolean ta, boolean tb, int m, int n, int k, float[] a, float[] b, float[] c0, boolean accumulate) {
        float[] opA = rowMajor(a, ta, m, k);        // [m, k]
        float[] opBt = rowMajor(b, !tb, n, k);      // op(B)^T, [n, k]: both operands walked contiguously
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = accumulate ? c0[i * n + j] : 0;
                for (int p = 0, ai = i * k, bj = j * k; p < k; p++) s += (double) opA[ai + p] * opBt[bj + p];
                c[i * n + j] = s;
            }
        }
        return c;
    }

    /** |C0| + |op(A)| |op(B)|: the magnitude that a float32 GEMM's rounding error scales with. */
    public static double[] gemmMagnitude(boolean ta, boolean tb, int m, int n, int k, float[] a, float[] b, float[] c0, boolean accumulate) {
        float[] absA = abs(a);
        float[] absB = abs(b);
        return gemm(ta, tb, m, n, k, absA, absB, accumulate ? abs(c0) : null, accumulate);
    }

    public static float[] abs(float[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) y[i] = Math.abs(x[i]);
        return y;
    }

    public static double[] scale(double[] x, double s) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = x[i] * s;
        return y;
    }

    public static float[] toFloat(double[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) y[i] = (float) x[i];
        return y;
    }

    /** Viewing x as [outer, r, inner]: the sums over r, in double. */
    public static double[] reduceSum(int outer, int r, int inner, float[] x) {
        double[] out = new double[outer * inner];
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < r; j++)
                for (int i = 0; i < inner; i++) out[o * inner + i] += x[(o * r + j) * inner + i];
        return out;
    }
}
