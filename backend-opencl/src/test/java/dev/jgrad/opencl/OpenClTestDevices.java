package dev.jgrad.opencl;

import dev.jgrad.device.Device;
import dev.jgrad.device.Devices;
import dev.jgrad.spi.Probe;
import org.junit.jupiter.api.Assumptions;

/** Opens the devices the OpenCL tests compare: the first OpenCL device (or skips, saying why) and the CPU reference. */
final class OpenClTestDevices {
    private OpenClTestDevices() {}

    static Device openOpenCl() {
        Probe probe = new OpenClBackend().probe();
        if (!probe.available()) {
            // surefire does not show why a whole class was aborted, so say it here
            System.err.println("skipping OpenCL tests: " + probe.unavailableReason());
            Assumptions.abort("OpenCL unavailable: " + probe.unavailableReason());
        }
        return new OpenClBackend().open(0);
    }

    static Device openCpu() {
        return Devices.openSpec("cpu", Devices.backends(), m -> {});
    }
}
