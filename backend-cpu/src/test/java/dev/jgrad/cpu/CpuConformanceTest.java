package dev.jgrad.cpu;

import dev.jgrad.device.DeviceConfig;
import dev.jgrad.device.Device;
import dev.jgrad.device.Devices;
import dev.jgrad.conformance.BackendConformanceTest;

/**
 * The conformance suite on the CPU backend. The device under test runs 3 threads, a count the reference
 * (one per core) is unlikely to share, so the comparisons with the reference check that the parallel
 * kernels split their ranges correctly; the analytic, finite-difference and training checks test the CPU
 * kernels themselves.
 */
class CpuConformanceTest extends BackendConformanceTest {
    static final int THREADS = 3;

    @Override
    protected Device openDevice() {
        return Devices.open(new CpuBackend(), 0, DeviceConfig.standard().withThreads(THREADS));
    }
}
