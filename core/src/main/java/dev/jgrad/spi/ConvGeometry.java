package dev.jgrad.spi;

/**
 * The shape of one 2-D convolution: input x [n, c, h, w], weight [f, c, kh, kw], output [n, f, oh, ow]
 * with oh = (h + 2*padH - kh)/strideH + 1 and ow = (w + 2*padW - kw)/strideW + 1. Cross-correlation, as
 * PyTorch's {@code conv2d}: y[b, o, oy, ox] = sum over ci, ky, kx of weight[o, ci, ky, kx] *
 * x[b, ci, oy*strideH - padH + ky, ox*strideW - padW + kx], positions outside the image counting as 0.
 */
public record ConvGeometry(int n, int c, int h, int w, int f, int kh, int kw, int strideH, int strideW, int padH, int padW) {
    public ConvGeometry {
        if (n < 0 || c < 1 || h < 1 || w < 1 || f < 1 || kh < 1 || kw < 1 || strideH < 1 || strideW < 1 || padH < 0 || padW < 0) {
            throw new IllegalArgumentException("convolution geometry needs positive sizes and strides and padding >= 0, got " + this);
        }
    }

    /** Output height. */
    public int oh() {
        return (h + 2 * padH - kh) / strideH + 1;
    }

    /** Output width. */
    public int ow() {
        return (w + 2 * padW - kw) / strideW + 1;
    }

    /** Values one output position sums over: c*kh*kw (the GEMM's inner dimension). */
    public int patch() {
        return c * kh * kw;
    }
}
