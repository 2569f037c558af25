package dev.jgrad.cuda;

import dev.jgrad.device.Device;
import dev.jgrad.conformance.LayerConformanceTest;

/** The layer kernels' conformance suite on the first CUDA GPU; skipped, with the probe's reason, where there is none. */
class CudaLayerConformanceTest extends LayerConformanceTest {
    @Override
    protected Device openDevice() {
        return CudaTestDevices.openCuda();
    }
}
