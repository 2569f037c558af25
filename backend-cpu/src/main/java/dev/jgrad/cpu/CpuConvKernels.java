package dev.jgrad.cpu;

import java.util.Arrays;

/**
 * The reference kernels for convolution as a GEMM: {@code im2col} unfolds patches into rows, {@code col2im}
 * folds their gradients back, {@code batchTranspose} moves between the GEMM's [n, oh*ow, f] and the
 * images' [n, f, oh*ow] layouts. Semantics are those documented on {@link dev.jgrad.spi.DeviceKernels}.
 */
final class CpuConvKernels {
    /** Below this many floats moved a kernel stays on the calling thread. */
    private static final int PARALLEL_FLOATS = 1 << 15;

    private CpuConvKernels() {}

    static void im2col(Parallel parallel, int n, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw,
                       float[] x, float[] cols) {
        int oh = (h + 2 * ph - kh) / sh + 1;
        int ow = (w + 2 * pw - kw) / sw + 1;
        int ckk = c * kh * kw;
        int rows = n * oh;
        parallel.forRange(rows, 1, (long) rows * ow * ckk >= PARALLEL_FLOATS, (from, to) -> {
            for (int r = from; r < to; r++) {
                int b = r / oh, oy = r % oh;
                int iy0 = oy * sh - ph;
                for (int ox = 0; ox < ow; ox++) {
                    int ix0 = ox * sw - pw;
                    int o = (r * ow + ox) * ckk;
                    for (int ci = 0; ci < c; ci++) {
                        int plane = (b * c + ci) * h;
                        for (int ky = 0; ky < kh; ky++) {
                            int iy = iy0 + ky;
                            if (iy < 0 || iy >= h) {
                                Arrays.fill(cols, o, o + kw, 0f);
                                o += kw;
                                continue;
                            }
                            int row = (plane + iy) * w;
                            if (ix0 >= 0 && ix0 + kw <= w) {
                                System.arraycopy(x, row + ix0, cols, o, kw);
                                o += kw;
                            } else {
                                for (int kx = 0; kx < kw; kx++) {
                                    int ix = ix0 + kx;
                                    cols[o++] = ix >= 0 && ix < w ? x[row + ix] : 0f;
                                }
                            }
                        }
                    }
                }
            }
        });
    }

    static void col2im(Parallel parallel, int n, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw,
                       float[] cols, float[] x, boolean accumulate) {
        int oh = (h + 2 * ph - kh) / sh + 1;
        int ow = (w + 2 * pw - kw) / sw + 1;
        int ckk = c * kh * kw;
        int image = c * h * w;
        // one image per task, reading its patch rows in memory order: every write to an image comes from
        // the task that owns it, and the image (a few KiB) stays in L1 while its rows stream past
        parallel.forRange(n, 1, (long) n * oh * ow * ckk >= PARALLEL_FLOATS, (from, to) -> {
            for (int b = from; b < to; b++) {
                int base = b * image;
                if (!accumulate) Arrays.fill(x, base, base + image, 0f);
                for (int oy = 0; oy < oh; oy++) {
                    int iy0 = oy * sh - ph;
                    for (int ox = 0; ox < ow; ox++) {
                        int ix0 = ox * sw - pw;
                        int o = ((b * oh + oy) * ow + ox) * ckk;
                        boolean inside = ix0 >= 0 && ix0 + kw <= w;
                        for (int ci = 0; ci < c; ci++) {
                            int plane = base + ci * h * w;
                            for (int ky = 0; ky < kh; ky++, o += kw) {
                                int iy = iy0 + ky;
                                if (iy < 0 || iy >= h) continue;
                                int row = plane + iy * w + ix0;
                                if (inside) {
                                    for (int kx = 0; kx < kw; kx++) x[row + kx] += cols[o + kx];
                                } else {
                                    for (int kx = 0; kx < kw; kx++) {
                                        int ix = ix0 + kx;
                                        if (ix >= 0 && ix < w) x[row + kx] += cols[o + kx];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        });
    }

    static void batchTranspose(Parallel parallel, int batch, int rows, int cols, float[] x, float[] y) {
        int per = rows * cols;
        parallel.forRange(batch, 1, (long) batch * per >= PARALLEL_FLOATS, (from, to) -> {
            for (int b = from; b < to; b++) transpose(x, b * per, rows, cols, y);
        });
    }

    /** y[o + j*rows + i] = x[o + i*cols + j], in tiles that fit the L1 cache. */
    private static void transpose(float[] x, int o, int rows, int cols, float[] y) {
        final int t = 32;
        for (int i0 = 0; i0 < rows; i0 += t) {
            int i1 = Math.min(rows, i0 + t);
            for (int j0 = 0; j0 < cols; j0 += t) {
                int j1 = Math.min(cols, j0 + t);
                for (int i = i0; i < i1; i++) {
                    int xi = o + i * cols;
                    for (int j = j0; j < j1; j++) y[o + j * rows + i] = x[xi + j];
                }
            }
        }
    }
}
