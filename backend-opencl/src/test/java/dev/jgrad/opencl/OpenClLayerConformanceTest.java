package dev.jgrad.opencl;

import dev.jgrad.device.Device;
import dev.jgrad.conformance.LayerConformanceTest;

/** The layer kernels' conformance suite (convolution, pooling, batch norm, dropout, ...) on the first OpenCL device. */
class OpenClLayerConformanceTest extends LayerConformanceTest {
    @Override
    protected Device openDevice() {
        return OpenClTestDevices.openOpenCl();
    }
}
