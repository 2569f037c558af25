package dev.jgrad.bench;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.jgrad.device.DeviceInfo;
import dev.jgrad.io.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The JSON form of a report. Every timed figure has its unit, median, min, max and repeats; a figure that was
 * not timed has its status ({@code failed} or {@code error}) and the reason instead.
 */
public final class ReportJson {
    private ReportJson() {}

    public static Map<String, Object> toMap(BenchReport report) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("created", report.created().toString());
        root.put("host", report.host());
        BenchConfig c = report.config();
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("suites", c.suites().stream().sorted().map(Suite::id).toList());
        config.put("gemm_sizes", c.gemmSizes());
        config.put("repeats", c.repeats());
        config.put("repeat_seconds", c.repeatSeconds());
        config.put("warmup_seconds", c.warmupSeconds());
        config.put("elementwise_length", c.elementwiseLength());
        config.put("transfer_length", c.transferLength());
        config.put("seed", c.seed());
        config.put("check", "every figure's output is compared with the CPU backend's before timing: "
                + "max |device - cpu| / (1 + |cpu|) <= tolerance, else the figure is failed and not timed");
        root.put("config", config);
        List<Object> devices = new ArrayList<>();
        for (DeviceInfo d : report.devices()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", d.id());
            m.put("name", d.name());
            m.put("details", d.details());
            m.put("memory_bytes", d.memoryBytes());
            devices.add(m);
        }
        root.put("devices", devices);
        List<Object> unavailable = new ArrayList<>();
        for (UnavailableDevice u : report.unavailable()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("device", u.device());
            m.put("reason", u.reason());
            unavailable.add(m);
        }
        root.put("unavailable", unavailable);
        List<Object> results = new ArrayList<>();
        for (BenchResult r : report.results()) results.add(result(report, r));
        root.put("results", results);
        return root;
    }

    private static Map<String, Object> result(BenchReport report, BenchResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("device", r.device());
        m.put("suite", r.suite().id());
        m.put("case", r.caseName());
        m.put("detail", r.detail());
        m.put("status", r.status().name().toLowerCase(java.util.Locale.ROOT));
        m.put("unit", r.unit());
        if (r.ok()) {
            m.put("median", r.stats().median());
            m.put("min", r.stats().min());
            m.put("max", r.stats().max());
            m.put("repeats", r.stats().repeats());
            OptionalDouble ratio = report.ratioToCpu(r);
            if (ratio.isPresent()) m.put("vs_cpu", ratio.getAsDouble());
        } else {
            m.put("reason", r.reason());
        }
        if (!Double.isNaN(r.maxError())) m.put("max_error", Double.isFinite(r.maxError()) ? r.maxError() : "inf");
        m.put("tolerance", r.tolerance());
        return m;
    }

    public static String toJson(BenchReport report) throws IOException {
        return JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT).asString(toMap(report)) + "\n";
    }

    /** Writes the report to {@code file} atomically (a reader never sees half of it). */
    public static void write(BenchReport report, Path file) throws IOException {
        AtomicFiles.write(file, toJson(report).getBytes(StandardCharsets.UTF_8));
    }
}
