package dev.jgrad.bench;

import dev.jgrad.device.Device;
import dev.jgrad.device.DeviceInfo;
import dev.jgrad.spi.BinaryOp;
import dev.jgrad.spi.Broadcast;
import dev.jgrad.spi.Buffer;
import dev.jgrad.spi.ConvGeometry;
import dev.jgrad.spi.DeviceKernels;
import dev.jgrad.spi.UnaryOp;

/**
 * A backend device that forwards every kernel of the SPI to another device's, so a test can change one
 * kernel (make it wrong, count its calls) and keep the rest correct; wrap it with {@link Device#of} to
 * bench it. Closing it closes the device it forwards to. Parameters are named by position;
 * {@link DeviceKernels} documents them.
 */
class DelegatingDevice implements DeviceKernels {
    private final Device owner;
    protected final DeviceKernels delegate;

    DelegatingDevice(Device delegate) {
        this.owner = delegate;
        this.delegate = delegate.kernels();
    }

    @Override
    public DeviceInfo info() {
        return delegate.info();
    }

    @Override
    public Buffer allocate(int a0) {
        return delegate.allocate(a0);
    }

    @Override
    public void free(Buffer a0) {
        delegate.free(a0);
    }

    @Override
    public void write(float[] a0, int a1, Buffer a2, int a3, int a4) {
        delegate.write(a0, a1, a2, a3, a4);
    }

    @Override
    public void read(Buffer a0, int a1, float[] a2, int a3, int a4) {
        delegate.read(a0, a1, a2, a3, a4);
    }

    @Override
    public void synchronize() {
        delegate.synchronize();
    }

    @Override
    public void close() {
        owner.close();
    }

    @Override
    public void fill(Buffer a0, int a1, float a2) {
        delegate.fill(a0, a1, a2);
    }

    @Override
    public void copy(Buffer a0, Buffer a1, int a2) {
        delegate.copy(a0, a1, a2);
    }

    @Override
    public void axpby(int a0, float a1, Buffer a2, float a3, Buffer a4) {
        delegate.axpby(a0, a1, a2, a3, a4);
    }

    @Override
    public void unary(UnaryOp a0, float a1, int a2, Buffer a3, Buffer a4) {
        delegate.unary(a0, a1, a2, a3, a4);
    }

    @Override
    public void unaryBackward(UnaryOp a0, float a1, int a2, Buffer a3, Buffer a4, Buffer a5, Buffer a6, boolean a7) {
        delegate.unaryBackward(a0, a1, a2, a3, a4, a5, a6, a7);
    }

    @Override
    public void binary(BinaryOp a0, int a1, Buffer a2, Broadcast a3, Buffer a4, Broadcast a5, Buffer a6) {
        delegate.binary(a0, a1, a2, a3, a4, a5, a6);
    }

    @Override
    public void reduceSum(int a0, int a1, int a2, Buffer a3, Buffer a4, float a5, boolean a6) {
        delegate.reduceSum(a0, a1, a2, a3, a4, a5, a6);
    }

    @Override
    public void expand(int a0, int a1, int a2, Buffer a3, Buffer a4, float a5, boolean a6) {
        delegate.expand(a0, a1, a2, a3, a4, a5, a6);
    }

    @Override
    public void gemm(boolean a0, boolean a1, int a2, int a3, int a4, Buffer a5, Buffer a6, Buffer a7, boolean a8) {
        delegate.gemm(a0, a1, a2, a3, a4, a5, a6, a7, a8);
    }

    @Override
    public void gemmBiasActivation(boolean a0, boolean a1, int a2, int a3, int a4, Buffer a5, Buffer a6, Buffer a7,
        UnaryOp a8, float a9, Buffer a10) {
        delegate.gemmBiasActivation(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10);
    }

    @Override
    public void activationBackwardBiasGrad(UnaryOp a0, float a1, int a2, int a3, Buffer a4, Buffer a5, Buffer a6,
        Buffer a7, boolean a8) {
        delegate.activationBackwardBiasGrad(a0, a1, a2, a3, a4, a5, a6, a7, a8);
    }

    @Override
    public void softmax(int a0, int a1, Buffer a2, Buffer a3) {
        delegate.softmax(a0, a1, a2, a3);
    }

    @Override
    public void softmaxBackward(int a0, int a1, Buffer a2, Buffer a3, Buffer a4, boolean a5) {
        delegate.softmaxBackward(a0, a1, a2, a3, a4, a5);
    }

    @Override
    public void softmaxCrossEntropy(int a0, int a1, Buffer a2, Buffer a3, Buffer a4, Buffer a5) {
        delegate.softmaxCrossEntropy(a0, a1, a2, a3, a4, a5);
    }

    @Override
    public void softmaxCrossEntropyBackward(int a0, int a1, Buffer a2, Buffer a3, Buffer a4, float a5, Buffer a6,
        boolean a7) {
        delegate.softmaxCrossEntropyBackward(a0, a1, a2, a3, a4, a5, a6, a7);
    }

    @Override
    public void bceWithLogits(int a0, Buffer a1, Buffer a2, Buffer a3) {
        delegate.bceWithLogits(a0, a1, a2, a3);
    }

    @Override
    public void bceWithLogitsBackward(int a0, Buffer a1, Buffer a2, Buffer a3, float a4, Buffer a5, boolean a6) {
        delegate.bceWithLogitsBackward(a0, a1, a2, a3, a4, a5, a6);
    }

    @Override
    public void sgdStep(int a0, Buffer a1, Buffer a2, Buffer a3, float a4, float a5, float a6, boolean a7) {
        delegate.sgdStep(a0, a1, a2, a3, a4, a5, a6, a7);
    }

    @Override
    public void adamStep(int a0, Buffer a1, Buffer a2, Buffer a3, Buffer a4, float a5, float a6, float a7, float a8,
        float a9, boolean a10, float a11, float a12) {
        delegate.adamStep(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12);
    }

    @Override
    public void im2col(int a0, int a1, int a2, int a3, int a4, int a5, int a6, int a7, int a8, int a9, Buffer a10,
        Buffer a11) {
        delegate.im2col(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11);
    }

    @Override
    public void col2im(int a0, int a1, int a2, int a3, int a4, int a5, int a6, int a7, int a8, int a9, Buffer a10,
        Buffer a11, boolean a12) {
        delegate.col2im(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12);
    }

    @Override
    public void batchTranspose(int a0, int a1, int a2, Buffer a3, Buffer a4) {
        delegate.batchTranspose(a0, a1, a2, a3, a4);
    }

    @Override
    public void maxPool2d(int a0, int a1, int a2, int a3, int a4, int a5, Buffer a6, Buffer a7, Buffer a8) {
        delegate.maxPool2d(a0, a1, a2, a3, a4, a5, a6, a7, a8);
    }

    @Override
    public void maxPool2dBackward(int a0, int a1, int a2, int a3, int a4, int a5, Buffer a6, Buffer a7, Buffer a8,
        boolean a9) {
        delegate.maxPool2dBackward(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9);
    }

    @Override
    public void avgPool2d(int a0, int a1, int a2, int a3, int a4, int a5, Buffer a6, Buffer a7) {
        delegate.avgPool2d(a0, a1, a2, a3, a4, a5, a6, a7);
    }

    @Override
    public void avgPool2dBackward(int a0, int a1, int a2, int a3, int a4, int a5, Buffer a6, Buffer a7, boolean a8) {
        delegate.avgPool2dBackward(a0, a1, a2, a3, a4, a5, a6, a7, a8);
    }

    @Override
    public void batchNormStats(int a0, int a1, int a2, Buffer a3, Buffer a4, Buffer a5) {
        delegate.batchNormStats(a0, a1, a2, a3, a4, a5);
    }

    @Override
    public void batchNormForward(int a0, int a1, int a2, Buffer a3, Buffer a4, Buffer a5, float a6, Buffer a7,
        Buffer a8, Buffer a9) {
        delegate.batchNormForward(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9);
    }

    @Override
    public void batchNormBackward(int a0, int a1, int a2, Buffer a3, Buffer a4, Buffer a5, float a6, Buffer a7,
        Buffer a8, boolean a9, Buffer a10, boolean a11, Buffer a12, Buffer a13, boolean a14) {
        delegate.batchNormBackward(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14);
    }

    @Override
    public void dropout(int a0, long a1, long a2, float a3, Buffer a4, Buffer a5, Buffer a6) {
        delegate.dropout(a0, a1, a2, a3, a4, a5, a6);
    }

    @Override
    public void logSoftmax(int a0, int a1, Buffer a2, Buffer a3) {
        delegate.logSoftmax(a0, a1, a2, a3);
    }

    @Override
    public void logSoftmaxBackward(int a0, int a1, Buffer a2, Buffer a3, Buffer a4, boolean a5) {
        delegate.logSoftmaxBackward(a0, a1, a2, a3, a4, a5);
    }

    @Override
    public void huberLoss(int a0, float a1, Buffer a2, Buffer a3, Buffer a4) {
        delegate.huberLoss(a0, a1, a2, a3, a4);
    }

    @Override
    public void huberLossBackward(int a0, float a1, Buffer a2, Buffer a3, Buffer a4, float a5, Buffer a6, boolean a7) {
        delegate.huberLossBackward(a0, a1, a2, a3, a4, a5, a6, a7);
    }

    @Override
    public void clamp(int a0, float a1, float a2, Buffer a3, Buffer a4) {
        delegate.clamp(a0, a1, a2, a3, a4);
    }

    @Override
    public void rmspropStep(int a0, Buffer a1, Buffer a2, Buffer a3, Buffer a4, float a5, float a6, float a7,
        float a8, float a9) {
        delegate.rmspropStep(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9);
    }

    @Override
    public void adagradStep(int a0, Buffer a1, Buffer a2, Buffer a3, float a4, float a5, float a6) {
        delegate.adagradStep(a0, a1, a2, a3, a4, a5, a6);
    }

    @Override
    public void gatherRows(Buffer a0, int a1, Buffer a2, int a3, Buffer a4) {
        delegate.gatherRows(a0, a1, a2, a3, a4);
    }

    @Override
    public boolean hasConv2d() {
        return delegate.hasConv2d();
    }

    @Override
    public void conv2d(ConvGeometry a0, Buffer a1, Buffer a2, Buffer a3, UnaryOp a4, float a5, Buffer a6) {
        delegate.conv2d(a0, a1, a2, a3, a4, a5, a6);
    }

    @Override
    public void conv2dBackward(ConvGeometry a0, Buffer a1, Buffer a2, Buffer a3, Buffer a4, boolean a5, Buffer a6,
                               boolean a7, Buffer a8, boolean a9) {
        delegate.conv2dBackward(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9);
    }
}
