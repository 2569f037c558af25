package dev.jgrad.backend;

/**
 * One open device: an allocator, copies between host and device, and the primitive kernels that every
 * op of {@code dev.jgrad.ops} is built from. A backend implements exactly this; autograd, layers and
 * training live in core and never change per backend.
 *
 * <p>Conventions for every kernel: tensors are dense row-major float32; a kernel may run asynchronously
 * (on GPUs it is only enqueued), so results are visible to the host only through {@link #read}; lengths
 * are in floats; an {@code accumulate} flag means "add into the output" instead of "overwrite it".
 * Labels are passed as floats holding class indices (exact up to 2^24). A Device is used from one
 * thread at a time; the CPU backend parallelises inside each kernel.
 */
public interface Device extends AutoCloseable {

    DeviceInfo info();

    // ---- memory -----------------------------------------------------------------------------------

    /** A new buffer of {@code length} floats with undefined contents. */
    Buffer allocate(int length);

    /** Gives the buffer's memory back; it must not be used afterwards. */
    void free(Buffer buffer);

    /** Copies host floats into a device buffer. */
    void write(float[] src, int srcOffset, Buffer dst, int dstOffset, int length);

    /** Copies device floats to the host, waiting for the kernels that produce them. */
    void read(Buffer src, int srcOffset, float[] dst, int dstOffset, int length);

    /** Waits until every kernel enqueued so far has finished (for timing). */
    void synchronize();

    @Override
    void close();

    // ---- elementwise ------------------------------------------------------------------------------

    /** x[0..n) = value. */
    void fill(Buffer x, int n, float value);

    /** dst[0..n) = src[0..n). */
    void copy(Buffer src, Buffer dst, int n);

    /** y = alpha*x + beta*y over n elements. */
    void axpby(int n, float alpha, Buffer x, float beta, Buffer y);

    /** y = op(x) over n elements. */
    void unary(UnaryOp op, float param, int n, Buffer x, Buffer y);

    /** gx (+)= gy * op'(x), where y = op(x) is also given because some derivatives are cheaper from y. */
    void unaryBackward(UnaryOp op, float param, int n, Buffer x, Buffer y, Buffer gy, Buffer gx, boolean accumulate);

    /** out[i] = a[ab.index(i)] op b[bb.index(i)] for i in [0, n). */
    void binary(BinaryOp op, int n, Buffer a, Broadcast ab, Buffer b, Broadcast bb, Buffer out);

    // ---- reductions -------------------------------------------------------------------------------

    /** Viewing x as [outer, r, inner]: out[o, i] (+)= scale * sum_j x[o, j, i]. */
    void reduceSum(int outer, int r, int inner, Buffer x, Buffer out, float scale, boolean accumulate);

    /** The adjoint of {@link #reduceSum}: x[o, j, i] (+)= scale * g[o, i]. */
    void expand(int outer, int r, int inner, Buffer g, Buffer x, float scale, boolean accumulate);

    // ---- matrix multiply --------------------------------------------------------------------------

    /**
     * C[m, n] (+)= op(A) op(B), where op(A) is [m, k] (A stored [k, m] when transA) and op(B) is [k, n]
     * (B stored [n, k] when transB).
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k, Buffer a, Buffer b, Buffer c, boolean accumulate);

    /**
     * C = act(op(A) op(B) + bias), bias a row vector of n (or null): the forward pass of a dense layer in
     * one pass over C. {@code act} must be an activation ({@link UnaryOp#isActivation()}).
     */
    void gemmBiasActivation(boolean transA, boolean transB, int m, int n, int k, Buffer a, Buffer b,
                            Buffer bias, UnaryOp act, float actParam, Buffer c);

    /**
     * The backward pass of that epilogue for a [rows, cols] output y: g = gy * act'(y), and
     * gBias (+)= column sums of g (gBias may be null). Only for activations whose derivative is a
     * function of the output ({@link Activations#derivativeFromOutput}).
     */
    void activationBackwardBiasGrad(UnaryOp act, float actParam, int rows, int cols, Buffer y, Buffer gy,
                                    Buffer g, Buffer gBias, boolean accumulateBias);

    // ---- softmax and losses -----------------------------------------------------------------------

    /** y = softmax of each row of x [rows, cols], computed stably (max subtracted). */
    void softmax(int rows, int cols, Buffer x, Buffer y);

    /** gx (+)= y * (gy - sum_row(gy * y)). */
    void softmaxBackward(int rows, int cols, Buffer y, Buffer gy, Buffer gx, boolean accumulate);

    /** probs = softmax(logits); loss[r] = -log probs[r, labels[r]] computed as logsumexp - logit. */
    void softmaxCrossEntropy(int rows, int cols, Buffer logits, Buffer labels, Buffer probs, Buffer loss);

    /** gx (+)= (probs - onehot(labels)) * gLoss[0] * scale. */
    void softmaxCrossEntropyBackward(int rows, int cols, Buffer probs, Buffer labels, Buffer gLoss, float scale,
                                     Buffer gx, boolean accumulate);

    /** loss[i] = max(x,0) - x*t + log(1 + exp(-|x|)): binary cross-entropy on logits, stable for any x. */
    void bceWithLogits(int n, Buffer x, Buffer t, Buffer loss);

    /** gx (+)= (sigmoid(x) - t) * gLoss[0] * scale. */
    void bceWithLogitsBackward(int n, Buffer x, Buffer t, Buffer gLoss, float scale, Buffer gx, boolean accumulate);

    // ---- optimizer updates, one pass per parameter ------------------------------------------------

    /**
     * PyTorch's SGD: g = grad + weightDecay*p; with momentum, v = momentum*v + g and g = nesterov ?
     * g + momentum*v : v; then p -= lr*g. {@code velocity} is null when momentum is 0.
     */
    void sgdStep(int n, Buffer param, Buffer grad, Buffer velocity, float lr, float momentum, float weightDecay,
                 boolean nesterov);

    /**
     * PyTorch's Adam / AdamW: with decoupled decay p *= 1 - lr*weightDecay, else g = grad + weightDecay*p;
     * m = b1*m + (1-b1)*g; v = b2*v + (1-b2)*g^2; p -= (lr/bc1) * m / (sqrt(v)/sqrt(bc2) + eps), where
     * bc1 = 1-b1^t and bc2 = 1-b2^t are computed on the host.
     */
    void adamStep(int n, Buffer param, Buffer grad, Buffer m, Buffer v, float lr, float beta1, float beta2,
                  float eps, float weightDecay, boolean decoupledWeightDecay, float bc1, float bc2);
}
