package dev.jgrad.bench;

import com.fasterxml.jackson.jr.ob.JSON;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportJsonTest {

    @Test
    @SuppressWarnings("unchecked")
    void everyTimedFigureHasMedianMinMaxAndRepeatsAndEveryFailureItsReason(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bench.json");
        ReportJson.write(SampleReports.mixed(), file);
        Map<String, Object> root = JSON.std.mapFrom(Files.readString(file));

        assertEquals(List.of("created", "host", "config", "devices", "unavailable", "results"), List.copyOf(root.keySet()));
        Map<String, Object> config = (Map<String, Object>) root.get("config");
        assertEquals(List.of("gemm", "elementwise", "transfer", "train"), config.get("suites"));
        assertEquals(3, ((Number) config.get("repeats")).intValue());
        List<Map<String, Object>> devices = (List<Map<String, Object>>) root.get("devices");
        assertEquals("opencl:0", devices.get(1).get("id"));
        List<Map<String, Object>> unavailable = (List<Map<String, Object>>) root.get("unavailable");
        assertEquals(Map.of("device", "cuda", "reason", "libcuda.so.1 not found"), unavailable.get(0));

        List<Map<String, Object>> results = (List<Map<String, Object>>) root.get("results");
        assertEquals(4, results.size());
        Map<String, Object> cpuGemm = results.get(0);
        assertEquals("ok", cpuGemm.get("status"));
        assertEquals("GFLOP/s", cpuGemm.get("unit"));
        assertEquals(20.0, ((Number) cpuGemm.get("median")).doubleValue());
        assertEquals(18.0, ((Number) cpuGemm.get("min")).doubleValue());
        assertEquals(21.0, ((Number) cpuGemm.get("max")).doubleValue());
        assertEquals(3, ((Number) cpuGemm.get("repeats")).intValue());
        assertEquals(1.0, ((Number) cpuGemm.get("vs_cpu")).doubleValue());

        Map<String, Object> failed = results.get(1);
        assertEquals("failed", failed.get("status"));
        assertTrue(((String) failed.get("reason")).startsWith("wrong result"));
        for (String timedOnly : List.of("median", "min", "max", "repeats", "vs_cpu")) assertFalse(failed.containsKey(timedOnly), timedOnly);
        assertEquals(0.5, ((Number) failed.get("max_error")).doubleValue());

        Map<String, Object> slowTrain = results.get(3);
        assertEquals("samples/s", slowTrain.get("unit"));
        assertEquals(0.5, ((Number) slowTrain.get("vs_cpu")).doubleValue(), 1e-12);
    }
}
