/* Batch normalisation over x viewed as [n, c, inner]. The statistics and the backward pass run one
 * work-group of ROW_GROUP work-items per channel, striding over its n*inner values; the forward pass
 * is elementwise. */

#ifndef ROW_GROUP
#define ROW_GROUP 128
#endif

/* Element j of channel ch: sample j / inner, position j % inner. */
DEVICE_FN long jg_bn_offset(int j, int c, int inner, int ch) {
    int b = j / inner;
    return ((long) b * c + ch) * inner + (j - b * inner);
}

/* mean[ch] and the biased var[ch], in two passes (mean first) so the variance does not cancel. */
KERNEL jg_bn_stats(int n, int c, int inner, GLOBAL const float* x, GLOBAL float* mean, GLOBAL float* var) {
    LOCAL_MEM float scratch[ROW_GROUP];
    int ch = GROUP_ID(0);
    int m = n * inner;
    float s = 0.0f;
    for (int j = LOCAL_ID(0); j < m; j += ROW_GROUP) s += x[jg_bn_offset(j, c, inner, ch)];
    float mu = jg_group_sum(scratch, s) / (float) m;
    float q = 0.0f;
    for (int j = LOCAL_ID(0); j < m; j += ROW_GROUP) {
        float d = x[jg_bn_offset(j, c, inner, ch)] - mu;
        q += d * d;
    }
    q = jg_group_sum(scratch, q);
    if (LOCAL_ID(0) == 0) {
        mean[ch] = mu;
        var[ch] = q / (float) m;
    }
}

KERNEL jg_bn_forward(int total, int c, int inner, GLOBAL const float* x, GLOBAL const float* mean, GLOBAL const float* var,
                     float eps, GLOBAL const float* gamma, GLOBAL const float* beta, GLOBAL float* y) {
    int idx = GLOBAL_ID(0);
    if (idx >= total) return;
    int ch = (idx / inner) % c;
    float invStd = 1.0f / sqrt(var[ch] + eps);
    float scale = gamma[ch] * invStd;
    float shift = beta[ch] - mean[ch] * scale;
    y[idx] = x[idx] * scale + shift;
}

/* Per channel sg = sum(gy), sgx = sum(gy*xhat); gGamma (+)= sgx, gBeta (+)= sg; gx (+)= gamma*invStd*(gy - (sg +
 * xhat*sgx)/m) with batch statistics, gamma*invStd*gy with running ones. Outputs flagged off are not touched. */
KERNEL jg_bn_backward(int n, int c, int inner, GLOBAL const float* x, GLOBAL const float* mean, GLOBAL const float* var,
                      float eps, GLOBAL const float* gamma, GLOBAL const float* gy, int batchStatistics,
                      GLOBAL float* gx, int hasGx, int accumulateX, GLOBAL float* gGamma, int hasGamma,
                      GLOBAL float* gBeta, int hasBeta, int accumulateParams) {
    LOCAL_MEM float scratch[ROW_GROUP];
    int ch = GROUP_ID(0);
    int m = n * inner;
    float mu = mean[ch];
    float invStd = 1.0f / sqrt(var[ch] + eps);
    float sg = 0.0f, sgx = 0.0f;
    for (int j = LOCAL_ID(0); j < m; j += ROW_GROUP) {
        long o = jg_bn_offset(j, c, inner, ch);
        float g = gy[o];
        sg += g;
        sgx += g * ((x[o] - mu) * invStd);
    }
    sg = jg_group_sum(scratch, sg);
    sgx = jg_group_sum(scratch, sgx);
    if (LOCAL_ID(0) == 0) {
        if (hasGamma) gGamma[ch] = (accumulateParams ? gGamma[ch] : 0.0f) + sgx;
        if (hasBeta) gBeta[ch] = (accumulateParams ? gBeta[ch] : 0.0f) + sg;
    }
    if (!hasGx) return;
    float k = gamma[ch] * invStd;
    float meanG = batchStatistics ? sg / (float) m : 0.0f;
    float meanGx = batchStatistics ? sgx / (float) m : 0.0f;
    for (int j = LOCAL_ID(0); j < m; j += ROW_GROUP) {
        long o = jg_bn_offset(j, c, inner, ch);
        float xhat = (x[o] - mu) * invStd;
        float g = k * (gy[o] - meanG - xhat * meanGx);
        gx[o] = accumulateX ? gx[o] + g : g;
    }
}
