package dev.jgrad.device;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Device options: the built-in values, what properties and variables override, and the errors for bad values. */
class DeviceConfigTest {

    @Test
    void theStandardConfigurationIsAllDefaults() {
        DeviceConfig c = DeviceConfig.standard();
        assertEquals(new DeviceConfig(0, false, DeviceConfig.GemmKernel.AUTO, null), c);
        assertEquals(Runtime.getRuntime().availableProcessors(), c.threadsOrProcessors());
        assertEquals(3, c.withThreads(3).threadsOrProcessors());
    }

    @Test
    void withersChangeOneFieldEach() {
        DeviceConfig c = DeviceConfig.standard().withThreads(2).withTf32(true)
                .withGemmKernel(DeviceConfig.GemmKernel.VECTOR).withGemmTiling("32,32,16,2,2");
        assertEquals(new DeviceConfig(2, true, DeviceConfig.GemmKernel.VECTOR, "32,32,16,2,2"), c);
        assertEquals(null, c.withGemmTiling(" ").gemmTiling(), "blank is no tiling");
    }

    @Test
    void propertiesAndVariablesSupplyDefaults() {
        Map<String, String> set = Map.of(DeviceConfig.THREADS_PROPERTY, "3", DeviceConfig.TF32_PROPERTY, " TRUE ",
                DeviceConfig.GEMM_KERNEL_PROPERTY, "Tiled", DeviceConfig.GEMM_TILING_PROPERTY, "64,64,16,4,4");
        assertEquals(new DeviceConfig(3, true, DeviceConfig.GemmKernel.TILED, "64,64,16,4,4"), DeviceConfig.fromLookup(set::get));
        assertEquals(DeviceConfig.standard(), DeviceConfig.fromLookup(k -> null));
    }

    @Test
    void defaultsReadTheSystemProperties() {
        String old = System.getProperty(DeviceConfig.THREADS_PROPERTY);
        try {
            System.setProperty(DeviceConfig.THREADS_PROPERTY, "5");
            assertEquals(5, DeviceConfig.defaults().threads());
        } finally {
            if (old == null) System.clearProperty(DeviceConfig.THREADS_PROPERTY);
            else System.setProperty(DeviceConfig.THREADS_PROPERTY, old);
        }
    }

    @Test
    void malformedValuesAreErrorsNamingTheProperty() {
        for (var bad : Map.of(DeviceConfig.THREADS_PROPERTY, "many", DeviceConfig.TF32_PROPERTY, "yes",
                DeviceConfig.GEMM_KERNEL_PROPERTY, "fast").entrySet()) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> DeviceConfig.fromLookup(k -> k.equals(bad.getKey()) ? bad.getValue() : null));
            assertTrue(e.getMessage().startsWith(bad.getKey() + "='" + bad.getValue() + "'"), e.getMessage());
        }
        var zero = assertThrows(IllegalArgumentException.class,
                () -> DeviceConfig.fromLookup(k -> k.equals(DeviceConfig.THREADS_PROPERTY) ? "0" : null));
        assertTrue(zero.getMessage().contains("at least 1"), zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DeviceConfig.standard().withThreads(-1));
        assertThrows(IllegalArgumentException.class, () -> DeviceConfig.standard().withGemmKernel(null));
    }
}
