/* 2-D max and average pooling over planes [h, w] (planes = n*c), window k x k, step stride, padding pad.
 * Forward: one work-item per output. Backward: one per input, gathering from the windows that contain
 * it (in output order, as the CPU adds them), so overlapping windows need no atomics. */

KERNEL jg_max_pool(int total, int h, int w, int k, int stride, int pad, int oh, int ow,
                   GLOBAL const float* x, GLOBAL float* y, GLOBAL float* indices) {
    int idx = GLOBAL_ID(0);
    if (idx >= total) return;
    int ox = idx % ow;
    int oy = (idx / ow) % oh;
    int p = idx / (ow * oh);
    GLOBAL const float* plane = x + (long) p * h * w;
    float best = -INFINITY;
    int at = -1;
    for (int ky = 0; ky < k; ky++) {
        int iy = oy * stride - pad + ky;
        if (iy < 0 || iy >= h) continue;
        for (int kx = 0; kx < k; kx++) {
            int ix = ox * stride - pad + kx;
            if (ix < 0 || ix >= w) continue;
            float v = plane[iy * w + ix];
            /* NaN wins, as in PyTorch, so that it is not silently dropped */
            if (at < 0 || v > best || (isnan(v) && !isnan(best))) {
                best = v;
                at = iy * w + ix;
            }
        }
    }
    y[idx] = best;
    indices[idx] = (float) at;
}

KERNEL jg_max_pool_backward(int total, int h, int w, int k, int stride, int pad, int oh, int ow,
                            GLOBAL const float* gy, GLOBAL const float* indices, GLOBAL float* gx, int accumulate) {
    int idx = GLOBAL_ID(0);
    if (idx >= total) return;
    int ix = idx % w;
    int iy = (idx / w) % h;
    int p = idx / (w * h);
    float position = (float) (iy * w + ix);
    long base = (long) p * oh * ow;
    int oyEnd = min(oh - 1, (iy + pad) / stride);
    int oxEnd = min(ow - 1, (ix + pad) / stride);
    float s = 0.0f;
    for (int oy = jg_first_window(iy, k, stride, pad); oy <= oyEnd; oy++)
        for (int ox = jg_first_window(ix, k, stride, pad); ox <= oxEnd; ox++) {
            long o = base + oy * ow + ox;
            if (indices[o] == position) s += gy[o];
        }
    gx[idx] = accumulate ? gx[idx] + s : s;
}

/* The divisor is always k*k: padding counts as zeros (count_include_pad). */
KERNEL jg_avg_pool(int total, int h, int w, int k, int stride, int pad, int oh, int ow,
                   GLOBAL const float* x, GLOBAL float* y) {
    int idx = GLOBAL_ID(0);
    if (idx >= total) return;
    int ox = idx % ow;
    int oy = (idx / ow) % oh;
    int p = idx / (ow * oh);
    GLOBAL const float* plane = x + (long) p * h * w;
    float s = 0.0f;
    for (int ky = 0; ky < k; ky++) {
        int iy = oy * stride - pad + ky;
        if (iy < 0 || iy >= h) continue;
        for (int kx = 0; kx < k; kx++) {
            int ix = ox * stride - pad + kx;
            if (ix >= 0 && ix < w) s += plane[iy * w + ix];
        }
    }
    y[idx] = s * (1.0f / (float) (k * k));
}

KERNEL jg_avg_pool_backward(int total, int h, int w, int k, int stride, int pad, int oh, int ow,
                            GLOBAL const float* gy, GLOBAL float* gx, int accumulate) {
    int idx = GLOBAL_ID(0);
    if (idx >= total) return;
    int ix = idx % w;
    int iy = (idx / w) % h;
    int p = idx / (w * h);
    float inv = 1.0f / (float) (k * k);
    long base = (long) p * oh * ow;
    int oyEnd = min(oh - 1, (iy + pad) / stride);
    int oxEnd = min(ow - 1, (ix + pad) / stride);
    float s = 0.0f;
    for (int oy = jg_first_window(iy, k, stride, pad); oy <= oyEnd; oy++)
        for (int ox = jg_first_window(ix, k, stride, pad); ox <= oxEnd; ox++) s += gy[base + oy * ow + ox] * inv;
    gx[idx] = accumulate ? gx[idx] + s : s;
}
