/* One work-item per element; launches round n up to the work-group size, hence the guards. */

KERNEL jg_fill(int n, GLOBAL float* x, float value) {
    int i = GLOBAL_ID(0);
    if (i < n) x[i] = value;
}

KERNEL jg_copy(int n, GLOBAL const float* RESTRICT src, GLOBAL float* RESTRICT dst) {
    int i = GLOBAL_ID(0);
    if (i < n) dst[i] = src[i];
}

/* y = alpha*x + beta*y; beta == 0 must not read y (it may hold NaN). */
KERNEL jg_axpby(int n, float alpha, GLOBAL const float* x, float beta, GLOBAL float* y) {
    int i = GLOBAL_ID(0);
    if (i >= n) return;
    y[i] = beta == 0.0f ? alpha * x[i] : alpha * x[i] + beta * y[i];
}

KERNEL jg_unary(int op, float param, int n, GLOBAL const float* x, GLOBAL float* y) {
    int i = GLOBAL_ID(0);
    if (i < n) y[i] = jg_apply(op, param, x[i]);
}

KERNEL jg_unary_backward(int op, float param, int n, GLOBAL const float* x, GLOBAL const float* y,
                         GLOBAL const float* gy, GLOBAL float* gx, int accumulate) {
    int i = GLOBAL_ID(0);
    if (i >= n) return;
    float g = gy[i] * jg_derivative(op, param, x[i], y[i]);
    gx[i] = accumulate ? gx[i] + g : g;
}

#define BIN_ADD 0
#define BIN_SUB 1
#define BIN_MUL 2
#define BIN_DIV 3

/* out[i] = a[(i / aDiv) % aMod] op b[(i / bDiv) % bMod]: the Broadcast record's indexing. */
KERNEL jg_binary(int op, int n, GLOBAL const float* a, int aDiv, int aMod,
                 GLOBAL const float* b, int bDiv, int bMod, GLOBAL float* out) {
    int i = GLOBAL_ID(0);
    if (i >= n) return;
    float x = a[(i / aDiv) % aMod];
    float y = b[(i / bDiv) % bMod];
    float z;
    switch (op) {
        case BIN_ADD: z = x + y; break;
        case BIN_SUB: z = x - y; break;
        case BIN_MUL: z = x * y; break;
        default:      z = x / y; break;
    }
    out[i] = z;
}

/* x[o, j, i] (+)= scale * g[o, i] over the [outer, r, inner] view; n = outer*r*inner. */
KERNEL jg_expand(int n, int r, int inner, GLOBAL const float* g, GLOBAL float* x, float scale, int accumulate) {
    int idx = GLOBAL_ID(0);
    if (idx >= n) return;
    int i = idx % inner;
    int o = idx / (inner * r);
    float v = scale * g[o * inner + i];
    x[idx] = accumulate ? x[idx] + v : v;
}

/* g = gy * act'(y) for the fused dense layer's backward; the bias gradient is a column sum after it. */
KERNEL jg_activation_backward(int op, float param, int n, GLOBAL const float* y, GLOBAL const float* gy,
                              GLOBAL float* g) {
    int i = GLOBAL_ID(0);
    if (i < n) g[i] = gy[i] * jg_derivative_from_output(op, param, y[i]);
}

/* y = min(max(x, lo), hi); y may be x. */
KERNEL jg_clamp(int n, float lo, float hi, GLOBAL const float* x, GLOBAL float* y) {
    int i = GLOBAL_ID(0);
    if (i < n) y[i] = fmax(lo, fmin(hi, x[i]));
}
