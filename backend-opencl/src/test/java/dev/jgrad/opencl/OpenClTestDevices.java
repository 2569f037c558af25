package dev.jgrad.opencl;

import dev.jgrad.cpu.CpuBackend;
import dev.jgrad.device.Device;
import dev.jgrad.device.DeviceConfig;
import dev.jgrad.device.Devices;
import dev.jgrad.spi.DeviceKernels;
import dev.jgrad.spi.Probe;
import org.junit.jupiter.api.Assumptions;

/** Opens the devices the OpenCL tests compare: the first OpenCL device (or skips, saying why) and the CPU reference. */
final class OpenClTestDevices {
    private OpenClTestDevices() {}

    static Device openOpenCl() {
        return Devices.open(available(), 0, DeviceConfig.standard());
    }

    /** The backend's own device, for tests of its kernels; the caller closes it. */
    static OpenClDevice openOpenClKernels(DeviceConfig config) {
        return (OpenClDevice) available().open(0, config);
    }

    /** The CPU reference's kernels; the caller closes them. */
    static DeviceKernels openCpuKernels() {
        return new CpuBackend().open(0, DeviceConfig.standard());
    }

    private static OpenClBackend available() {
        OpenClBackend backend = new OpenClBackend();
        Probe probe = backend.probe();
        if (!probe.available()) {
            // surefire does not show why a whole class was aborted, so say it here
            System.err.println("skipping OpenCL tests: " + probe.unavailableReason());
            Assumptions.abort("OpenCL unavailable: " + probe.unavailableReason());
        }
        return backend;
    }
}
