package dev.jgrad.opencl;

import dev.jgrad.device.Device;
import dev.jgrad.conformance.BackendConformanceTest;

/** The shared conformance suite on the first OpenCL device (PoCL in CI); skipped, with the reason, where there is none. */
class OpenClConformanceTest extends BackendConformanceTest {
    @Override
    protected Device openDevice() {
        return OpenClTestDevices.openOpenCl();
    }
}
