package dev.jgrad.opencl;

import dev.jgrad.spi.Backend;
import dev.jgrad.device.DeviceConfig;
import dev.jgrad.device.DeviceUnavailableException;
import dev.jgrad.spi.DeviceKernels;
import dev.jgrad.spi.Probe;

import java.util.List;

/**
 * OpenCL through JOCL: any GPU, accelerator or CPU with an OpenCL runtime (PoCL in CI). Nothing native
 * is touched until {@link #probe()}, and the probe never throws.
 */
public final class OpenClBackend implements Backend {
    @Override
    public String name() {
        return "opencl";
    }

    @Override
    public int priority() {
        return 10;
    }

    @Override
    public Probe probe() {
        try {
            OpenClDiscovery.Result r = OpenClDiscovery.get();
            if (r.unavailableReason() != null) return Probe.unavailable(name(), r.unavailableReason());
            return Probe.available(name(), r.devices().stream().map(OpenClDiscovery.Found::info).toList());
        } catch (RuntimeException | LinkageError e) {
            return Probe.unavailable(name(), e instanceof NoClassDefFoundError
                    ? "the JOCL library is not on the class path (" + oneLine(e) + " is missing)"
                    : "OpenCL probe failed: " + oneLine(e));
        }
    }

    /** Auto passes over CPU-only OpenCL (PoCL and the like): the cpu backend runs the same work several times faster. */
    @Override
    public String autoSkipReason() {
        try {
            OpenClDiscovery.Result r = OpenClDiscovery.get();
            if (r.unavailableReason() != null || r.devices().isEmpty()) return null;
            if (r.devices().stream().anyMatch(f -> !f.cpu())) return null;
            return "its only device" + (r.devices().size() > 1 ? "s run" : " runs") + " on the CPU ("
                    + r.devices().get(0).info().name() + "), where the cpu backend is faster; open it by name (Devices.open(\"opencl\")) to use it";
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** Rejects {@code tf32}; takes the GEMM kernel choice and tiling from {@code config}. */
    @Override
    public DeviceKernels open(int index, DeviceConfig config) {
        if (config.tf32()) throw config.tf32Unsupported("opencl:" + index);
        OpenClDiscovery.Result r;
        try {
            r = OpenClDiscovery.get();
        } catch (RuntimeException | LinkageError e) {
            throw new DeviceUnavailableException("device 'opencl:" + index + "' is unavailable: " + oneLine(e), e);
        }
        if (r.unavailableReason() != null) {
            throw new DeviceUnavailableException("device 'opencl:" + index + "' is unavailable: " + r.unavailableReason());
        }
        List<OpenClDiscovery.Found> devices = r.devices();
        if (index < 0 || index >= devices.size()) {
            throw new DeviceUnavailableException("device 'opencl:" + index + "' does not exist: opencl has " + devices.size()
                    + " device(s), numbered from 0");
        }
        OpenClDiscovery.Found f = devices.get(index);
        return new OpenClDevice(f.context(), f.info(), f.maxWorkGroupSize(), f.computeUnits(), f.cpu(), config);
    }

    /** Here rather than in the discovery class, which cannot even load when the native binding's jar is missing. */
    private static String oneLine(Throwable e) {
        String m = e.getMessage();
        String s = (m == null || m.isBlank()) ? e.getClass().getName() : m;
        return s.lines().findFirst().orElse("").trim();
    }
}
