package dev.jgrad.spi;

import dev.jgrad.device.DeviceInfo;

/**
 * What a backend implements for one open device: an allocator, copies between host and device, and the
 * primitive kernels that every op of {@code dev.jgrad.ops} is built from. Autograd, layers and training
 * live in core and never change per backend. Core wraps each in a {@link dev.jgrad.device.Device}, which
 * owns the memory pool and closes this when it closes; applications use that and never this.
 *
 * <p>Conventions for every kernel: tensors are dense row-major float32; a kernel may run asynchronously
 * (on GPUs it is only enqueued), so results are visible to the host only through {@link #read}; lengths
 * are in floats; an {@code accumulate} flag means "add into the output" instead of "overwrite it".
 * Labels are passed as floats holding class indices (exact up to 2^24). A device is used from one
 * thread at a time; the CPU backend parallelises inside each kernel.
 */
public interface DeviceKernels extends AutoCloseable {

    DeviceInfo info();

    /**
     * Whether this device's kernels are JVM code that the JIT compiler compiles while they run (the CPU
     * backend's vector kernels), so that the first steps of a run are slow until they are compiled and a
     * {@link dev.jgrad.train.JitWarmup} before training pays. False for devices whose kernels are compiled ahead of
     * time or when the device is opened.
     */
    default boolean compiledWhileRunning() {
        return false;
    }

    /**
     * Whether buffers live in the JVM's own memory, so that {@link #write} is a plain memory copy whatever its
     * size. Callers may then write many small pieces (the rows of a training batch, straight from the dataset)
     * where other devices want one staged write. False unless a backend says so.
     */
    default boolean hostMemory() {
        return false;
    }

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

    // ---- convolution, pooling, normalisation, dropout, more losses and optimizers ------------------

    /**
     * Unfolds image patches into rows, for convolution as a GEMM. x is [n, c, h, w]; the output
     * geometry is oh = (h + 2*padH - kh)/strideH + 1, ow likewise. cols is [n*oh*ow, c*kh*kw]: row
     * (b*oh + oy)*ow + ox, column (ci*kh + ky)*kw + kx holds x[b, ci, oy*strideH - padH + ky,
     * ox*strideW - padW + kx], or 0 where that falls in the padding. The column order matches a
     * PyTorch weight [f, c, kh, kw] flattened to [f, c*kh*kw].
     */
    void im2col(int n, int c, int h, int w, int kh, int kw, int strideH, int strideW, int padH, int padW,
                Buffer x, Buffer cols);

    /**
     * The adjoint of {@link #im2col}: x[b, ci, iy, ix] (+)= the sum of every cols entry that im2col
     * read from it (entries that fell in the padding are dropped). Without accumulate, x is overwritten
     * (positions no patch covers become 0).
     */
    void col2im(int n, int c, int h, int w, int kh, int kw, int strideH, int strideW, int padH, int padW,
                Buffer cols, Buffer x, boolean accumulate);

    /**
     * Transposes each of {@code batch} matrices: viewing x as [batch, rows, cols], y[b, j, i] = x[b, i, j]
     * (y is [batch, cols, rows]). Converts a convolution's GEMM output [n, oh*ow, f] to the [n, f, oh*ow]
     * layout of images, and gradients back. y must not alias x.
     */
    void batchTranspose(int batch, int rows, int cols, Buffer x, Buffer y);

    /**
     * Whether this device implements {@link #conv2d} and {@link #conv2dBackward} itself. When it does not,
     * convolution is composed from {@link #im2col}, the GEMMs and {@link #batchTranspose} by the op.
     */
    default boolean hasConv2d() {
        return false;
    }

    /**
     * y [n, f, oh, ow] = act(conv2d(x, weight) + bias) for x [n, c, h, w], weight [f, c, kh, kw] and bias
     * [f] (or null), with the geometry's strides and zero padding (see {@link ConvGeometry}). {@code act} is
     * an activation ({@link UnaryOp#isActivation()}). Only on devices whose {@link #hasConv2d} is true; the
     * others throw {@link UnsupportedOperationException}.
     */
    default void conv2d(ConvGeometry g, Buffer x, Buffer weight, Buffer bias, UnaryOp act, float actParam, Buffer y) {
        throw new UnsupportedOperationException("conv2d is not implemented on " + info().id() + " (hasConv2d() is false)");
    }

    /**
     * The backward pass of {@link #conv2d} without activation, given gy [n, f, oh, ow] (the output's gradient
     * already multiplied by the activation's derivative): gx [n, c, h, w] (+)= the input's gradient,
     * gWeight [f, c, kh, kw] (+)= sum over the batch of gy's correlation with x, gBias [f] (+)= the sums of gy
     * per filter. Each output may be null (not wanted) and has its own accumulate flag. Only on devices
     * whose {@link #hasConv2d} is true; the others throw {@link UnsupportedOperationException}.
     */
    default void conv2dBackward(ConvGeometry g, Buffer x, Buffer weight, Buffer gy, Buffer gx, boolean accumulateX,
                                Buffer gWeight, boolean accumulateWeight, Buffer gBias, boolean accumulateBias) {
        throw new UnsupportedOperationException("conv2dBackward is not implemented on " + info().id() + " (hasConv2d() is false)");
    }

    /**
     * Max pooling over each of {@code planes} planes [h, w] (planes = n*c), window k x k, step stride,
     * implicit padding pad (padding never wins: it counts as -infinity). y is [planes, oh, ow] with
     * oh = (h + 2*pad - k)/stride + 1. indices[p, oy, ox] receives, as a float, the position iy*w + ix
     * in its plane of the maximum (the first one in row-major window order on ties).
     */
    void maxPool2d(int planes, int h, int w, int k, int stride, int pad, Buffer x, Buffer y, Buffer indices);

    /**
     * The backward pass of {@link #maxPool2d}: gx[p, indices[p, o]] += gy[p, o] for every output o, after
     * zeroing gx unless {@code accumulate}. Overlapping windows ({@code stride < k}) may route several outputs
     * to one input; all of them are added.
     */
    void maxPool2dBackward(int planes, int h, int w, int k, int stride, int pad, Buffer gy, Buffer indices,
                           Buffer gx, boolean accumulate);

    /**
     * Average pooling with the same geometry as {@link #maxPool2d}; the divisor is always k*k (padding
     * counts as zeros, PyTorch's count_include_pad=True).
     */
    void avgPool2d(int planes, int h, int w, int k, int stride, int pad, Buffer x, Buffer y);

    /** The backward pass of {@link #avgPool2d}: gx[p, i] (+)= sum over the windows containing i of gy / (k*k). */
    void avgPool2dBackward(int planes, int h, int w, int k, int stride, int pad, Buffer gy, Buffer gx,
                           boolean accumulate);

    /**
     * Per-channel batch statistics of x viewed as [n, c, inner] (inner = h*w for images, 1 for
     * features): mean[ch] and the biased variance var[ch] = mean((x - mean)^2) over the n*inner values
     * of channel ch.
     */
    void batchNormStats(int n, int c, int inner, Buffer x, Buffer mean, Buffer var);

    /**
     * y[b, ch, i] = (x[b, ch, i] - mean[ch]) / sqrt(var[ch] + eps) * gamma[ch] + beta[ch], x viewed as
     * [n, c, inner]. mean and var are the batch statistics in training and the running ones in evaluation.
     */
    void batchNormForward(int n, int c, int inner, Buffer x, Buffer mean, Buffer var, float eps,
                          Buffer gamma, Buffer beta, Buffer y);

    /**
     * The backward pass of {@link #batchNormForward}. With xhat = (x - mean) * invStd, invStd =
     * 1/sqrt(var+eps), and per channel the sums over its m = n*inner values sg = sum(gy) and sgx =
     * sum(gy*xhat): gGamma[ch] (+)= sgx, gBeta[ch] (+)= sg, and gx (+)= gamma*invStd * (gy - (sg + xhat*sgx)/m)
     * when {@code batchStatistics} (mean and var were computed from this x), else gx (+)= gamma*invStd*gy
     * (fixed running statistics). gx, gGamma and gBeta may each be null (not wanted); each has its own
     * accumulate flag.
     */
    void batchNormBackward(int n, int c, int inner, Buffer x, Buffer mean, Buffer var, float eps, Buffer gamma,
                           Buffer gy, boolean batchStatistics, Buffer gx, boolean accumulateX,
                           Buffer gGamma, Buffer gBeta, boolean accumulateParams);

    /**
     * Inverted dropout driven by the counter-based generator {@code dev.jgrad.spi.Philox} (Philox4x32-10):
     * element i uses word (offset + i) % 4 of the block philox(counter = {(offset+i)/4 low 32 bits,
     * high 32 bits, 0, 0}, key = {seed low 32 bits, seed high 32 bits}), u = (word >>> 8) * 2^-24 in [0, 1);
     * it is kept when u >= p. mask[i] = kept ? 1/(1-p) : 0 and y[i] = x[i] * mask[i]. Every backend
     * must produce the same mask bit for bit for the same (seed, offset, p). {@code 0 <= p < 1}.
     */
    void dropout(int n, long seed, long offset, float p, Buffer x, Buffer mask, Buffer y);

    /**
     * Log-softmax of each row of x [rows, cols]: y = x - max - log(sum(exp(x - max))), stable for any x.
     */
    void logSoftmax(int rows, int cols, Buffer x, Buffer y);

    /** The backward pass of {@link #logSoftmax} from its output: gx (+)= gy - exp(y) * sum_row(gy). */
    void logSoftmaxBackward(int rows, int cols, Buffer y, Buffer gy, Buffer gx, boolean accumulate);

    /**
     * Huber loss per element (PyTorch's HuberLoss, reduction none): with d = x - t,
     * {@code loss[i] = |d| <= delta ? 0.5*d^2 : delta*(|d| - 0.5*delta)}.
     */
    void huberLoss(int n, float delta, Buffer x, Buffer t, Buffer loss);

    /** gx (+)= clamp(x - t, -delta, delta) * gLoss[0] * scale: the derivative of {@link #huberLoss}. */
    void huberLossBackward(int n, float delta, Buffer x, Buffer t, Buffer gLoss, float scale, Buffer gx,
                           boolean accumulate);

    /** y[i] = min(max(x[i], lo), hi) over n elements (y may be x): clipping gradients by value. */
    void clamp(int n, float lo, float hi, Buffer x, Buffer y);

    /**
     * PyTorch's RMSprop (not centered): g = grad + weightDecay*p; sq = alpha*sq + (1-alpha)*g^2;
     * d = g / (sqrt(sq) + eps); with momentum, buf = momentum*buf + d and d = buf; p -= lr*d.
     * {@code momentumBuffer} is null when momentum is 0.
     */
    void rmspropStep(int n, Buffer param, Buffer grad, Buffer squareAvg, Buffer momentumBuffer, float lr,
                     float alpha, float eps, float weightDecay, float momentum);

    /**
     * PyTorch's Adagrad: g = grad + weightDecay*p; sum += g^2; p -= lr * g / (sqrt(sum) + eps).
     * {@code lr} is the already-decayed rate (the host applies lr_decay).
     */
    void adagradStep(int n, Buffer param, Buffer grad, Buffer sum, float lr, float eps, float weightDecay);

    // ---- the training set resident on the device ----------------------------------------------------

    /**
     * The number of rows {@link #gatherRows} can address: row indices travel as floats, which hold every
     * integer below 2^24 = 16,777,216 exactly (and not all of those above), so a gathered-from buffer may
     * have at most this many rows.
     */
    int GATHER_MAX_ROWS = 1 << 24;

    /**
     * Gathers rows: dst[r, 0..cols) = src[rowIndices[r], 0..cols) for r in [0, rows), src and dst viewed
     * as row-major matrices with {@code cols} columns. rowIndices holds row numbers as floats, each a whole
     * number in [0, src rows) with src rows = src.length() / cols, at most {@link #GATHER_MAX_ROWS}. Indices
     * may repeat and come in any order; dst rows from {@code rows} on are not touched, nor are src and
     * rowIndices; dst must not overlap src. Copies are exact (bit for bit). rows = 0 does nothing.
     *
     * <p>An index that is not a row of src is a caller's error: the CPU backend throws
     * {@link IllegalArgumentException}; a GPU kernel, which cannot throw, fills that row of dst with NaN
     * instead of reading outside src.
     */
    void gatherRows(Buffer src, int cols, Buffer rowIndices, int rows, Buffer dst);
}
