package dev.jgrad.cuda;

import dev.jgrad.device.Device;
import dev.jgrad.conformance.BackendConformanceTest;

/** The shared conformance suite on the first CUDA GPU; skipped, with the probe's reason, where there is none. */
class CudaConformanceTest extends BackendConformanceTest {
    @Override
    protected Device openDevice() {
        return CudaTestDevices.openCuda();
    }
}
