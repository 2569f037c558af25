package dev.jgrad.opencl;

import dev.jgrad.backend.Device;
import dev.jgrad.conformance.LayerConformanceTest;

/**
 * The layer kernels' conformance suite (convolution, pooling, batch norm, dropout against the host Philox
 * stream, losses, optimizers, finite-difference gradients) on the first OpenCL device; skipped where there is none.
 */
class OpenClLayerConformanceTest extends LayerConformanceTest {
    @Override
    protected Device openDevice() {
        return OpenClTestDevices.openOpenCl();
    }
}
