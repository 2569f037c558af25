package dev.jgrad.opencl;

import dev.jgrad.spi.Backend;
import dev.jgrad.device.DeviceInfo;
import dev.jgrad.device.DeviceConfig;
import dev.jgrad.device.DeviceUnavailableException;
import dev.jgrad.device.Devices;
import dev.jgrad.spi.Probe;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Discovery, device listing, the probe without any OpenCL platform, and kernel build errors. */
class OpenClProbeTest {

    @Test
    void serviceLoaderFindsTheBackendWithItsPriority() {
        Backend opencl = Devices.backends().stream().filter(b -> b.name().equals("opencl")).findFirst().orElseThrow();
        assertEquals(10, opencl.priority());
    }

    @Test
    void probeListsDevicesWithPlatformVersionComputeUnitsAndMemory() {
        Probe probe = new OpenClBackend().probe();
        if (!probe.available()) {
            assertFalse(probe.unavailableReason().contains("\n"), probe.unavailableReason());
            Assumptions.abort("OpenCL unavailable: " + probe.unavailableReason());
        }
        for (int i = 0; i < probe.devices().size(); i++) {
            DeviceInfo d = probe.devices().get(i);
            assertEquals("opencl:" + i, d.id());
            assertTrue(d.details().startsWith("platform "), d.details());
            assertTrue(d.details().contains("OpenCL"), d.details());
            assertTrue(d.details().contains("compute units"), d.details());
            assertTrue(d.memoryBytes() > 0);
        }
        DeviceUnavailableException e = assertThrows(DeviceUnavailableException.class,
                () -> new OpenClBackend().open(probe.devices().size(), DeviceConfig.standard()));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    /** A JVM whose ICD loader finds no vendor file sees no platform: a one-line reason, and no exception. */
    @Test
    void withoutAnyPlatformTheProbeGivesAOneLineReason() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), ProbePrinter.class.getName());
        pb.environment().put("OCL_ICD_VENDORS", "/nonexistent-jgrad-test");
        pb.environment().remove("OPENCL_VENDOR_PATH");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe subprocess timed out");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        List<String> lines = out.lines().filter(l -> l.startsWith("probe: ")).toList();
        assertEquals(1, lines.size(), out);
        assertTrue(lines.get(0).startsWith("probe: unavailable: no OpenCL platform"), out);
    }

    @Test
    void aKernelThatDoesNotCompileReportsItsFileAndTheBuildLog() {
        OpenClDiscovery.Result r = OpenClDiscovery.get();
        if (r.unavailableReason() != null) Assumptions.abort("OpenCL unavailable: " + r.unavailableReason());
        OpenClContext context = r.devices().get(0).context();
        KernelBuildException e = assertThrows(KernelBuildException.class,
                () -> context.build("broken.cl", "__kernel void broken(__global float* x) { x[0] = undeclared_name; }", ""));
        assertEquals("broken.cl", e.fileName());
        assertTrue(e.buildLog().contains("undeclared_name"), e.buildLog());
        assertTrue(e.getMessage().contains("broken.cl") && e.getMessage().contains("undeclared_name"), e.getMessage());
    }
}
