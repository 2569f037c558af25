package dev.jgrad.bench;

import dev.jgrad.spi.DeviceKernels;
import dev.jgrad.device.DeviceConfig;
import dev.jgrad.spi.Backend;
import dev.jgrad.device.Device;
import dev.jgrad.device.DeviceInfo;
import dev.jgrad.spi.Probe;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeviceSelectionTest {
    private static final List<Backend> BACKENDS = List.of(
            backend("cuda", Probe.unavailable("cuda", "libcuda.so.1 not found")),
            backend("opencl", Probe.available("opencl", List.of(info("opencl:0"), info("opencl:1")))),
            backend("cpu", Probe.available("cpu", List.of(info("cpu")))));

    @Test
    void allIsEveryAvailableDeviceCpuFirstAndTheUnavailableBackendsWithReasons() {
        DeviceSelection all = DeviceSelection.parse("all", BACKENDS);
        assertEquals(List.of("cpu", "opencl:0", "opencl:1"), all.specs());
        assertEquals(List.of(new UnavailableDevice("cuda", "libcuda.so.1 not found")), all.unavailable());
        assertEquals(all, DeviceSelection.parse(null, BACKENDS));
    }

    @Test
    void aListIsTakenAsWrittenWithoutDuplicates() {
        DeviceSelection s = DeviceSelection.parse(" cpu, cuda ,opencl:1,cpu:0,CUDA:0", BACKENDS);
        assertEquals(List.of("cpu", "cuda:0", "opencl:1"), s.specs());
        assertEquals(List.of(), s.unavailable());
    }

    @Test
    void badSyntaxAndUnknownBackendsAreBadInput() {
        assertTrue(message("cpu,,opencl").contains("empty entry"));
        assertTrue(message("cpu:x").contains("unknown device 'cpu:x'"));
        assertTrue(message("tpu").contains("unknown device 'tpu': expected all or a list of cuda[:N], opencl[:N], cpu"));
        assertTrue(message("cpu,all").contains("use --devices all alone"));
        assertTrue(message("auto").contains("use --devices all alone"));
    }

    private static String message(String list) {
        return assertThrows(IllegalArgumentException.class, () -> DeviceSelection.parse(list, BACKENDS)).getMessage();
    }

    private static DeviceInfo info(String id) {
        return new DeviceInfo(id, id, -1, "");
    }

    private static Backend backend(String name, Probe probe) {
        return new Backend() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public int priority() {
                return 0;
            }

            @Override
            public Probe probe() {
                return probe;
            }

            @Override
            public DeviceKernels open(int index, DeviceConfig config) {
                throw new UnsupportedOperationException("not opened in this test");
            }
        };
    }
}
