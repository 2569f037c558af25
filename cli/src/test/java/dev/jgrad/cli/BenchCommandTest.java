package dev.jgrad.cli;

import com.fasterxml.jackson.jr.ob.JSON;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchCommandTest {

    @Test
    void benchesTheDevicesThatExistNamesTheOneThatDoesNotAndWritesReportAndChart(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("bench.json");
        Path chart = dir.resolve("bench.svg");
        Path png = dir.resolve("bench.png");
        // cpu:1 never exists (the CPU is cpu:0), on any machine
        CliRun r = CliRun.of("bench", "--quick", "--devices", "cpu,cpu:1", "--suite", "gemm,transfer", "--sizes", "32,32",
                "--repeats", "2", "--report", report.toString(), "--chart", chart.toString(), "--chart", png.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().lines().anyMatch(l -> l.startsWith("skipping cpu:1: ") && l.contains("does not exist")), r.err());
        assertTrue(r.out().contains("not benched: cpu:1: "), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("gemm") && l.contains("square 32") && l.contains("1.00x")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("transfer") && l.contains("host to device") && l.contains("GB/s")), r.out());

        Map<String, Object> json = JSON.std.mapFrom(Files.readString(report));
        List<?> results = (List<?>) json.get("results");
        assertEquals(1 + 6 + 2, results.size(), "one square size (given twice, benched once), six MLP shapes, two transfer directions");
        for (Object o : results) {
            Map<?, ?> fig = (Map<?, ?>) o;
            assertEquals("ok", fig.get("status"), fig.toString());
            assertEquals(2, ((Number) fig.get("repeats")).intValue());
            double min = ((Number) fig.get("min")).doubleValue();
            double median = ((Number) fig.get("median")).doubleValue();
            double max = ((Number) fig.get("max")).doubleValue();
            assertTrue(0 < min && min <= median && median <= max, fig.toString());
        }
        assertEquals("cpu:1", ((Map<?, ?>) ((List<?>) json.get("unavailable")).get(0)).get("device"));
        String svg = Files.readString(chart);
        assertTrue(svg.contains("<svg") && svg.trim().endsWith("</svg>"));
        assertTrue(Files.size(png) > 1000);
        assertTrue(r.out().contains("wrote chart " + png), r.out());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--devices|cpu:x|unknown device 'cpu:x'",
            "--devices|tpu|unknown device 'tpu'",
            "--devices|cpu,,cpu|empty entry",
            "--suite|gemm,matmul|unknown suite 'matmul'",
            "--sizes|64,big|'big' is not a size",
            "--sizes|0|0 is not in [1, 16384]",
            "--repeats|0|--repeats must be at least 1",
            "--chart|bench.jpg|must end in .svg or .png"})
    void badInputIsOneLineAndExitCode2(String option, String value, String expected) {
        CliRun r = CliRun.of("bench", "--quick", option, value);
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertEquals(1, r.errLines(), r.err());
        assertTrue(r.err().contains(expected), r.err());
        assertFalse(r.out().contains("SUITE"), "nothing was benched:\n" + r.out());
    }

    @Test
    void whenNoDeviceCanBeBenchedItSaysWhyAndExits2() {
        CliRun r = CliRun.of("bench", "--quick", "--devices", "cpu:3");
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("no device could be benched: cpu:3: "), r.err());
    }
}
