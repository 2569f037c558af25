package dev.jgrad.kernels;

import dev.jgrad.spi.Activations;
import dev.jgrad.spi.BinaryOp;
import dev.jgrad.spi.Broadcast;
import dev.jgrad.spi.Buffer;
import dev.jgrad.device.DeviceConfig;
import dev.jgrad.device.DeviceConfig.GemmKernel;
import dev.jgrad.spi.DeviceKernels;
import dev.jgrad.spi.UnaryOp;

import java.util.List;

/**
 * Every kernel of {@link DeviceKernels} as a launch of the shared kernel sources, written once for the OpenCL
 * and the CUDA backend: a subclass supplies memory, copies and {@link #launch}. So the launch geometry
 * and argument order that PoCL tests in CI are exactly those the CUDA backend uses.
 *
 * <p>Launches only enqueue; nothing here waits for the device. Scalars that live on the device (the
 * upstream gradient of a loss) are passed as buffers and read by the kernel.
 */
public abstract class KernelDevice implements DeviceKernels {
    /** Work-items per group of the elementwise kernels. */
    protected static final int ELEMENTWISE_GROUP = 256;

    /**
     * Enqueues {@code kernel} on a groupsX x groupsY grid of localX x localY work-groups. Arguments are
     * {@link Integer}, {@link Float} or {@link Buffer}; a null Buffer is an operand the kernel will not
     * read, for which the subclass passes any valid buffer.
     */
    protected abstract void launch(String kernel, int groupsX, int groupsY, int localX, int localY, Object... args);

    /** The GEMM tilings the device can run, smallest tile first. */
    protected List<GemmTiling> gemmTilings() {
        return GemmTiling.STANDARD;
    }

    /** How GEMM kernels are chosen: the device's {@link DeviceConfig#gemmKernel()}. */
    private final GemmKernel gemmMode;

    protected KernelDevice(DeviceConfig config) {
        this.gemmMode = config.gemmKernel();
    }

    /**
     * Whether this device may run GEMMs on TF32 tensor cores (gemm_tf32.cu): only a CUDA device opened with
     * the explicit opt-in overrides this; OpenCL never does.
     */
    protected boolean tf32() {
        return false;
    }

    /**
     * Whether the compiled vector kernel (gemm_vec.cl) can run work-groups of {@link GemmLaunch#THREADS}
     * here: a runtime may allow fewer work-items for a kernel that needs many registers than the device's
     * maximum. The CUDA build fixes its launch bounds, so only OpenCL asks the runtime.
     */
    protected boolean vectorGemmFits() {
        return true;
    }

    /** The kernel and geometry of an m x n x k product on this device (what {@link #gemm} launches). */
    public GemmLaunch gemmLaunch(boolean transA, boolean transB, int m, int n, int k) {
        GemmLaunch g = GemmLaunch.choose(gemmMode, gemmTilings(), computeUnits(), tf32(), transA, transB, m, n, k);
        if (g.kernel().equals(GemmLaunch.VECTOR_KERNEL) && !vectorGemmFits()) {
            g = GemmLaunch.choose(GemmKernel.TILED, gemmTilings(), computeUnits(), false, transA, transB, m, n, k);
        }
        return g;
    }

    /** Compute units (OpenCL) or multiprocessors (CUDA): how many work-groups run at once, roughly. */
    protected abstract int computeUnits();

    /** Work-items per elementwise work-group (at most the device's limit). */
    protected int elementwiseGroup() {
        return ELEMENTWISE_GROUP;
    }

    private void launch1d(String kernel, int n, Object... args) {
        if (n <= 0) return;
        int local = elementwiseGroup();
        launch(kernel, ceilDiv(n, local), 1, local, 1, args);
    }

    private void launchRows(String kernel, int rows, Object... args) {
        if (rows <= 0) return;
        launch(kernel, rows, 1, KernelSource.ROW_GROUP, 1, args);
    }

    protected static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private static int flag(boolean b) {
        return b ? 1 : 0;
    }

    // ---- elementwise ------------------------------------------------------------------------------

    @Override
    public void fill(Buffer x, int n, float value) {
        launch1d("jg_fill", n, n, x, value);
    }

    @Override
    public void copy(Buffer src, Buffer dst, int n) {
        launch1d("jg_copy", n, n, src, dst);
    }

    @Override
    public void axpby(int n, float alpha, Buffer x, float beta, Buffer y) {
        launch1d("jg_axpby", n, n, alpha, x, beta, y);
    }

    @Override
    public void unary(UnaryOp op, float param, int n, Buffer x, Buffer y) {
        launch1d("jg_unary", n, KernelCodes.unary(op), param, n, x, y);
    }

    @Override
    public void unaryBackward(UnaryOp op, float param, int n, Buffer x, Buffer y, Buffer gy, Buffer gx, boolean accumulate) {
        launch1d("jg_unary_backward", n, KernelCodes.unary(op), param, n, x, y, gy, gx, flag(accumulate));
    }

    @Override
    public void binary(BinaryOp op, int n, Buffer a, Broadcast ab, Buffer b, Broadcast bb, Buffer out) {
        launch1d("jg_binary", n, KernelCodes.binary(op), n, a, ab.div(), ab.mod(), b, bb.div(), bb.mod(), out);
    }

    // ---- reductions -------------------------------------------------------------------------------

    @Override
    public void reduceSum(int outer, int r, int inner, Buffer x, Buffer out, float scale, boolean accumulate) {
        int outputs = outer * inner;
        if (outputs == 0) return;
        if (r == 0) {
            if (!accumulate) fill(out, outputs, 0f);
        } else if (inner == 1) {
            launchRows("jg_reduce_rows", outer, r, x, out, scale, flag(accumulate));
        } else {
            launch1d("jg_reduce_columns", outputs, outer, r, inner, x, out, scale, flag(accumulate));
        }
    }

    @Override
    public void expand(int outer, int r, int inner, Buffer g, Buffer x, float scale, boolean accumulate) {
        launch1d("jg_expand", outer * r * inner, outer * r * inner, r, inner, g, x, scale, flag(accumulate));
    }

    // ---- matrix multiply --------------------------------------------------------------------------

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, Buffer a, Buffer b, Buffer c, boolean accumulate) {
        launchGemm(transA, transB, m, n, k, a, b, c, accumulate, null, UnaryOp.IDENTITY, 0f);
    }

    @Override
    public void gemmBiasActivation(boolean transA, boolean transB, int m, int n, int k, Buffer a, Buffer b, Buffer bias,
                                   UnaryOp act, float actParam, Buffer c) {
        if (!act.isActivation()) throw new IllegalArgumentException(act + " is not an activation and cannot be fused into a GEMM");
        launchGemm(transA, transB, m, n, k, a, b, c, false, bias, act, actParam);
    }

    private void launchGemm(boolean transA, boolean transB, int m, int n, int k, Buffer a, Buffer b, Buffer c,
                            boolean accumulate, Buffer bias, UnaryOp act, float actParam) {
        if (m <= 0 || n <= 0) return;
        GemmLaunch g = gemmLaunch(transA, transB, m, n, k);
        launch(g.kernel(), g.groupsX(), g.groupsY(), g.localX(), g.localY(),
                flag(transA), flag(transB), m, n, k, a, b, c, flag(accumulate), flag(bias != null), bias,
                KernelCodes.unary(act), actParam);
    }

    @Override
    public void activationBackwardBiasGrad(UnaryOp act, float actParam, int rows, int cols, Buffer y, Buffer gy, Buffer g,
                                           Buffer gBias, boolean accumulateBias) {
        if (!Activations.derivativeFromOutput(act, actParam)) {
            throw new IllegalArgumentException(act + " cannot be differentiated from its output");
        }
        launch1d("jg_activation_backward", rows * cols, KernelCodes.unary(act), actParam, rows * cols, y, gy, g);
        if (gBias != null) reduceSum(1, rows, cols, g, gBias, 1f, accumulateBias);
    }

    // ---- softmax and losses -----------------------------------------------------------------------

    @Override
    public void softmax(int rows, int cols, Buffer x, Buffer y) {
        launchRows("jg_softmax", rows, cols, x, y);
    }

    @Override
    public void softmaxBackward(int rows, int cols, Buffer y, Buffer gy, Buffer gx, boolean accumulate) {
        launchRows("jg_softmax_backward", rows, cols, y, gy, gx, flag(accumulate));
    }

    @Override
    public void softmaxCrossEntropy(int rows, int cols, Buffer logits, Buffer labels, Buffer probs, Buffer loss) {
        launchRows("jg_softmax_cross_entropy", rows, cols, logits, labels, probs, loss);
    }

    @Override
    public void softmaxCrossEntropyBackward(int rows, int cols, Buffer probs, Buffer labels, Buffer gLoss, float scale,
                                            Buffer gx, boolean accumulate) {
        launch1d("jg_softmax_cross_entropy_backward", rows * cols, rows, cols, probs, labels, gLoss, scale, gx,
                flag(accumulate));
    }

    @Override
    public void bceWithLogits(int n, Buffer x, Buffer t, Buffer loss) {
        launch1d("jg_bce_with_logits", n, n, x, t, loss);
    }

    @Override
    public void bceWithLogitsBackward(int n, Buffer x, Buffer t, Buffer gLoss, float scale, Buffer gx, boolean accumulate) {
        launch1d("jg_bce_with_logits_backward", n, n, x, t, gLoss, scale, gx, flag(accumulate));
    }

    // ---- optimizers -------------------------------------------------------------------------------

    @Override
    public void sgdStep(int n, Buffer param, Buffer grad, Buffer velocity, float lr, float momentum, float weightDecay,
                        boolean nesterov) {
        launch1d("jg_sgd_step", n, n, param, grad, velocity, flag(velocity != null), lr, momentum, weightDecay, flag(nesterov));
    }

    @Override
    public void adamStep(int n, Buffer param, Buffer grad, Buffer m, Buffer v, float lr, float beta1, float beta2, float eps,
                         float weightDecay, boolean decoupledWeightDecay, float bc1, float bc2) {
        float decay = decoupledWeightDecay ? 1f - lr * weightDecay : 1f;
        launch1d("jg_adam_step", n, n, param, grad, m, v, lr / bc1, beta1, beta2, eps, weightDecay,
                flag(decoupledWeightDecay), decay, (float) Math.sqrt(bc2));
    }

    @Override
    public void rmspropStep(int n, Buffer param, Buffer grad, Buffer squareAvg, Buffer momentumBuffer, float lr, float alpha,
                            float eps, float weightDecay, float momentum) {
        launch1d("jg_rmsprop_step", n, n, param, grad, squareAvg, momentumBuffer, flag(momentumBuffer != null), lr, alpha, eps,
                weightDecay, momentum);
    }

    @Override
    public void adagradStep(int n, Buffer param, Buffer grad, Buffer sum, float lr, float eps, float weightDecay) {
        launch1d("jg_adagrad_step", n, n, param, grad, sum, lr, eps, weightDecay);
    }

    @Override
    public void clamp(int n, float lo, float hi, Buffer x, Buffer y) {
        launch1d("jg_clamp", n, n, lo, hi, x, y);
    }

    // ---- more losses ------------------------------------------------------------------------------

    @Override
    public void logSoftmax(int rows, int cols, Buffer x, Buffer y) {
        launchRows("jg_log_softmax", rows, cols, x, y);
    }

    @Override
    public void logSoftmaxBackward(int rows, int cols, Buffer y, Buffer gy, Buffer gx, boolean accumulate) {
        launchRows("jg_log_softmax_backward", rows, cols, y, gy, gx, flag(accumulate));
    }

    @Override
    public void huberLoss(int n, float delta, Buffer x, Buffer t, Buffer loss) {
        launch1d("jg_huber_loss", n, n, delta, x, t, loss);
    }

    @Override
    public void huberLossBackward(int n, float delta, Buffer x, Buffer t, Buffer gLoss, float scale, Buffer gx, boolean accumulate) {
        launch1d("jg_huber_loss_backward", n, n, delta, x, t, gLoss, scale, gx, flag(accumulate));
    }

    // ---- convolution, pooling, normalisation, dropout ---------------------------------------------

    private static int outputSize(int in, int k, int stride, int pad) {
        return (in + 2 * pad - k) / stride + 1;
    }

    @Override
    public void im2col(int n, int c, int h, int w, int kh, int kw, int strideH, int strideW, int padH, int padW, Buffer x,
                       Buffer cols) {
        int oh = outputSize(h, kh, strideH, padH), ow = outputSize(w, kw, strideW, padW);
        int total = n * oh * ow * c * kh * kw;
        launch1d("jg_im2col", total, total, c, h, w, kh, kw, strideH, strideW, padH, padW, oh, ow, x, cols);
    }

    @Override
    public void col2im(int n, int c, int h, int w, int kh, int kw, int strideH, int strideW, int padH, int padW, Buffer cols,
                       Buffer x, boolean accumulate) {
        int oh = outputSize(h, kh, strideH, padH), ow = outputSize(w, kw, strideW, padW);
        int total = n * c * h * w;
        launch1d("jg_col2im", total, total, c, h, w, kh, kw, strideH, strideW, padH, padW, oh, ow, cols, x, flag(accumulate));
    }

    @Override
    public void batchTranspose(int batch, int rows, int cols, Buffer x, Buffer y) {
        int total = batch * rows * cols;
        launch1d("jg_batch_transpose", total, total, rows, cols, x, y);
    }

    @Override
    public void maxPool2d(int planes, int h, int w, int k, int stride, int pad, Buffer x, Buffer y, Buffer indices) {
        int oh = outputSize(h, k, stride, pad), ow = outputSize(w, k, stride, pad);
        int total = planes * oh * ow;
        launch1d("jg_max_pool", total, total, h, w, k, stride, pad, oh, ow, x, y, indices);
    }

    @Override
    public void maxPool2dBackward(int planes, int h, int w, int k, int stride, int pad, Buffer gy, Buffer indices, Buffer gx,
                                  boolean accumulate) {
        int oh = outputSize(h, k, stride, pad), ow = outputSize(w, k, stride, pad);
        int total = planes * h * w;
        launch1d("jg_max_pool_backward", total, total, h, w, k, stride, pad, oh, ow, gy, indices, gx, flag(accumulate));
    }

    @Override
    public void avgPool2d(int planes, int h, int w, int k, int stride, int pad, Buffer x, Buffer y) {
        int oh = outputSize(h, k, stride, pad), ow = outputSize(w, k, stride, pad);
        int total = planes * oh * ow;
        launch1d("jg_avg_pool", total, total, h, w, k, stride, pad, oh, ow, x, y);
    }

    @Override
    public void avgPool2dBackward(int planes, int h, int w, int k, int stride, int pad, Buffer gy, Buffer gx, boolean accumulate) {
        int oh = outputSize(h, k, stride, pad), ow = outputSize(w, k, stride, pad);
        int total = planes * h * w;
        launch1d("jg_avg_pool_backward", total, total, h, w, k, stride, pad, oh, ow, gy, gx, flag(accumulate));
    }

    @Override
    public void batchNormStats(int n, int c, int inner, Buffer x, Buffer mean, Buffer var) {
        launchRows("jg_bn_stats", c, n, c, inner, x, mean, var);
    }

    @Override
    public void batchNormForward(int n, int c, int inner, Buffer x, Buffer mean, Buffer var, float eps, Buffer gamma, Buffer beta,
                                 Buffer y) {
        int total = n * c * inner;
        launch1d("jg_bn_forward", total, total, c, inner, x, mean, var, eps, gamma, beta, y);
    }

    @Override
    public void batchNormBackward(int n, int c, int inner, Buffer x, Buffer mean, Buffer var, float eps, Buffer gamma, Buffer gy,
                                  boolean batchStatistics, Buffer gx, boolean accumulateX, Buffer gGamma, Buffer gBeta,
                                  boolean accumulateParams) {
        launchRows("jg_bn_backward", c, n, c, inner, x, mean, var, eps, gamma, gy, flag(batchStatistics),
                gx, flag(gx != null), flag(accumulateX), gGamma, flag(gGamma != null), gBeta, flag(gBeta != null),
                flag(accumulateParams));
    }

    @Override
    public void dropout(int n, long seed, long offset, float p, Buffer x, Buffer mask, Buffer y) {
        launch1d("jg_dropout", n, n, (int) seed, (int) (seed >>> 32), (int) offset, (int) (offset >>> 32), p, x, mask, y);
    }

    // ---- gathering rows of a resident dataset -----------------------------------------------------

    @Override
    public void gatherRows(Buffer src, int cols, Buffer rowIndices, int rows, Buffer dst) {
        if (rows <= 0 || cols <= 0) return;
        launch1d("jg_gather_rows", rows * cols, rows * cols, cols, src.length() / cols, src, rowIndices, dst);
    }
}
