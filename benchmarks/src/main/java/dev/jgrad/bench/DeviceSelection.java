package dev.jgrad.bench;

import dev.jgrad.spi.Backend;
import dev.jgrad.device.DeviceInfo;
import dev.jgrad.device.Devices;
import dev.jgrad.spi.Probe;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The devices a bench run asks for. {@code all} is every device of every available backend (the CPU first,
 * as the baseline), and the unavailable backends with their reasons. A list ({@code cpu,opencl:0,cuda}) is
 * taken as written: whether each device is there is found out when it is opened, so a missing one is
 * reported and the rest are benched. Bad syntax or a backend name jgrad does not have is bad input.
 *
 * @param specs       device specs to open, in order, without duplicates
 * @param unavailable backends {@code all} found unusable
 */
public record DeviceSelection(List<String> specs, List<UnavailableDevice> unavailable) {

    public DeviceSelection {
        specs = List.copyOf(specs);
        unavailable = List.copyOf(unavailable);
    }

    public static DeviceSelection parse(String list, List<Backend> backends) {
        String s = list == null ? "all" : list.trim().toLowerCase(Locale.ROOT);
        if (s.isEmpty() || s.equals("all")) return all(backends);
        Set<String> specs = new LinkedHashSet<>();
        for (String raw : s.split(",", -1)) {
            String tok = raw.trim();
            if (tok.isEmpty()) throw new IllegalArgumentException("--devices '" + list + "' has an empty entry");
            if (tok.equals("all") || tok.equals("auto")) {
                throw new IllegalArgumentException("--devices '" + list + "': '" + tok + "' cannot be part of a list; use --devices all alone");
            }
            Devices.DeviceSpec spec = Devices.DeviceSpec.parse(tok);
            if (backends.stream().noneMatch(b -> b.name().equals(spec.backend()))) {
                throw new IllegalArgumentException("unknown device '" + tok + "': expected all or a list of "
                        + String.join(", ", backends.stream().map(b -> b.name().equals("cpu") ? "cpu" : b.name() + "[:N]").toList()));
            }
            specs.add(spec.backend() + ":" + spec.index());
        }
        // cpu:0 is written cpu, as its device id is
        return new DeviceSelection(specs.stream().map(x -> x.equals("cpu:0") ? "cpu" : x).toList(), List.of());
    }

    private static DeviceSelection all(List<Backend> backends) {
        List<String> specs = new ArrayList<>();
        List<UnavailableDevice> unavailable = new ArrayList<>();
        List<Backend> cpuFirst = backends.stream().sorted(Comparator.comparing(b -> !b.name().equals("cpu"))).toList();
        for (Backend b : cpuFirst) {
            Probe p = Devices.probeSafely(b);
            if (!p.available()) {
                unavailable.add(new UnavailableDevice(b.name(), p.unavailableReason()));
                continue;
            }
            for (DeviceInfo d : p.devices()) specs.add(d.id());
        }
        return new DeviceSelection(specs, unavailable);
    }
}
