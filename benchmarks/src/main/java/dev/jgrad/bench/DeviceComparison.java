package dev.jgrad.bench;

import dev.jgrad.device.Device;
import dev.jgrad.device.DeviceInfo;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * Benches several devices one after the other on the same cases. A device that cannot be opened is recorded
 * with its reason and the others are benched all the same; each device is closed before the next opens, so
 * they never compete for memory or cores.
 */
public final class DeviceComparison {
    private DeviceComparison() {}

    /** A device to bench, opened only when its turn comes. */
    public record Candidate(String spec, Callable<Device> opener) {}

    /**
     * Runs {@code config} on each candidate, checking against {@code reference} (a CPU device the caller
     * owns). {@code unavailable} are devices already known to be missing, reported as such.
     */
    public static BenchReport run(List<Candidate> candidates, List<UnavailableDevice> unavailable, Device reference,
                                  BenchConfig config, Consumer<String> log) {
        List<DeviceInfo> benched = new ArrayList<>();
        List<UnavailableDevice> missing = new ArrayList<>(unavailable);
        List<BenchResult> results = new ArrayList<>();
        for (UnavailableDevice u : unavailable) log.accept("skipping " + u.device() + ": " + u.reason());
        int cpus = Runtime.getRuntime().availableProcessors();
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        if (load > cpus) {
            log.accept(String.format(Locale.ROOT, "warning: the system load average is %.1f on %d CPUs: other processes "
                    + "compete for the cores and the figures may be low and noisy", load, cpus));
        }
        DeviceBench bench = new DeviceBench(reference, config);
        for (Candidate candidate : candidates) {
            Device device;
            try {
                device = candidate.opener().call();
            } catch (Exception | LinkageError e) {
                String reason = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName()
                        : e.getMessage().lines().findFirst().orElse("").trim();
                missing.add(new UnavailableDevice(candidate.spec(), reason));
                log.accept("skipping " + candidate.spec() + ": " + reason);
                continue;
            }
            try {
                DeviceInfo info = device.info();
                benched.add(info);
                log.accept("benching " + info.id() + " (" + info.name() + ")");
                results.addAll(bench.run(device, r -> log.accept("  " + progressLine(r))));
            } finally {
                device.close();
            }
        }
        String host = String.format(Locale.ROOT, "%s %s, %d logical CPUs, Java %s%s", System.getProperty("os.name"),
                System.getProperty("os.arch"), cpus, Runtime.version(),
                load < 0 ? "" : String.format(Locale.ROOT, ", load average %.1f at start", load));
        return new BenchReport(config, Instant.now(), host, benched, missing, results);
    }

    static String progressLine(BenchResult r) {
        String what = r.suite().id() + " " + r.caseName() + ": ";
        return switch (r.status()) {
            case OK -> what + String.format(Locale.ROOT, "%s %s (min %s, max %s)", ResultTable.figure(r.stats().median()),
                    r.unit(), ResultTable.figure(r.stats().min()), ResultTable.figure(r.stats().max()));
            case FAILED -> what + "FAILED, not timed: " + r.reason();
            case ERROR -> what + "ERROR, not timed: " + r.reason();
        };
    }
}
