package dev.jgrad.bench.jmh;

import dev.jgrad.spi.Buffer;
import dev.jgrad.device.Device;

import java.util.SplittableRandom;

/** Operands for one GEMM on a device, and a check of the device's product against a double-precision dot product. */
final class GemmCheck {
    final int m, n, k;
    final boolean transA, transB;
    final float[] a, b;
    final Buffer da, db, dc;

    GemmCheck(Device device, int m, int n, int k, boolean transA, boolean transB, long seed) {
        this.m = m;
        this.n = n;
        this.k = k;
        this.transA = transA;
        this.transB = transB;
        SplittableRandom rng = new SplittableRandom(seed);
        a = random(rng, m * k);
        b = random(rng, k * n);
        da = upload(device, a);
        db = upload(device, b);
        dc = device.kernels().allocate(m * n);
    }

    void run(Device device) {
        device.kernels().gemm(transA, transB, m, n, k, da, db, dc, false);
    }

    double flops() {
        return 2.0 * m * n * k;
    }

    /**
     * Runs the product once and compares C with a double-precision dot product at every corner and 2,000
     * random positions (a full triple loop at n = 2048 would take minutes), within the worst-case float32
     * summation bound (k+1)*2^-24*sum|a||b|. Throws if any differs, so JMH reports the benchmark as failed.
     */
    void verify(Device device) {
        run(device);
        float[] c = new float[m * n];
        device.kernels().read(dc, 0, c, 0, m * n);
        SplittableRandom rng = new SplittableRandom(1);
        for (int s = 0; s < 2004; s++) {
            int i = s < 4 ? (s & 1) * (m - 1) : rng.nextInt(m);
            int j = s < 4 ? (s >> 1) * (n - 1) : rng.nextInt(n);
            double exact = 0, magnitude = 0;
            for (int p = 0; p < k; p++) {
                double prod = (double) (transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]);
                exact += prod;
                magnitude += Math.abs(prod);
            }
            double bound = (k + 1) * Math.ulp(1f) / 2 * magnitude + Float.MIN_NORMAL;
            if (!(Math.abs(c[i * n + j] - exact) <= bound)) {
                throw new IllegalStateException("GEMM " + m + "x" + n + "x" + k + " transA=" + transA + " transB=" + transB
                        + " is wrong: C[" + i + "," + j + "] = " + c[i * n + j] + ", expected " + exact + " within " + bound);
            }
        }
    }

    private static float[] random(SplittableRandom rng, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = (float) rng.nextDouble(-1, 1);
        return x;
    }

    private static Buffer upload(Device device, float[] x) {
        Buffer buf = device.kernels().allocate(x.length);
        device.kernels().write(x, 0, buf, 0, x.length);
        return buf;
    }
}
