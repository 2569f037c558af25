package dev.jgrad.cuda;

import dev.jgrad.device.Device;
import dev.jgrad.device.DeviceConfig;
import dev.jgrad.device.Devices;
import dev.jgrad.spi.Probe;
import org.junit.jupiter.api.Assumptions;

/** Opens the first CUDA GPU for a test class, or aborts it with the probe's reason. */
final class CudaTestDevices {
    private CudaTestDevices() {}

    static Device openCuda() {
        return Devices.open(available(), 0, DeviceConfig.standard());
    }

    /** The backend's own device, for tests of its kernels; the caller closes it. */
    static CudaDevice openKernels(DeviceConfig config) {
        return (CudaDevice) available().open(0, config);
    }

    private static CudaBackend available() {
        CudaBackend backend = new CudaBackend();
        Probe probe = backend.probe();
        if (!probe.available()) {
            // surefire does not show why a whole class was aborted, so say it here
            System.err.println("skipping CUDA tests: " + probe.unavailableReason());
            Assumptions.abort("CUDA unavailable: " + probe.unavailableReason());
        }
        return backend;
    }
}
