package dev.jgrad.cuda;

import dev.jgrad.spi.Backend;
import dev.jgrad.device.DeviceConfig;
import dev.jgrad.device.DeviceUnavailableException;
import dev.jgrad.spi.DeviceKernels;
import dev.jgrad.spi.Probe;

import java.util.List;

/**
 * NVIDIA GPUs through JCuda's driver API, running the kernels nvcc compiled when jgrad was built.
 * Nothing native is touched until {@link #probe()}, and the probe never throws: a machine without a
 * driver, without a GPU, or a build without nvcc gets the reason instead.
 */
public final class CudaBackend implements Backend {
    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public int priority() {
        return 20;
    }

    @Override
    public Probe probe() {
        try {
            CudaDiscovery.Result r = CudaDiscovery.get();
            if (r.unavailableReason() != null) return Probe.unavailable(name(), r.unavailableReason());
            return Probe.available(name(), r.devices().stream().map(CudaDiscovery.Found::info).toList());
        } catch (RuntimeException | LinkageError e) {
            return Probe.unavailable(name(), e instanceof NoClassDefFoundError
                    ? "the JCuda library is not on the class path (" + oneLine(e) + " is missing)"
                    : "CUDA probe failed: " + oneLine(e));
        }
    }

    /** Honours every option of {@code config}; threads and the OpenCL tiling do not apply and are ignored. */
    @Override
    public DeviceKernels open(int index, DeviceConfig config) {
        CudaDiscovery.Result r;
        try {
            r = CudaDiscovery.get();
        } catch (RuntimeException | LinkageError e) {
            throw new DeviceUnavailableException("device 'cuda:" + index + "' is unavailable: " + oneLine(e), e);
        }
        if (r.unavailableReason() != null) {
            throw new DeviceUnavailableException("device 'cuda:" + index + "' is unavailable: " + r.unavailableReason());
        }
        List<CudaDiscovery.Found> devices = r.devices();
        if (index < 0 || index >= devices.size()) {
            throw new DeviceUnavailableException("device 'cuda:" + index + "' does not exist: cuda has " + devices.size()
                    + " device(s), numbered from 0");
        }
        CudaDiscovery.Found f = devices.get(index);
        return new CudaDevice(f.context(), f.info(), f.multiprocessors(), config);
    }

    /** Here rather than in the discovery class, which cannot even load when the native binding's jar is missing. */
    private static String oneLine(Throwable e) {
        String m = e.getMessage();
        String s = (m == null || m.isBlank()) ? e.getClass().getName() : m;
        return s.lines().findFirst().orElse("").trim();
    }
}
