package dev.jgrad.bench;

import dev.jgrad.spi.Buffer;
import dev.jgrad.device.Device;
import dev.jgrad.device.DeviceInfo;

/** A deliberately broken backend: its GEMM is the delegate's with one output element off by 0.5. It counts its GEMM calls. */
final class WrongGemmDevice extends DelegatingDevice {
    int gemmCalls;

    WrongGemmDevice(Device delegate) {
        super(delegate);
    }

    @Override
    public DeviceInfo info() {
        return new DeviceInfo("wrong:0", "CPU with a perturbed GEMM", -1, "test double");
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, Buffer a, Buffer b, Buffer c, boolean accumulate) {
        gemmCalls++;
        delegate.gemm(transA, transB, m, n, k, a, b, c, accumulate);
        float[] last = new float[1];
        int at = m * n - 1;
        delegate.read(c, at, last, 0, 1);
        last[0] += 0.5f;
        delegate.write(last, 0, c, at, 1);
    }
}
