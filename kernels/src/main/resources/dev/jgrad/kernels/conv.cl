/* Convolution as a GEMM: im2col unfolds patches into rows, col2im folds their gradients back (as a
 * gather: each image element sums the patch entries that read it, in the order the CPU adds them, with
 * no atomics), batch_transpose moves between the [n, oh*ow, f] and [n, f, oh*ow] layouts. */

/* cols[(b*oh + oy)*ow + ox, (ci*kh + ky)*kw + kx] = x[b, ci, oy*sh - ph + ky, ox*sw - pw + kx] or 0 in the padding. */
KERNEL jg_im2col(int total, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int oh, int ow,
                 GLOBAL const float* x, GLOBAL float* cols) {
    int idx = GLOBAL_ID(0);
    if (idx >= total) return;
    int ckk = c * kh * kw;
    int col = idx % ckk;
    int row = idx / ckk;
    int kx = col % kw;
    int ky = (col / kw) % kh;
    int ci = col / (kh * kw);
    int ox = row % ow;
    int oy = (row / ow) % oh;
    int b = row / (ow * oh);
    int iy = oy * sh - ph + ky;
    int ix = ox * sw - pw + kx;
    cols[idx] = (iy >= 0 && iy < h && ix >= 0 && ix < w) ? x[((b * c + ci) * h + iy) * w + ix] : 0.0f;
}

KERNEL jg_col2im(int total, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int oh, int ow,
                 GLOBAL const float* cols, GLOBAL float* x, int accumulate) {
    int idx = GLOBAL_ID(0);
    if (idx >= total) return;
    int ix = idx % w;
    int iy = (idx / w) % h;
    int ci = (idx / (w * h)) % c;
    int b = idx / (w * h * c);
    int ckk = c * kh * kw;
    int oyEnd = min(oh - 1, (iy + ph) / sh);
    int oxEnd = min(ow - 1, (ix + pw) / sw);
    float s = 0.0f;
    for (int oy = jg_first_window(iy, kh, sh, ph); oy <= oyEnd; oy++) {
        int ky = iy + ph - oy * sh;
        for (int ox = jg_first_window(ix, kw, sw, pw); ox <= oxEnd; ox++) {
            int kx = ix + pw - ox * sw;
            s += cols[((b * oh + oy) * ow + ox) * ckk + (ci * kh + ky) * kw + kx];
        }
    }
    x[idx] = accumulate ? x[idx] + s : s;
}

/* y[b, j, i] = x[b, i, j] for x viewed as [batch, rows, cols]; consecutive work-items write consecutive y. */
KERNEL jg_batch_transpose(int total, int rows, int cols, GLOBAL const float* x, GLOBAL float* y) {
    int idx = GLOBAL_ID(0);
    if (idx >= total) return;
    int per = rows * cols;
    int b = idx / per;
    int r = idx - b * per;
    int j = r / rows;
    int i = r - j * rows;
    y[idx] = x[b * per + i * cols + j];
}
