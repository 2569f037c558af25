package dev.jgrad.cli;

import dev.jgrad.spi.Backend;
import dev.jgrad.device.DeviceInfo;
import dev.jgrad.device.Devices;
import dev.jgrad.spi.Probe;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code jgrad devices}: every backend, available or not, with its devices or the reason. */
@Command(name = "devices", mixinStandardHelpOptions = true, description = "List every backend and its devices, or why it is unavailable.")
final class DevicesCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.out.printf("%-8s %-10s %-12s %-40s %10s  %s%n", "BACKEND", "ID", "STATUS", "NAME", "MEMORY", "DETAILS");
        for (Backend b : Devices.backends()) {
            Probe p = Devices.probeSafely(b);
            if (!p.available()) {
                System.out.printf("%-8s %-10s %-12s %-40s %10s  %s%n", b.name(), "-", "unavailable", "-", "-", p.unavailableReason());
                continue;
            }
            for (DeviceInfo d : p.devices()) {
                System.out.printf("%-8s %-10s %-12s %-40s %10s  %s%n", b.name(), d.id(), "available", d.name(),
                        memory(d.memoryBytes()), d.details());
            }
        }
        System.out.println("auto picks the available backend listed first (priority: " + String.join(" > ",
                Devices.backends().stream().map(Backend::name).toList()) + ")");
        return 0;
    }

    static String memory(long bytes) {
        if (bytes < 0) return "?";
        return String.format("%.1f GiB", bytes / (double) (1L << 30));
    }
}
