package dev.jgrad.cpu;

import dev.jgrad.backend.Device;
import dev.jgrad.backend.Devices;
import dev.jgrad.conformance.BackendConformanceTest;

/**
 * The conformance suite on the CPU backend. Its comparisons with the reference compare the CPU with a
 * second CPU device (a determinism check); the analytic, finite-difference and training checks are the
 * ones that test the CPU kernels themselves.
 */
class CpuConformanceTest extends BackendConformanceTest {
    @Override
    protected Device openDevice() {
        return Devices.openSpec("cpu", Devices.backends(), msg -> {});
    }
}
