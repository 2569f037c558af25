package dev.jgrad.cli;

import dev.jgrad.device.Device;
import dev.jgrad.device.DeviceOutOfMemoryException;
import dev.jgrad.device.Devices;
import dev.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Running out of memory is a message with the bytes asked for and free and what to try, never a dead JVM. */
class OutOfMemoryTest {

    @Test
    void aCpuBufferLargerThanTheHeapIsADeviceOutOfMemoryException() throws Exception {
        long floats = Integer.MAX_VALUE - 64;
        assumeTrue(Runtime.getRuntime().maxMemory() < 4 * floats, "the heap could hold an 8 GiB buffer");
        try (Device cpu = Devices.open("cpu", line -> {})) {
            DeviceOutOfMemoryException e = assertThrows(DeviceOutOfMemoryException.class, () -> Tensor.empty(cpu, (int) floats));
            assertEquals(4 * floats, e.requestedBytes());
            assertTrue(e.freeBytes() >= 0 && e.freeBytes() <= Runtime.getRuntime().maxMemory(), "free " + e.freeBytes());
            assertTrue(e.getMessage().startsWith("out of memory on cpu: could not allocate 8.0 GiB (" + 4 * floats + " bytes) with "),
                    e.getMessage());
            // and the JVM goes on: a normal tensor still works
            assertEquals(3, Tensor.zeros(cpu, 3).toArray().length);
        }
    }

    @Test
    void theAdviceIsABatchThatFitsTheFreeMemory() {
        DeviceOutOfMemoryException e = new DeviceOutOfMemoryException("cuda:0", 4L << 30, 1L << 30, null);
        assertEquals("out of memory on cuda:0: could not allocate 4.0 GiB (4294967296 bytes) with 1.0 GiB (1073741824 bytes) free;"
                + " try --batch 64", PersistenceOptions.outOfMemory(e, 256).getMessage());
        assertTrue(PersistenceOptions.outOfMemory(e, 256).getMessage().endsWith("try --batch 64"));
        assertTrue(PersistenceOptions.outOfMemory(e, 3).getMessage().endsWith("try --batch 1"));
        assertTrue(PersistenceOptions.outOfMemory(e, 1).getMessage().endsWith("try a smaller --model"));
        assertTrue(PersistenceOptions.outOfMemory(e, 0).getMessage().contains("parameters and optimizer state do not fit"));
        DeviceOutOfMemoryException unknown = new DeviceOutOfMemoryException("opencl:0", 1000, -1, null);
        assertTrue(unknown.getMessage().contains("free memory unknown"));
        assertTrue(PersistenceOptions.outOfMemory(unknown, 100).getMessage().endsWith("try --batch 50"));
    }

    @Test
    void theCliReportsAModelTooLargeForTheHeapInOneLine(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("oom.log");
        // 64 x 3,000,000 weights are 768 MB, in a 256 MB heap
        int code = ChildJvm.run(log, List.of("-Xmx256m"), "train", "--device", "cpu", "--model", "mlp:3000000", "--epochs", "1");
        String out = ChildJvm.output(log);
        assertEquals(2, code, out);
        String err = out.lines().filter(l -> l.startsWith("jgrad:")).reduce("", (a, b) -> a + b + "\n");
        assertEquals(1, err.lines().count(), out);
        assertTrue(err.contains("out of memory on cpu: could not allocate 732.4 MiB (768000000 bytes) with ") && err.contains("try a smaller --model"), out);
        assertFalse(out.contains("OutOfMemoryError") || out.contains("\tat "), out);
    }
}
