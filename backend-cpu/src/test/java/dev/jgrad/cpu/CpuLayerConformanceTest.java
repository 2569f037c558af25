package dev.jgrad.cpu;

import dev.jgrad.device.Device;
import dev.jgrad.conformance.LayerConformanceTest;

/** The layer kernels' conformance suite on the CPU reference backend. */
class CpuLayerConformanceTest extends LayerConformanceTest {
    @Override
    protected Device openDevice() {
        return new CpuBackend().open(0);
    }
}
