package dev.jgrad.bench;

import dev.jgrad.device.DeviceInfo;

import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;

/** Everything one bench run found: the devices benched and not, and every figure. */
public record BenchReport(BenchConfig config, Instant created, String host, List<DeviceInfo> devices,
                          List<UnavailableDevice> unavailable, List<BenchResult> results) {

    /** The id of the CPU backend's device, the baseline of every ratio. */
    public static final String CPU = "cpu";

    public BenchReport {
        devices = List.copyOf(devices);
        unavailable = List.copyOf(unavailable);
        results = List.copyOf(results);
    }

    /** {@code r}'s median over the CPU's median for the same case, when both were timed. */
    public OptionalDouble ratioToCpu(BenchResult r) {
        if (!r.ok()) return OptionalDouble.empty();
        for (BenchResult c : results) {
            if (c.device().equals(CPU) && c.suite() == r.suite() && c.caseName().equals(r.caseName()) && c.ok()) {
                return OptionalDouble.of(r.stats().median() / c.stats().median());
            }
        }
        return OptionalDouble.empty();
    }

    /** True when at least one device was benched (whatever its figures). */
    public boolean benchedAny() {
        return !devices.isEmpty();
    }

    public boolean anyFailed() {
        return results.stream().anyMatch(r -> r.status() == BenchResult.Status.FAILED);
    }
}
