package dev.jgrad.cli;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.jgrad.device.DeviceConfig;
import dev.jgrad.device.Devices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

class CliTest {

    @Test
    void devicesListsEveryBackendWithStatus() {
        CliRun r = CliRun.of("devices");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("cpu") && r.out().contains("available"), r.out());
        for (var b : Devices.backends()) assertTrue(r.out().contains(b.name()), "missing backend " + b.name() + ":\n" + r.out());
    }

    @Test
    void trainsOnDigitsAndWritesTheReport(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("r.json");
        CliRun r = CliRun.of("train", "--device", "cpu", "--threads", "2", "--epochs", "3", "--report", report.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("using device cpu"), r.out());
        assertNull(System.getProperty(DeviceConfig.THREADS_PROPERTY), "--threads must reach the device, not a global property");
        Map<String, Object> json = JSON.std.mapFrom(Files.readString(report));
        assertEquals("cpu", json.get("device"));
        List<?> epochs = (List<?>) json.get("epochs");
        assertEquals(3, epochs.size());
        Map<?, ?> last = (Map<?, ?>) epochs.get(2);
        for (String key : List.of("epoch", "loss", "train_samples_per_sec", "test_accuracy")) assertTrue(last.containsKey(key), key);
        assertTrue(((Number) last.get("test_accuracy")).doubleValue() > 0.9, "digits should be above 90% after 3 epochs: " + last);
        assertTrue(((Number) last.get("train_samples_per_sec")).doubleValue() > 0);
    }

    @Test
    void sameSeedGivesIdenticalLossAndAccuracy(@TempDir Path dir) throws Exception {
        String[] common = {"train", "--device", "cpu", "--epochs", "2", "--optimizer", "momentum", "--seed", "7"};
        Path a = dir.resolve("a.json");
        Path b = dir.resolve("b.json");
        assertEquals(0, CliRun.of(concat(common, "--report", a.toString())).exitCode());
        // the second without the JIT warm-up, which must change no result
        assertEquals(0, CliRun.of(concat(common, "--report", b.toString(), "--no-jit-warmup")).exitCode());
        List<?> ea = (List<?>) JSON.std.mapFrom(Files.readString(a)).get("epochs");
        List<?> eb = (List<?>) JSON.std.mapFrom(Files.readString(b)).get("epochs");
        for (int i = 0; i < ea.size(); i++) {
            for (String key : List.of("loss", "test_loss", "test_accuracy")) {
                assertEquals(((Map<?, ?>) ea.get(i)).get(key), ((Map<?, ?>) eb.get(i)).get(key), key + " of epoch " + (i + 1));
            }
        }
    }

    @Test
    void autoSaysWhyItSkippedEachBackend() {
        CliRun r = CliRun.of("train", "--device", "auto", "--epochs", "1");
        assertEquals(0, r.exitCode(), r.err());
        for (var b : Devices.backends()) {
            var probe = Devices.probeSafely(b);
            if (!probe.available()) assertTrue(r.out().contains("auto: skipping " + b.name() + ": "), r.out());
        }
        assertTrue(r.out().contains("using device "), r.out());
    }

    @Test
    void unavailableCudaIsAnErrorNotAFallback() {
        var cuda = Devices.backends().stream().filter(b -> b.name().equals("cuda")).findFirst();
        assumeFalse(cuda.isPresent() && Devices.probeSafely(cuda.get()).available(), "a CUDA device is available here");
        CliRun r = CliRun.of("train", "--device", "cuda", "--epochs", "1");
        assertEquals(2, r.exitCode());
        assertEquals(1, r.errLines(), r.err());
        assertTrue(r.err().contains("cuda"), r.err());
        assertFalse(r.out().contains("epoch 1"), "must not have trained: " + r.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "--device=gpu", "--device=cpu:3", "--device=cuda:x", "--epochs=0", "--batch=-1", "--lr=-1", "--momentum=1.5",
            "--model=mlp:abc", "--model=cnn", "--model=mlp:0", "--activation=swish", "--optimizer=lbfgs",
            "--data=/nonexistent/file.csv", "--threads=0", "--no-such-flag"})
    void badInputIsOneLineAndExitCode2(String arg) {
        CliRun r = arg.startsWith("--epochs") ? CliRun.of("train", arg) : CliRun.of("train", arg, "--epochs=1");
        assertEquals(2, r.exitCode(), arg + " -> " + r.err());
        assertEquals(1, r.errLines(), arg + " should give one line, got:\n" + r.err());
        assertTrue(r.err().startsWith("jgrad: "), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace without --verbose: " + r.err());
    }

    @Test
    void verboseAddsTheStackTrace() {
        CliRun r = CliRun.of("--verbose", "train", "--data", "/nonexistent/file.csv");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("\tat "), r.err());
    }

    /** --dataset-on-device says where the training set went and changes nothing in the numbers. */
    @Test
    void datasetOnDeviceGivesTheSameNumbersAsHostBatches(@TempDir Path dir) throws Exception {
        String[] common = {"train", "--device", "cpu", "--epochs", "2", "--optimizer", "momentum", "--seed", "3"};
        Path host = dir.resolve("host.json");
        Path resident = dir.resolve("resident.json");
        CliRun h = CliRun.of(concat(common, "--report", host.toString()));
        CliRun r = CliRun.of(concat(common, "--dataset-on-device", "--report", resident.toString()));
        assertEquals(0, h.exitCode(), h.err());
        assertEquals(0, r.exitCode(), r.err());
        assertFalse(h.out().contains("for this fit"), "the dataset stays on the host by default:\n" + h.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("training set ") && l.contains(" is on cpu for this fit")), r.out());
        List<?> eh = (List<?>) JSON.std.mapFrom(Files.readString(host)).get("epochs");
        List<?> er = (List<?>) JSON.std.mapFrom(Files.readString(resident)).get("epochs");
        assertEquals(2, er.size());
        assertEquals(Boolean.FALSE, ((Map<?, ?>) JSON.std.mapFrom(Files.readString(host)).get("config")).get("dataset_on_device"));
        assertEquals(Boolean.TRUE, ((Map<?, ?>) JSON.std.mapFrom(Files.readString(resident)).get("config")).get("dataset_on_device"));
        for (int i = 0; i < eh.size(); i++) {
            for (String key : List.of("loss", "test_loss", "test_accuracy")) {
                assertEquals(((Map<?, ?>) eh.get(i)).get(key), ((Map<?, ?>) er.get(i)).get(key), key + " of epoch " + (i + 1));
            }
        }
        assertTrue(CliRun.of("train", "--help").out().contains("--dataset-on-device"));
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
