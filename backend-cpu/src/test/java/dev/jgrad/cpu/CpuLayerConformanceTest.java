package dev.jgrad.cpu;

import dev.jgrad.device.Devices;
import dev.jgrad.device.DeviceConfig;
import dev.jgrad.device.Device;
import dev.jgrad.conformance.LayerConformanceTest;

/** The layer kernels' conformance suite on the CPU reference backend. */
class CpuLayerConformanceTest extends LayerConformanceTest {
    @Override
    protected Device openDevice() {
        return Devices.open(new CpuBackend(), 0, DeviceConfig.standard());
    }
}
