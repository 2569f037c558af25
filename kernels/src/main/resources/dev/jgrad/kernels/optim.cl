/* Optimizer updates, one pass per parameter tensor; CpuDevice.sgdStep/adamStep are the reference. */

/* velocity is ignored when hasMomentum is 0 (the host passes a placeholder buffer). */
KERNEL jg_sgd_step(int n, GLOBAL float* p, GLOBAL const float* g, GLOBAL float* v, int hasMomentum,
                   float lr, float momentum, float weightDecay, int nesterov) {
    int i = GLOBAL_ID(0);
    if (i >= n) return;
    float d = g[i] + weightDecay * p[i];
    if (hasMomentum) {
        float vi = momentum * v[i] + d;
        v[i] = vi;
        d = nesterov ? d + momentum * vi : vi;
    }
    p[i] -= lr * d;
}

/* stepSize = lr / bc1, sqrtBc2 = sqrt(bc2) and decay = 1 - lr*weightDecay (decoupled) come from the host. */
KERNEL jg_adam_step(int n, GLOBAL float* p, GLOBAL const float* g, GLOBAL float* m, GLOBAL float* v,
                    float stepSize, float beta1, float beta2, float eps, float weightDecay, int decoupled,
                    float decay, float sqrtBc2) {
    int i = GLOBAL_ID(0);
    if (i >= n) return;
    float pi = p[i] * decay;
    float gi = decoupled ? g[i] : g[i] + weightDecay * p[i];
    float mi = beta1 * m[i] + (1.0f - beta1) * gi;
    float vi = beta2 * v[i] + (1.0f - beta2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    p[i] = pi - stepSize * mi / (sqrt(vi) / sqrtBc2 + eps);
}

/* RMSprop, not centered; buf is ignored when hasMomentum is 0. */
KERNEL jg_rmsprop_step(int n, GLOBAL float* p, GLOBAL const float* g, GLOBAL float* sq, GLOBAL float* buf, int hasMomentum,
                       float lr, float alpha, float eps, float weightDecay, float momentum) {
    int i = GLOBAL_ID(0);
    if (i >= n) return;
    float gi = g[i] + weightDecay * p[i];
    float s = alpha * sq[i] + (1.0f - alpha) * gi * gi;
    sq[i] = s;
    float d = gi / (sqrt(s) + eps);
    if (hasMomentum) {
        d = momentum * buf[i] + d;
        buf[i] = d;
    }
    p[i] -= lr * d;
}

/* Adagrad; lr is already decayed by the host. */
KERNEL jg_adagrad_step(int n, GLOBAL float* p, GLOBAL const float* g, GLOBAL float* sum, float lr, float eps, float weightDecay) {
    int i = GLOBAL_ID(0);
    if (i >= n) return;
    float gi = g[i] + weightDecay * p[i];
    float s = sum[i] + gi * gi;
    sum[i] = s;
    p[i] -= lr * gi / (sqrt(s) + eps);
}
