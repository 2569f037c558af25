package dev.jgrad.device;

import dev.jgrad.spi.Backend;
import dev.jgrad.spi.DeviceKernels;
import dev.jgrad.spi.Probe;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Device selection with fake backends: auto's choice and log, explicit requests, the precedence of sources. */
class DevicesTest {

    /** A backend that opens nothing real: open() returns null, enough to see which one was chosen. */
    private record Fake(String name, int priority, Probe probe, String autoSkip, List<Integer> opened) implements Backend {
        Fake(String name, int priority, String unavailable) {
            this(name, priority, unavailable == null
                    ? Probe.available(name, List.of(new DeviceInfo(name, name + " device", -1, "")))
                    : Probe.unavailable(name, unavailable), null, new ArrayList<>());
        }

        @Override
        public String autoSkipReason() {
            return autoSkip;
        }

        @Override
        public DeviceKernels open(int index, DeviceConfig config) {
            if (config.tf32()) throw config.tf32Unsupported(name + ":" + index);
            opened.add(index);
            throw new ChosenException(name + ":" + index);
        }
    }

    /** Thrown by Fake.open so the test sees the choice without a real Device (an Error: auto must not swallow it). */
    private static final class ChosenException extends Error {
        ChosenException(String id) {
            super(id);
        }
    }

    private static String choose(String spec, List<Backend> backends, List<String> log) {
        try {
            Devices.openSpec(spec, backends, log::add);
            return "none";
        } catch (ChosenException e) {
            return e.getMessage();
        }
    }

    @Test
    void autoPicksTheHighestPriorityAvailableAndSaysWhyItSkippedTheOthers() {
        Backend cuda = new Fake("cuda", 20, "libcuda.so.1 not found");
        Backend opencl = new Fake("opencl", 10, null);
        Backend cpu = new Fake("cpu", 0, null);
        List<String> log = new ArrayList<>();
        assertEquals("opencl:0", choose("auto", List.of(cuda, opencl, cpu), log));
        assertEquals(List.of("auto: skipping cuda: libcuda.so.1 not found"), log);
    }

    @Test
    void autoPassesOverABackendThatAsksToBeSkipped() {
        Fake opencl = new Fake("opencl", 10, Probe.available("opencl", List.of(new DeviceInfo("opencl:0", "pocl", -1, ""))),
                "its only device runs on the CPU", new ArrayList<>());
        Fake cpu = new Fake("cpu", 0, null);
        List<String> log = new ArrayList<>();
        choose("auto", List.of(opencl, cpu), log);
        assertEquals("auto: skipping opencl: its only device runs on the CPU", log.get(0));
        assertTrue(opencl.opened().isEmpty(), "auto must not open a backend it skips");
        assertEquals(List.of(0), cpu.opened());
        assertEquals(1, log.size(), "no other lines: " + log);
        // an explicit request still reaches it
        assertEquals("opencl:0", choose("opencl", List.of(opencl, cpu), new ArrayList<>()));
    }

    @Test
    void anExplicitUnavailableDeviceIsAnErrorNamingTheReason() {
        Backend cuda = new Fake("cuda", 20, "no NVIDIA driver (libcuda.so.1 not found)");
        Backend cpu = new Fake("cpu", 0, null);
        var e = assertThrows(DeviceUnavailableException.class, () -> Devices.openSpec("cuda", List.of(cuda, cpu), m -> {}));
        assertEquals("device 'cuda' is unavailable: no NVIDIA driver (libcuda.so.1 not found)", e.getMessage());
        var missing = assertThrows(DeviceUnavailableException.class, () -> Devices.openSpec("cpu:2", List.of(cpu), m -> {}));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        var unknown = assertThrows(DeviceUnavailableException.class, () -> Devices.openSpec("tpu", List.of(cpu), m -> {}));
        assertTrue(unknown.getMessage().startsWith("unknown device 'tpu'"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Devices.openSpec("cuda:-1", List.of(cpu), m -> {}));
        assertThrows(IllegalArgumentException.class, () -> Devices.openSpec("cuda:x", List.of(cpu), m -> {}));
    }

    @Test
    void aMissingBackendNamesTheArtifactToAdd() {
        var none = assertThrows(DeviceUnavailableException.class, () -> Devices.openSpec("cpu", List.of(), m -> {}));
        assertEquals("device 'cpu': no jgrad backend is on the class path; add the artifact dev.jgrad:jgrad-backend-cpu",
                none.getMessage());
        var auto = assertThrows(DeviceUnavailableException.class, () -> Devices.openSpec("auto", List.of(), m -> {}));
        assertTrue(auto.getMessage().contains("no jgrad backend is on the class path")
                && auto.getMessage().contains("dev.jgrad:jgrad-backend-cpu"), auto.getMessage());
        var cuda = assertThrows(DeviceUnavailableException.class,
                () -> Devices.openSpec("cuda:1", List.of(new Fake("cpu", 0, null)), m -> {}));
        assertEquals("device 'cuda:1': the cuda backend is not on the class path (found: cpu); add the artifact "
                + "dev.jgrad:jgrad-backend-cuda", cuda.getMessage());
    }

    @Test
    void autoThatSkipsEveryBackendSaysWhyForEach() {
        Backend cuda = new Fake("cuda", 20, "no NVIDIA driver");
        Fake opencl = new Fake("opencl", 10, Probe.available("opencl", List.of(new DeviceInfo("opencl:0", "pocl", -1, ""))),
                "its only device runs on the CPU", new ArrayList<>());
        Backend cpu = new Fake("cpu", 0, "Vector API missing");
        var e = assertThrows(DeviceUnavailableException.class, () -> Devices.openSpec("auto", List.of(cuda, opencl, cpu), m -> {}));
        assertEquals("no usable device (auto skipped every backend): cuda: no NVIDIA driver; "
                + "opencl: its only device runs on the CPU; cpu: Vector API missing", e.getMessage());
        assertTrue(e.getMessage().lines().count() == 1);
    }

    @Test
    void theConfigReachesTheBackendWhichRejectsWhatItCannotDo() {
        Fake cpu = new Fake("cpu", 0, null);
        DeviceConfig tf32 = DeviceConfig.standard().withTf32(true);
        var e = assertThrows(IllegalArgumentException.class, () -> Devices.openSpec("cpu", List.of(cpu), tf32, m -> {}));
        assertEquals("TF32 is a CUDA option but the device is 'cpu:0': open it with DeviceConfig.withTf32(false) "
                + "(system property jgrad.cuda.tf32)", e.getMessage());
        assertTrue(cpu.opened().isEmpty());
        // auto passes over a backend that rejects the options, saying why
        List<String> log = new ArrayList<>();
        var none = assertThrows(DeviceUnavailableException.class, () -> Devices.openSpec("auto", List.of(cpu), tf32, log::add));
        assertTrue(none.getMessage().contains("cpu: TF32 is a CUDA option"), none.getMessage());
        assertEquals(List.of("auto: skipping cpu: " + e.getMessage()), log);
    }

    @Test
    void aProbeThatThrowsIsUnavailableNotACrash() {
        Backend broken = new Backend() {
            public String name() { return "broken"; }
            public int priority() { return 5; }
            public Probe probe() { throw new UnsatisfiedLinkError("libbroken.so: cannot open shared object file"); }
            public DeviceKernels open(int index, DeviceConfig config) { throw new AssertionError("must not open"); }
        };
        Probe p = Devices.probeSafely(broken);
        assertTrue(!p.available() && p.unavailableReason().contains("libbroken.so"), p.toString());
    }

    @Test
    void theRequestComesFromArgumentThenPropertyThenEnvironment() {
        String old = System.getProperty(Devices.PROPERTY);
        try {
            System.setProperty(Devices.PROPERTY, "opencl:1");
            assertEquals("cpu", Devices.requested("cpu"));
            assertEquals("opencl:1", Devices.requested(null));
            System.clearProperty(Devices.PROPERTY);
            String env = System.getenv(Devices.ENVIRONMENT);
            assertEquals(env == null || env.isBlank() ? "auto" : env.trim(), Devices.requested(" "));
        } finally {
            if (old == null) System.clearProperty(Devices.PROPERTY);
            else System.setProperty(Devices.PROPERTY, old);
        }
    }
}
