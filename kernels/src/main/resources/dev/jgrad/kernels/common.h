/* Shared by every kernel file: the unary functions and their derivatives, by the codes of
 * dev.jgrad.kernels.KernelCodes. The reference definitions are CpuDevice's apply/derivative. */
#define OP_IDENTITY   0
#define OP_RELU       1
#define OP_LEAKY_RELU 2
#define OP_ELU        3
#define OP_GELU       4
#define OP_SIGMOID    5
#define OP_TANH       6
#define OP_EXP        7
#define OP_LOG        8
#define OP_NEG        9
#define OP_SQUARE    10
#define OP_SQRT      11
#define OP_ABS       12

#define GELU_C 0.7978845608028654f

/* exp of a non-positive number only, so neither branch overflows. */
DEVICE_FN float jg_sigmoid(float x) {
    if (x >= 0.0f) return 1.0f / (1.0f + exp(-x));
    float e = exp(x);
    return e / (1.0f + e);
}

DEVICE_FN float jg_apply(int op, float p, float x) {
    switch (op) {
        case OP_RELU:       return x > 0.0f ? x : 0.0f;
        case OP_LEAKY_RELU: return x > 0.0f ? x : p * x;
        case OP_ELU:        return x > 0.0f ? x : p * expm1(x);
        case OP_GELU:       return 0.5f * x * (1.0f + tanh(GELU_C * (x + 0.044715f * x * x * x)));
        case OP_SIGMOID:    return jg_sigmoid(x);
        case OP_TANH:       return tanh(x);
        case OP_EXP:        return exp(x);
        case OP_LOG:        return log(x);
        case OP_NEG:        return -x;
        case OP_SQUARE:     return x * x;
        case OP_SQRT:       return sqrt(x);
        case OP_ABS:        return fabs(x);
        default:            return x;
    }
}

/* f'(x) given x and y = f(x). */
DEVICE_FN float jg_derivative(int op, float p, float x, float y) {
    switch (op) {
        case OP_RELU:       return x > 0.0f ? 1.0f : 0.0f;
        case OP_LEAKY_RELU: return x > 0.0f ? 1.0f : p;
        case OP_ELU:        return x > 0.0f ? 1.0f : y + p;
        case OP_GELU: {
            float t = tanh(GELU_C * (x + 0.044715f * x * x * x));
            return 0.5f * (1.0f + t) + 0.5f * x * (1.0f - t * t) * GELU_C * (1.0f + 3.0f * 0.044715f * x * x);
        }
        case OP_SIGMOID:    return y * (1.0f - y);
        case OP_TANH:       return 1.0f - y * y;
        case OP_EXP:        return y;
        case OP_LOG:        return 1.0f / x;
        case OP_NEG:        return -1.0f;
        case OP_SQUARE:     return 2.0f * x;
        case OP_SQRT:       return 0.5f / y;
        case OP_ABS:        return x > 0.0f ? 1.0f : (x < 0.0f ? -1.0f : 0.0f);
        default:            return 1.0f;
    }
}

/* f'(x) from y alone, for the activations of Activations.derivativeFromOutput. */
DEVICE_FN float jg_derivative_from_output(int op, float p, float y) {
    switch (op) {
        case OP_RELU:       return y > 0.0f ? 1.0f : 0.0f;
        case OP_LEAKY_RELU: return y > 0.0f ? 1.0f : p;
        case OP_ELU:        return y > 0.0f ? 1.0f : y + p;
        case OP_SIGMOID:    return y * (1.0f - y);
        case OP_TANH:       return 1.0f - y * y;
        case OP_EXP:        return y;
        default:            return 1.0f;
    }
}

/* Sums v over the work-group with a tree in scratch (size LOCAL_SIZE(0), a power of two); every
 * work-item gets the total. Callers must reach it together. */
DEVICE_FN float jg_group_sum(LOCAL_PTR float* scratch, float v) {
    int lid = LOCAL_ID(0);
    scratch[lid] = v;
    BARRIER();
    for (int s = LOCAL_SIZE(0) / 2; s > 0; s >>= 1) {
        if (lid < s) scratch[lid] += scratch[lid + s];
        BARRIER();
    }
    float total = scratch[0];
    BARRIER();
    return total;
}

DEVICE_FN float jg_group_max(LOCAL_PTR float* scratch, float v) {
    int lid = LOCAL_ID(0);
    scratch[lid] = v;
    BARRIER();
    for (int s = LOCAL_SIZE(0) / 2; s > 0; s >>= 1) {
        if (lid < s) scratch[lid] = fmax(scratch[lid], scratch[lid + s]);
        BARRIER();
    }
    float total = scratch[0];
    BARRIER();
    return total;
}

/* The first output index o >= 0 whose window o*stride - pad .. o*stride - pad + k - 1 contains input
 * position i (convolution and pooling backward passes gather over o from here). */
DEVICE_FN int jg_first_window(int i, int k, int stride, int pad) {
    int num = i + pad - k + 1;
    return num <= 0 ? 0 : (num + stride - 1) / stride;
}
