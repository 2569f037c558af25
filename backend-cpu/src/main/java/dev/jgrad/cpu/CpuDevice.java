package dev.jgrad.cpu;

import dev.jgrad.spi.Activations;
import dev.jgrad.spi.BinaryOp;
import dev.jgrad.spi.Broadcast;
import dev.jgrad.spi.Buffer;
import dev.jgrad.spi.ConvGeometry;
import dev.jgrad.device.DeviceInfo;
import dev.jgrad.spi.DeviceKernels;
import dev.jgrad.spi.UnaryOp;

import java.util.Arrays;

import static dev.jgrad.cpu.CpuBuffer.of;

/**
 * The CPU device and the reference kernels every other backend is tested against. Kernels run
 * synchronously on the calling thread, GEMM and large elementwise passes on {@link Parallel}'s pool.
 */
final class CpuDevice implements DeviceKernels {
    /**
     * Elementwise passes shorter than this stay on one thread: a hand-off costs microseconds, and a pass
     * over 2^17 floats takes only tens of them (measured with the reference MLP's training step).
     */
    private static final int PARALLEL_ELEMENTS = 1 << 17;

    private final DeviceInfo info;
    private final Parallel parallel;
    private final Sgemm sgemm;
    private final CpuConv2d conv2d;

    CpuDevice(DeviceInfo info, int threads) {
        this.info = info;
        this.parallel = new Parallel(threads);
        this.sgemm = new Sgemm(parallel);
        this.conv2d = new CpuConv2d(parallel, sgemm);
    }

    @Override
    public DeviceInfo info() {
        return info;
    }

    /** The vector kernels run as bytecode (and the Vector API's slow Java fallbacks) until C2 has compiled them. */
    @Override
    public boolean compiledWhileRunning() {
        return true;
    }

    // ---- memory -----------------------------------------------------------------------------------

    @Override
    public Buffer allocate(int length) {
        return new CpuBuffer(new float[length]);
    }

    @Override
    public void free(Buffer buffer) {
        // the garbage collector owns CPU memory
    }

    @Override
    public boolean hostMemory() {
        return true;
    }

    @Override
    public void write(float[] src, int srcOffset, Buffer dst, int dstOffset, int length) {
        System.arraycopy(src, srcOffset, of(dst), dstOffset, length);
    }

    @Override
    public void read(Buffer src, int srcOffset, float[] dst, int dstOffset, int length) {
        System.arraycopy(of(src), srcOffset, dst, dstOffset, length);
    }

    @Override
    public void synchronize() {}

    @Override
    public void close() {
        parallel.close();
    }

    // ---- elementwise ------------------------------------------------------------------------------

    @Override
    public void fill(Buffer x, int n, float value) {
        Arrays.fill(of(x), 0, n, value);
    }

    @Override
    public void copy(Buffer src, Buffer dst, int n) {
        System.arraycopy(of(src), 0, of(dst), 0, n);
    }

    @Override
    public void axpby(int n, float alpha, Buffer xb, float beta, Buffer yb) {
        float[] x = of(xb), y = of(yb);
        parallel.forRange(n, 1024, n >= PARALLEL_ELEMENTS, (from, to) -> VectorKernels.axpby(alpha, x, beta, y, from, to));
    }

    @Override
    public void unary(UnaryOp op, float param, int n, Buffer xb, Buffer yb) {
        float[] x = of(xb), y = of(yb);
        parallel.forRange(n, 1024, n >= PARALLEL_ELEMENTS, (from, to) -> VectorKernels.unary(op, param, x, y, from, to));
    }

    /** f(x) for one element: the reference definition of each {@link UnaryOp}. */
    static float apply(UnaryOp op, float p, float x) {
        return switch (op) {
            case IDENTITY -> x;
            case RELU -> x > 0 ? x : 0f;
            case LEAKY_RELU -> x > 0 ? x : p * x;
            case ELU -> x > 0 ? x : p * (float) Math.expm1(x);
            case GELU -> 0.5f * x * (1f + (float) Math.tanh(GELU_C * (x + 0.044715f * x * x * x)));
            case SIGMOID -> sigmoid(x);
            case TANH -> (float) Math.tanh(x);
            case EXP -> (float) Math.exp(x);
            case LOG -> (float) Math.log(x);
            case NEG -> -x;
            case SQUARE -> x * x;
            case SQRT -> (float) Math.sqrt(x);
            case ABS -> Math.abs(x);
        };
    }

    private static final float GELU_C = (float) Math.sqrt(2 / Math.PI);

    static float sigmoid(float x) {
        // exp of a non-positive number only, so neither branch overflows
        if (x >= 0) return 1f / (1f + (float) Math.exp(-x));
        float e = (float) Math.exp(x);
        return e / (1f + e);
    }

    /** f'(x) for one element, given y = f(x). */
    static float derivative(UnaryOp op, float p, float x, float y) {
        return switch (op) {
            case IDENTITY -> 1f;
            case RELU -> x > 0 ? 1f : 0f;
            case LEAKY_RELU -> x > 0 ? 1f : p;
            case ELU -> x > 0 ? 1f : y + p;
            case GELU -> {
                float u = GELU_C * (x + 0.044715f * x * x * x);
                float t = (float) Math.tanh(u);
                yield 0.5f * (1f + t) + 0.5f * x * (1f - t * t) * GELU_C * (1f + 3f * 0.044715f * x * x);
            }
            case SIGMOID -> y * (1f - y);
            case TANH -> 1f - y * y;
            case EXP -> y;
            case LOG -> 1f / x;
            case NEG -> -1f;
            case SQUARE -> 2f * x;
            case SQRT -> 0.5f / y;
            case ABS -> x > 0 ? 1f : x < 0 ? -1f : 0f;
        };
    }

    /** f'(x) from y alone, for the activations where {@link Activations#derivativeFromOutput} holds. */
    static float derivativeFromOutput(UnaryOp op, float p, float y) {
        return switch (op) {
            case IDENTITY -> 1f;
            case RELU -> y > 0 ? 1f : 0f;
            case LEAKY_RELU -> y > 0 ? 1f : p;
            case ELU -> y > 0 ? 1f : y + p;
            case SIGMOID -> y * (1f - y);
            case TANH -> 1f - y * y;
            case EXP -> y;
            default -> throw new IllegalArgumentException(op + "' derivative needs its input");
        };
    }

    @Override
    public void unaryBackward(UnaryOp op, float param, int n, Buffer xb, Buffer yb, Buffer gyb, Buffer gxb, boolean accumulate) {
        float[] x = of(xb), y = of(yb), gy = of(gyb), gx = of(gxb);
        if (VectorKernels.unaryBackwardVectorized(op)) {
            parallel.forRange(n, 1024, n >= PARALLEL_ELEMENTS,
                    (from, to) -> VectorKernels.unaryBackward(op, param, x, gy, gx, accumulate, from, to));
            return;
        }
        parallel.forRange(n, 1024, n >= PARALLEL_ELEMENTS, (from, to) -> {
            for (int i = from; i < to; i++) {
                float g = gy[i] * derivative(op, param, x[i], y[i]);
                gx[i] = accumulate ? gx[i] + g : g;
            }
        });
    }

    @Override
    public void binary(BinaryOp op, int n, Buffer ab, Broadcast abc, Buffer bb, Broadcast bbc, Buffer outb) {
        float[] a = of(ab), b = of(bb), out = of(outb);
        boolean aFull = abc.div() == 1 && abc.mod() == n;
        boolean bFull = bbc.div() == 1 && bbc.mod() == n;
        parallel.forRange(n, 1024, n >= PARALLEL_ELEMENTS, (from, to) -> {
            for (int i = from; i < to; i++) {
                float x = a[aFull ? i : abc.index(i)];
                float y = b[bFull ? i : bbc.index(i)];
                out[i] = switch (op) {
                    case ADD -> x + y;
                    case SUB -> x - y;
                    case MUL -> x * y;
                    case DIV -> x / y;
                };
            }
        });
    }

    // ---- reductions -------------------------------------------------------------------------------

    @Override
    public void reduceSum(int outer, int r, int inner, Buffer xb, Buffer outb, float scale, boolean accumulate) {
        float[] x = of(xb), out = of(outb);
        for (int o = 0; o < outer; o++) {
            if (inner == 1) {
                float s = VectorKernels.sum(x, o * r, o * r + r) * scale;
                out[o] = accumulate ? out[o] + s : s;
                continue;
            }
            int base = o * inner;
            if (!accumulate) Arrays.fill(out, base, base + inner, 0f);
            // accumulate rows in order: a fixed order keeps results bit-identical run to run
            for (int j = 0; j < r; j++) {
                int xo = (o * r + j) * inner;
                for (int i = 0; i < inner; i++) out[base + i] += scale * x[xo + i];
            }
        }
    }

    @Override
    public void expand(int outer, int r, int inner, Buffer gb, Buffer xb, float scale, boolean accumulate) {
        float[] g = of(gb), x = of(xb);
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < r; j++) {
                int xo = (o * r + j) * inner;
                for (int i = 0; i < inner; i++) {
                    float v = scale * g[o * inner + i];
                    x[xo + i] = accumulate ? x[xo + i] + v : v;
                }
            }
        }
    }

    // ---- matrix multiply --------------------------------------------------------------------------

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, Buffer a, Buffer b, Buffer c, boolean accumulate) {
        sgemm.gemm(transA, transB, m, n, k, of(a), of(b), of(c), accumulate);
    }

    @Override
    public void gemmBiasActivation(boolean transA, boolean transB, int m, int n, int k, Buffer a, Buffer b, Buffer biasb,
                                   UnaryOp act, float actParam, Buffer cb) {
        if (!act.isActivation()) throw new IllegalArgumentException(act + " is not an activation");
        // bias enters as the accumulators' initial value, act is applied to each C tile right after it is stored
        sgemm.gemmBiasActivation(transA, transB, m, n, k, of(a), of(b), of(biasb), act, actParam, of(cb));
    }

    @Override
    public void activationBackwardBiasGrad(UnaryOp act, float actParam, int rows, int cols, Buffer yb, Buffer gyb, Buffer gb,
                                           Buffer gBiasb, boolean accumulateBias) {
        float[] y = of(yb), gy = of(gyb), g = of(gb), gBias = of(gBiasb);
        if (!Activations.derivativeFromOutput(act, actParam)) {
            throw new IllegalArgumentException(act + " cannot be differentiated from its output");
        }
        // threads split the columns, so each bias sum is still added row by row in order
        long total = (long) rows * cols;
        parallel.forRange(cols, 64, total >= PARALLEL_ELEMENTS, (c0, c1) -> VectorKernels.activationBackwardBiasGrad(
                act, actParam, rows, cols, y, gy, g, gBias, accumulateBias, c0, c1));
    }

    // ---- softmax and losses -----------------------------------------------------------------------

    @Override
    public void softmax(int rows, int cols, Buffer xb, Buffer yb) {
        float[] x = of(xb), y = of(yb);
        for (int r = 0; r < rows; r++) softmaxRow(x, y, r * cols, cols);
    }

    /** Writes the softmax of x[o, o+cols) to y and returns log(sum(exp(x - max))) + max (the log-sum-exp). */
    private static float softmaxRow(float[] x, float[] y, int o, int cols) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < cols; j++) max = Math.max(max, x[o + j]);
        float sum = 0f;
        for (int j = 0; j < cols; j++) {
            float e = (float) Math.exp(x[o + j] - max);
            y[o + j] = e;
            sum += e;
        }
        float inv = 1f / sum;
        for (int j = 0; j < cols; j++) y[o + j] *= inv;
        return max + (float) Math.log(sum);
    }

    @Override
    public void softmaxBackward(int rows, int cols, Buffer yb, Buffer gyb, Buffer gxb, boolean accumulate) {
        float[] y = of(yb), gy = of(gyb), gx = of(gxb);
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            float dot = 0f;
            for (int j = 0; j < cols; j++) dot += gy[o + j] * y[o + j];
            for (int j = 0; j < cols; j++) {
                float g = y[o + j] * (gy[o + j] - dot);
                gx[o + j] = accumulate ? gx[o + j] + g : g;
            }
        }
    }

    @Override
    public void softmaxCrossEntropy(int rows, int cols, Buffer logitsb, Buffer labelsb, Buffer probsb, Buffer lossb) {
        float[] x = of(logitsb), labels = of(labelsb), p = of(probsb), loss = of(lossb);
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            float lse = softmaxRow(x, p, o, cols);
            loss[r] = lse - x[o + label(labels[r], cols, r)];
        }
    }

    private static int label(float value, int cols, int row) {
        int c = (int) value;
        if (c != value || c < 0 || c >= cols) {
            throw new IllegalArgumentException("label " + value + " in row " + row + " is not a class index in [0, " + cols + ")");
        }
        return c;
    }

    @Override
    public void softmaxCrossEntropyBackward(int rows, int cols, Buffer probsb, Buffer labelsb, Buffer gLoss, float scale,
                                            Buffer gxb, boolean accumulate) {
        float[] p = of(probsb), labels = of(labelsb), gx = of(gxb);
        float s = of(gLoss)[0] * scale;
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            int t = label(labels[r], cols, r);
            for (int j = 0; j < cols; j++) {
                float g = (p[o + j] - (j == t ? 1f : 0f)) * s;
                gx[o + j] = accumulate ? gx[o + j] + g : g;
            }
        }
    }

    @Override
    public void bceWithLogits(int n, Buffer xb, Buffer tb, Buffer lossb) {
        float[] x = of(xb), t = of(tb), loss = of(lossb);
        for (int i = 0; i < n; i++) {
            float v = x[i];
            loss[i] = Math.max(v, 0f) - v * t[i] + (float) Math.log1p(Math.exp(-Math.abs(v)));
        }
    }

    @Override
    public void bceWithLogitsBackward(int n, Buffer xb, Buffer tb, Buffer gLoss, float scale, Buffer gxb, boolean accumulate) {
        float[] x = of(xb), t = of(tb), gx = of(gxb);
        float s = of(gLoss)[0] * scale;
        for (int i = 0; i < n; i++) {
            float g = (sigmoid(x[i]) - t[i]) * s;
            gx[i] = accumulate ? gx[i] + g : g;
        }
    }

    // ---- optimizers -------------------------------------------------------------------------------

    @Override
    public void sgdStep(int n, Buffer paramb, Buffer gradb, Buffer velb, float lr, float momentum, float weightDecay, boolean nesterov) {
        float[] p = of(paramb), g = of(gradb), v = of(velb);
        parallel.forRange(n, 1024, n >= PARALLEL_ELEMENTS,
                (from, to) -> VectorKernels.sgd(p, g, v, lr, momentum, weightDecay, nesterov, from, to));
    }

    @Override
    public void adamStep(int n, Buffer paramb, Buffer gradb, Buffer mb, Buffer vb, float lr, float beta1, float beta2, float eps,
                         float weightDecay, boolean decoupled, float bc1, float bc2) {
        float[] p = of(paramb), g = of(gradb), m = of(mb), v = of(vb);
        float stepSize = lr / bc1;
        float sqrtBc2 = (float) Math.sqrt(bc2);
        float decay = decoupled ? 1f - lr * weightDecay : 1f;
        parallel.forRange(n, 1024, n >= PARALLEL_ELEMENTS, (from, to) -> VectorKernels.adam(p, g, m, v, beta1, beta2, eps,
                weightDecay, decoupled, stepSize, sqrtBc2, decay, from, to));
    }

    // ---- gathering rows of a resident dataset -----------------------------------------------------

    @Override
    public void gatherRows(Buffer srcb, int cols, Buffer rowIndicesb, int rows, Buffer dstb) {
        if (rows <= 0 || cols <= 0) return;
        float[] src = of(srcb), idx = of(rowIndicesb), dst = of(dstb);
        int srcRows = src.length / cols;
        // indices first, so a bad one leaves dst untouched
        for (int r = 0; r < rows; r++) gatherIndex(idx[r], srcRows, r);
        // System.arraycopy is HotSpot's vectorized copy intrinsic: a row is one call
        long total = (long) rows * cols;
        parallel.forRange(rows, 1, total >= PARALLEL_GATHER, (from, to) -> {
            for (int r = from; r < to; r++) System.arraycopy(src, (int) idx[r] * cols, dst, r * cols, cols);
        });
    }

    /**
     * Gathers of fewer floats stay on one thread. Measured on the 2-core development VM, gathering random
     * rows of a 60,000 x 784 source (188 MB, so rows come from memory, not cache), best of 24 x 200 calls:
     * 32 x 64 floats take 0.7 us on one thread and 1.0 us on two; 128 x 64, 1.4 us either way; 32 x 784,
     * 2.4 vs 2.0 us; 128 x 784, 16.5 vs 6.0 us; 512 x 784, 71 vs 28 us. Two threads keep twice as many
     * cache misses in flight, so they pay from about 2^13 floats on; 2^14 leaves a margin for the hand-off.
     */
    private static final int PARALLEL_GATHER = 1 << 14;

    private static int gatherIndex(float value, int srcRows, int row) {
        int i = (int) value;
        if (i != value || i < 0 || i >= srcRows) {
            throw new IllegalArgumentException("gatherRows: index " + value + " at row " + row + " is not a row of the source, which has "
                    + srcRows + " rows");
        }
        return i;
    }

    // ==== layer, dropout, loss and optimizer kernels: delegations to Cpu*Kernels ==================
    // The kernels themselves live in CpuConvKernels, CpuPoolKernels,
    // CpuBatchNormKernels, CpuDropoutKernel, CpuLossKernels and CpuOptimizerKernels.

    @Override
    public boolean hasConv2d() {
        return true;
    }

    @Override
    public void conv2d(ConvGeometry g, Buffer x, Buffer weight, Buffer bias, UnaryOp act, float actParam, Buffer y) {
        conv2d.forward(g, of(x), of(weight), bias == null ? null : of(bias), act, actParam, of(y));
    }

    @Override
    public void conv2dBackward(ConvGeometry g, Buffer x, Buffer weight, Buffer gy, Buffer gx, boolean accumulateX,
                               Buffer gWeight, boolean accumulateWeight, Buffer gBias, boolean accumulateBias) {
        conv2d.backward(g, of(x), of(weight), of(gy), gx == null ? null : of(gx), accumulateX,
                gWeight == null ? null : of(gWeight), accumulateWeight, gBias == null ? null : of(gBias), accumulateBias);
    }

    @Override
    public void im2col(int n, int c, int h, int w, int kh, int kw, int strideH, int strideW, int padH, int padW, Buffer x, Buffer cols) {
        CpuConvKernels.im2col(parallel, n, c, h, w, kh, kw, strideH, strideW, padH, padW, of(x), of(cols));
    }

    @Override
    public void col2im(int n, int c, int h, int w, int kh, int kw, int strideH, int strideW, int padH, int padW, Buffer cols,
                       Buffer x, boolean accumulate) {
        CpuConvKernels.col2im(parallel, n, c, h, w, kh, kw, strideH, strideW, padH, padW, of(cols), of(x), accumulate);
    }

    @Override
    public void batchTranspose(int batch, int rows, int cols, Buffer x, Buffer y) {
        CpuConvKernels.batchTranspose(parallel, batch, rows, cols, of(x), of(y));
    }

    @Override
    public void maxPool2d(int planes, int h, int w, int k, int stride, int pad, Buffer x, Buffer y, Buffer indices) {
        CpuPoolKernels.maxPool2d(parallel, planes, h, w, k, stride, pad, of(x), of(y), of(indices));
    }

    @Override
    public void maxPool2dBackward(int planes, int h, int w, int k, int stride, int pad, Buffer gy, Buffer indices, Buffer gx,
                                  boolean accumulate) {
        CpuPoolKernels.maxPool2dBackward(parallel, planes, h, w, k, stride, pad, of(gy), of(indices), of(gx), accumulate);
    }

    @Override
    public void avgPool2d(int planes, int h, int w, int k, int stride, int pad, Buffer x, Buffer y) {
        CpuPoolKernels.avgPool2d(parallel, planes, h, w, k, stride, pad, of(x), of(y));
    }

    @Override
    public void avgPool2dBackward(int planes, int h, int w, int k, int stride, int pad, Buffer gy, Buffer gx, boolean accumulate) {
        CpuPoolKernels.avgPool2dBackward(parallel, planes, h, w, k, stride, pad, of(gy), of(gx), accumulate);
    }

    @Override
    public void batchNormStats(int n, int c, int inner, Buffer x, Buffer mean, Buffer var) {
        CpuBatchNormKernels.stats(parallel, n, c, inner, of(x), of(mean), of(var));
    }

    @Override
    public void batchNormForward(int n, int c, int inner, Buffer x, Buffer mean, Buffer var, float eps, Buffer gamma, Buffer beta,
                                 Buffer y) {
        CpuBatchNormKernels.forward(parallel, n, c, inner, of(x), of(mean), of(var), eps, of(gamma), of(beta), of(y));
    }

    @Override
    public void batchNormBackward(int n, int c, int inner, Buffer x, Buffer mean, Buffer var, float eps, Buffer gamma, Buffer gy,
                                  boolean batchStatistics, Buffer gx, boolean accumulateX, Buffer gGamma, Buffer gBeta,
                                  boolean accumulateParams) {
        CpuBatchNormKernels.backward(parallel, n, c, inner, of(x), of(mean), of(var), eps, of(gamma), of(gy), batchStatistics,
                of(gx), accumulateX, of(gGamma), of(gBeta), accumulateParams);
    }

    @Override
    public void dropout(int n, long seed, long offset, float p, Buffer x, Buffer mask, Buffer y) {
        CpuDropoutKernel.dropout(parallel, n, seed, offset, p, of(x), of(mask), of(y));
    }

    @Override
    public void logSoftmax(int rows, int cols, Buffer x, Buffer y) {
        CpuLossKernels.logSoftmax(rows, cols, of(x), of(y));
    }

    @Override
    public void logSoftmaxBackward(int rows, int cols, Buffer y, Buffer gy, Buffer gx, boolean accumulate) {
        CpuLossKernels.logSoftmaxBackward(rows, cols, of(y), of(gy), of(gx), accumulate);
    }

    @Override
    public void huberLoss(int n, float delta, Buffer x, Buffer t, Buffer loss) {
        CpuLossKernels.huber(n, delta, of(x), of(t), of(loss));
    }

    @Override
    public void huberLossBackward(int n, float delta, Buffer x, Buffer t, Buffer gLoss, float scale, Buffer gx, boolean accumulate) {
        CpuLossKernels.huberBackward(n, delta, of(x), of(t), of(gLoss)[0], scale, of(gx), accumulate);
    }

    @Override
    public void clamp(int n, float lo, float hi, Buffer x, Buffer y) {
        CpuOptimizerKernels.clamp(parallel, n, lo, hi, of(x), of(y));
    }

    @Override
    public void rmspropStep(int n, Buffer param, Buffer grad, Buffer squareAvg, Buffer momentumBuffer, float lr, float alpha,
                            float eps, float weightDecay, float momentum) {
        CpuOptimizerKernels.rmsprop(parallel, n, of(param), of(grad), of(squareAvg), of(momentumBuffer), lr, alpha, eps,
                weightDecay, momentum);
    }

    @Override
    public void adagradStep(int n, Buffer param, Buffer grad, Buffer sum, float lr, float eps, float weightDecay) {
        CpuOptimizerKernels.adagrad(parallel, n, of(param), of(grad), of(sum), lr, eps, weightDecay);
    }
    // ==== end of the delegations ======================================================================
}
