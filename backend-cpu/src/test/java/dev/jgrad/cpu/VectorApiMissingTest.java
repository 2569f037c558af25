package dev.jgrad.cpu;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A program started without {@code --add-modules jdk.incubator.vector}, as an embedding program or
 * {@code mvn exec:java} is unless told: opening the CPU device fails with one line that names the flag.
 */
class VectorApiMissingTest {

    @Test
    void theErrorNamesTheJvmFlagToAdd() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                OpenWithoutVectorApi.class.getName());
        pb.environment().remove("JDK_JAVA_OPTIONS");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("JGRAD_DEVICE");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM timed out");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        List<String> cpu = out.lines().filter(l -> l.startsWith("cpu: ")).toList();
        assertEquals(1, cpu.size(), out);
        assertEquals("cpu: DeviceUnavailableException: device 'cpu' is unavailable: " + CpuBackend.NO_VECTOR_API, cpu.get(0));
        List<String> auto = out.lines().filter(l -> l.startsWith("auto: ")).toList();
        assertEquals(1, auto.size(), out);
        assertTrue(auto.get(0).contains("cpu: " + CpuBackend.NO_VECTOR_API), auto.get(0));
    }
}
