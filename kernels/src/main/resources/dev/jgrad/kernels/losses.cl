/* Elementwise losses; the upstream gradient gLoss[0] is read on the device, never copied to the host. */

KERNEL jg_bce_with_logits(int n, GLOBAL const float* x, GLOBAL const float* t, GLOBAL float* loss) {
    int i = GLOBAL_ID(0);
    if (i >= n) return;
    float v = x[i];
    loss[i] = fmax(v, 0.0f) - v * t[i] + log1p(exp(-fabs(v)));
}

KERNEL jg_bce_with_logits_backward(int n, GLOBAL const float* x, GLOBAL const float* t, GLOBAL const float* gLoss,
                                   float scale, GLOBAL float* gx, int accumulate) {
    int i = GLOBAL_ID(0);
    if (i >= n) return;
    float g = (jg_sigmoid(x[i]) - t[i]) * (gLoss[0] * scale);
    gx[i] = accumulate ? gx[i] + g : g;
}

/* Huber loss with d = x - t: 0.5*d^2 inside [-delta, delta], delta*(|d| - 0.5*delta) outside. */
KERNEL jg_huber_loss(int n, float delta, GLOBAL const float* x, GLOBAL const float* t, GLOBAL float* loss) {
    int i = GLOBAL_ID(0);
    if (i >= n) return;
    float d = x[i] - t[i];
    float a = fabs(d);
    loss[i] = a <= delta ? 0.5f * d * d : delta * (a - 0.5f * delta);
}

KERNEL jg_huber_loss_backward(int n, float delta, GLOBAL const float* x, GLOBAL const float* t, GLOBAL const float* gLoss,
                              float scale, GLOBAL float* gx, int accumulate) {
    int i = GLOBAL_ID(0);
    if (i >= n) return;
    float d = fmax(-delta, fmin(delta, x[i] - t[i]));
    float g = d * (gLoss[0] * scale);
    gx[i] = accumulate ? gx[i] + g : g;
}
