package dev.jgrad.cuda;

import dev.jgrad.spi.Backend;
import dev.jgrad.device.DeviceInfo;
import dev.jgrad.device.DeviceConfig;
import dev.jgrad.device.DeviceUnavailableException;
import dev.jgrad.device.Devices;
import dev.jgrad.spi.Probe;
import dev.jgrad.kernels.KernelSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CUDA backend on any machine: found by ServiceLoader, a probe that never throws, and a clean refusal without a GPU. */
class CudaProbeTest {

    @Test
    void serviceLoaderFindsTheBackendWithItsPriority() {
        Backend cuda = Devices.backends().stream().filter(b -> b.name().equals("cuda")).findFirst().orElseThrow();
        assertEquals(20, cuda.priority());
    }

    @Test
    void probeReportsDevicesOrOneLineReason() {
        Probe probe = new CudaBackend().probe();
        assertEquals("cuda", probe.backend());
        if (probe.available()) {
            assertFalse(probe.devices().isEmpty());
            for (int i = 0; i < probe.devices().size(); i++) {
                DeviceInfo d = probe.devices().get(i);
                assertEquals("cuda:" + i, d.id());
                assertTrue(d.details().contains("compute capability"), d.details());
                assertTrue(d.memoryBytes() > 0);
            }
        } else {
            String reason = probe.unavailableReason();
            assertNotNull(reason);
            assertFalse(reason.isBlank());
            assertFalse(reason.contains("\n"), "reason must be one line: " + reason);
            if (KernelSource.cudaFatbin().isEmpty()) assertTrue(reason.startsWith("built without CUDA kernels"), reason);
        }
    }

    @Test
    void probingTwiceGivesTheSameAnswer() {
        assertEquals(new CudaBackend().probe(), new CudaBackend().probe());
    }

    @Test
    void explicitCudaWithoutAGpuFailsWithTheProbeReason() {
        Probe probe = new CudaBackend().probe();
        if (probe.available()) {
            DeviceUnavailableException e = assertThrows(DeviceUnavailableException.class,
                    () -> new CudaBackend().open(probe.devices().size(), DeviceConfig.standard()));
            assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
            return;
        }
        DeviceUnavailableException e = assertThrows(DeviceUnavailableException.class,
                () -> Devices.openSpec("cuda", Devices.backends(), m -> {}));
        assertTrue(e.getMessage().contains(probe.unavailableReason()), e.getMessage());
    }

    /** JCuda's load error is many lines; the reason keeps the one that names the missing library. */
    @Test
    void aMissingDriverIsNamedInOneLine() {
        String jcudaMessage = """
                Error while loading native library "JCudaDriver-12.0.0-linux-x86_64"
                Operating system name: Linux
                ---(start of nested stack traces)---
                java.lang.UnsatisfiedLinkError: /tmp/libJCudaDriver-12.0.0-linux-x86_64.so: libcuda.so.1: cannot open shared object file: No such file or directory
                ---(end of nested stack traces)---""";
        assertEquals("no CUDA driver: libcuda.so.1 was not found (install the NVIDIA driver)",
                CudaDiscovery.nativeLoadFailure(new UnsatisfiedLinkError(jcudaMessage)));
        assertEquals("JCuda's native library could not load: libstdc++.so.6 was not found", CudaDiscovery.nativeLoadFailure(
                new UnsatisfiedLinkError("x\n/tmp/libJCudaDriver.so: libstdc++.so.6: cannot open shared object file")));
        assertEquals("JCuda's native library could not load: something else",
                CudaDiscovery.nativeLoadFailure(new UnsatisfiedLinkError("something else\nmore")));
    }
}
