package dev.jgrad.cpu;

import dev.jgrad.spi.Philox;

/** The reference inverted-dropout kernel: masks from the Philox stream, as {@link dev.jgrad.spi.DeviceKernels#dropout} defines. */
final class CpuDropoutKernel {
    private static final int PARALLEL_ELEMENTS = 1 << 15;

    private CpuDropoutKernel() {}

    static void dropout(Parallel parallel, int n, long seed, long offset, float p, float[] x, float[] mask, float[] y) {
        float keepScale = 1f / (1f - p);
        int k0 = (int) seed, k1 = (int) (seed >>> 32);
        parallel.forRange(n, 1024, n >= PARALLEL_ELEMENTS, (from, to) -> {
            int[] words = new int[4];
            long block = -1;
            for (int i = from; i < to; i++) {
                long index = offset + i;
                long b = index >>> 2;
                if (b != block) {
                    Philox.block((int) b, (int) (b >>> 32), 0, 0, k0, k1, words);
                    block = b;
                }
                float u = Philox.uniform(words[(int) (index & 3)]);
                float m = u >= p ? keepScale : 0f;
                mask[i] = m;
                y[i] = x[i] * m;
            }
        });
    }
}
