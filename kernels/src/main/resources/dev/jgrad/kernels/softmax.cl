/* Row-wise softmax, log-softmax and softmax cross-entropy. Row kernels run one work-group of ROW_GROUP work-items
 * per row (ROW_GROUP a power of two); elementwise ones one work-item per element. */

#ifndef ROW_GROUP
#define ROW_GROUP 128
#endif

/* Writes softmax(x[row]) to y[row] and returns the row's log-sum-exp. Every work-item of the group must call it. */
DEVICE_FN float jg_softmax_row(LOCAL_PTR float* scratch, int cols, GLOBAL const float* x, GLOBAL float* y) {
    int lid = LOCAL_ID(0);
    float m = -INFINITY;
    for (int j = lid; j < cols; j += ROW_GROUP) m = fmax(m, x[j]);
    m = jg_group_max(scratch, m);
    float s = 0.0f;
    for (int j = lid; j < cols; j += ROW_GROUP) {
        float e = exp(x[j] - m);
        y[j] = e;
        s += e;
    }
    s = jg_group_sum(scratch, s);
    float inv = 1.0f / s;
    /* each work-item rescales exactly the elements it wrote, so no barrier is needed between the loops */
    for (int j = lid; j < cols; j += ROW_GROUP) y[j] *= inv;
    return m + log(s);
}

KERNEL jg_softmax(int cols, GLOBAL const float* x, GLOBAL float* y) {
    LOCAL_MEM float scratch[ROW_GROUP];
    long o = (long) GROUP_ID(0) * cols;
    jg_softmax_row(scratch, cols, x + o, y + o);
}

KERNEL jg_softmax_backward(int cols, GLOBAL const float* y, GLOBAL const float* gy, GLOBAL float* gx, int accumulate) {
    LOCAL_MEM float scratch[ROW_GROUP];
    long o = (long) GROUP_ID(0) * cols;
    int lid = LOCAL_ID(0);
    float dot = 0.0f;
    for (int j = lid; j < cols; j += ROW_GROUP) dot += gy[o + j] * y[o + j];
    dot = jg_group_sum(scratch, dot);
    for (int j = lid; j < cols; j += ROW_GROUP) {
        float g = y[o + j] * (gy[o + j] - dot);
        gx[o + j] = accumulate ? gx[o + j] + g : g;
    }
}

/* A label that is not a class index in [0, cols) gives a NaN loss: a kernel cannot throw as the CPU does. */
KERNEL jg_softmax_cross_entropy(int cols, GLOBAL const float* logits, GLOBAL const float* labels,
                                GLOBAL float* probs, GLOBAL float* loss) {
    LOCAL_MEM float scratch[ROW_GROUP];
    int r = GROUP_ID(0);
    long o = (long) r * cols;
    float lse = jg_softmax_row(scratch, cols, logits + o, probs + o);
    if (LOCAL_ID(0) == 0) {
        float label = labels[r];
        int t = (int) label;
        loss[r] = (t >= 0 && t < cols && (float) t == label) ? lse - logits[o + t] : NAN;
    }
}

/* gx (+)= (probs - onehot(labels)) * gLoss[0] * scale, the upstream gradient read on the device. */
KERNEL jg_softmax_cross_entropy_backward(int rows, int cols, GLOBAL const float* probs, GLOBAL const float* labels,
                                         GLOBAL const float* gLoss, float scale, GLOBAL float* gx, int accumulate) {
    int idx = GLOBAL_ID(0);
    if (idx >= rows * cols) return;
    int r = idx / cols;
    int j = idx - r * cols;
    float onehot = j == (int) labels[r] ? 1.0f : 0.0f;
    float g = (probs[idx] - onehot) * (gLoss[0] * scale);
    gx[idx] = accumulate ? gx[idx] + g : g;
}

/* y = x - max - log(sum(exp(x - max))) per row. */
KERNEL jg_log_softmax(int cols, GLOBAL const float* x, GLOBAL float* y) {
    LOCAL_MEM float scratch[ROW_GROUP];
    long o = (long) GROUP_ID(0) * cols;
    int lid = LOCAL_ID(0);
    float m = -INFINITY;
    for (int j = lid; j < cols; j += ROW_GROUP) m = fmax(m, x[o + j]);
    m = jg_group_max(scratch, m);
    float s = 0.0f;
    for (int j = lid; j < cols; j += ROW_GROUP) s += exp(x[o + j] - m);
    float lse = m + log(jg_group_sum(scratch, s));
    for (int j = lid; j < cols; j += ROW_GROUP) y[o + j] = x[o + j] - lse;
}

/* gx (+)= gy - exp(y) * sum_row(gy). */
KERNEL jg_log_softmax_backward(int cols, GLOBAL const float* y, GLOBAL const float* gy, GLOBAL float* gx, int accumulate) {
    LOCAL_MEM float scratch[ROW_GROUP];
    long o = (long) GROUP_ID(0) * cols;
    int lid = LOCAL_ID(0);
    float s = 0.0f;
    for (int j = lid; j < cols; j += ROW_GROUP) s += gy[o + j];
    s = jg_group_sum(scratch, s);
    for (int j = lid; j < cols; j += ROW_GROUP) {
        float g = gy[o + j] - exp(y[o + j]) * s;
        gx[o + j] = accumulate ? gx[o + j] + g : g;
    }
}
