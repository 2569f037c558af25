package dev.jgrad.cli;

import dev.jgrad.device.DeviceConfig;
import dev.jgrad.device.Devices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** {@code --tf32} (DeviceOptions): CUDA only; any other device is one line and exit status 2, before any work. */
class Tf32FlagTest {

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "opencl", "opencl:1"})
    void tf32OnAnotherDeviceIsOneLineAndExitCode2(String device) {
        CliRun r = CliRun.of("train", "--device", device, "--tf32", "--epochs", "1");
        assertEquals(2, r.exitCode(), r.err());
        assertEquals(1, r.errLines(), r.err());
        assertTrue(r.err().startsWith("jgrad: --tf32 needs a CUDA device") && r.err().contains("'" + device + "'"), r.err());
        assertFalse(r.out().contains("epoch 1"), "must not have trained: " + r.out());
    }

    /** eval and predict share the flag: they refuse it before reading the model. */
    @Test
    void evalAndPredictRefuseItToo() {
        for (String[] args : new String[][] {
                {"eval", "--model", "/nonexistent/model.safetensors", "--device", "cpu", "--tf32"},
                {"predict", "--model", "/nonexistent/model.safetensors", "--device", "cpu", "--tf32", "/nonexistent/input.csv"}}) {
            CliRun r = CliRun.of(args);
            assertEquals(2, r.exitCode(), r.err());
            assertEquals(1, r.errLines(), r.err());
            assertTrue(r.err().contains("--tf32 needs a CUDA device"), r.err());
        }
        for (String command : new String[] {"train", "eval", "predict"}) {
            assertTrue(CliRun.of(command, "--help").out().contains("--tf32"), command + " --help");
        }
    }

    /** auto without a CUDA GPU lands elsewhere: that is an error too, not TF32 silently ignored. */
    @Test
    void tf32WithAutoAndNoCudaIsAnError() {
        var cuda = Devices.backends().stream().filter(b -> b.name().equals("cuda")).findFirst();
        assumeFalse(cuda.isPresent() && Devices.probeSafely(cuda.get()).available(), "a CUDA device is available here");
        CliRun r = CliRun.of("train", "--device", "auto", "--tf32", "--epochs", "1");
        assertEquals(2, r.exitCode(), r.err());
        assertEquals(1, r.errLines(), r.err());
        assertTrue(r.err().contains("--tf32 needs a CUDA device"), r.err());
        assertFalse(r.out().contains("epoch 1"), "must not have trained: " + r.out());
        assertNull(System.getProperty(DeviceConfig.TF32_PROPERTY), "the CLI must not set a global property");
    }
}
