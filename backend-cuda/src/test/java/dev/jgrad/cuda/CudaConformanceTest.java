package dev.jgrad.cuda;

import dev.jgrad.backend.Device;
import dev.jgrad.backend.Probe;
import dev.jgrad.conformance.BackendConformanceTest;
import org.junit.jupiter.api.Assumptions;

/** The shared conformance suite on the first CUDA GPU; skipped, with the probe's reason, where there is none. */
class CudaConformanceTest extends BackendConformanceTest {
    @Override
    protected Device openDevice() {
        CudaBackend backend = new CudaBackend();
        Probe probe = backend.probe();
        if (!probe.available()) Assumptions.abort("CUDA unavailable: " + probe.unavailableReason());
        return backend.open(0);
    }
}
