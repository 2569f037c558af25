package dev.jgrad.device;

import dev.jgrad.spi.Backend;
import dev.jgrad.spi.Probe;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.function.Consumer;

/**
 * Finds backends and opens the device a user asked for. The request comes from, in this order: the
 * caller (API argument, CLI {@code --device}), the system property {@code jgrad.device}, the environment
 * variable {@code JGRAD_DEVICE}, else {@code auto}.
 */
public final class Devices {
    public static final String PROPERTY = "jgrad.device";
    public static final String ENVIRONMENT = "JGRAD_DEVICE";

    private Devices() {}

    /** Every backend on the class path, highest priority first. */
    public static List<Backend> backends() {
        List<Backend> all = new ArrayList<>();
        for (Backend b : ServiceLoader.load(Backend.class)) all.add(b);
        all.sort(Comparator.comparingInt(Backend::priority).reversed().thenComparing(Backend::name));
        return all;
    }

    /** The device spec in force when the caller gave {@code explicit} (which may be null). */
    public static String requested(String explicit) {
        if (explicit != null && !explicit.isBlank()) return explicit.trim();
        String prop = System.getProperty(PROPERTY);
        if (prop != null && !prop.isBlank()) return prop.trim();
        String env = System.getenv(ENVIRONMENT);
        if (env != null && !env.isBlank()) return env.trim();
        return "auto";
    }

    /** Opens the device named by {@link #requested(String)}, logging auto's choices to {@code log}. */
    public static Device open(String explicit, Consumer<String> log) {
        return openSpec(requested(explicit), backends(), log);
    }

    /** Opens {@code spec} among {@code backends}; {@code auto} picks the best available and logs why it skipped others. */
    public static Device openSpec(String spec, List<Backend> backends, Consumer<String> log) {
        DeviceSpec parsed = DeviceSpec.parse(spec);
        if (parsed.isAuto()) return openAuto(backends, log);
        Backend backend = backends.stream().filter(b -> b.name().equals(parsed.backend())).findFirst()
                .orElseThrow(() -> new DeviceUnavailableException("unknown device '" + spec + "': expected auto or one of "
                        + String.join(", ", backends.stream().map(b -> b.name() + "[:N]").toList())));
        Probe probe = probeSafely(backend);
        if (!probe.available()) {
            throw new DeviceUnavailableException("device '" + spec + "' is unavailable: " + probe.unavailableReason());
        }
        int index = parsed.index();
        if (index >= probe.devices().size()) {
            throw new DeviceUnavailableException("device '" + spec + "' does not exist: " + backend.name() + " has "
                    + probe.devices().size() + " device(s), numbered from 0");
        }
        Device device = backend.open(index);
        log.accept("using device " + device.info().id() + " (" + device.info().name() + ")");
        return device;
    }

    private static Device openAuto(List<Backend> backends, Consumer<String> log) {
        for (Backend backend : backends) {
            Probe probe = probeSafely(backend);
            if (!probe.available()) {
                log.accept("auto: skipping " + backend.name() + ": " + probe.unavailableReason());
                continue;
            }
            String pass = autoSkipReasonSafely(backend);
            if (pass != null) {
                log.accept("auto: skipping " + backend.name() + ": " + pass);
                continue;
            }
            try {
                Device device = backend.open(0);
                log.accept("using device " + device.info().id() + " (" + device.info().name() + ")");
                return device;
            } catch (RuntimeException | LinkageError e) {
                log.accept("auto: skipping " + backend.name() + ": " + oneLine(e));
            }
        }
        throw new DeviceUnavailableException("no usable device: every backend was skipped");
    }

    /** Probes, turning anything a buggy backend throws into an unavailable result. */
    public static Probe probeSafely(Backend backend) {
        try {
            Probe p = backend.probe();
            return p != null ? p : Probe.unavailable(backend.name(), "probe returned nothing");
        } catch (RuntimeException | LinkageError e) {
            return Probe.unavailable(backend.name(), "probe failed: " + oneLine(e));
        }
    }

    private static String autoSkipReasonSafely(Backend backend) {
        try {
            return backend.autoSkipReason();
        } catch (RuntimeException | LinkageError e) {
            return "could not tell whether it suits auto: " + oneLine(e);
        }
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage();
        return (m == null || m.isBlank() ? e.getClass().getSimpleName() : m).lines().findFirst().orElse("").trim();
    }

    /** A parsed device spec: {@code auto}, or a backend name with a device index. */
    public record DeviceSpec(String backend, int index) {
        public boolean isAuto() {
            return backend.equals("auto");
        }

        public static DeviceSpec parse(String spec) {
            String s = spec.trim().toLowerCase(Locale.ROOT);
            if (s.equals("auto")) return new DeviceSpec("auto", 0);
            String name = s;
            int index = 0;
            int colon = s.indexOf(':');
            if (colon >= 0) {
                name = s.substring(0, colon);
                try {
                    index = Integer.parseInt(s.substring(colon + 1));
                } catch (NumberFormatException e) {
                    index = -1;
                }
            }
            if (!name.matches("[a-z][a-z0-9_]*") || index < 0) {
                throw new IllegalArgumentException("unknown device '" + spec
                        + "': expected auto, cpu, cuda[:N] or opencl[:N]");
            }
            return new DeviceSpec(name, index);
        }
    }
}
