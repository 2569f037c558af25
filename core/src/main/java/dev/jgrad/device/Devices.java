package dev.jgrad.device;

import dev.jgrad.spi.Backend;
import dev.jgrad.spi.DeviceKernels;
import dev.jgrad.spi.Probe;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.function.Consumer;

/**
 * Finds the backends on the class path and opens the device a program asks for:
 * <pre>{@code
 * try (Device device = Devices.open("cpu")) { ... }
 * }</pre>
 * A device spec is {@code auto}, {@code cpu}, {@code opencl[:N]} or {@code cuda[:N]}. {@code auto} opens the
 * highest-priority backend that is available (cuda, then opencl, then cpu); a device asked for by name
 * that is unavailable is an error saying why, never a silent fallback. When the spec passed is null or
 * blank it comes from the system property {@value #PROPERTY}, else the environment variable
 * {@value #ENVIRONMENT}, else {@code auto}. Each backend is a separate artifact
 * ({@code dev.jgrad:jgrad-backend-cpu}, {@code -opencl}, {@code -cuda}) that must be on the class path.
 */
public final class Devices {
    /** System property naming the device when the program passes none. */
    public static final String PROPERTY = "jgrad.device";
    /** Environment variable naming the device when the program passes none and {@link #PROPERTY} is unset. */
    public static final String ENVIRONMENT = "JGRAD_DEVICE";

    private static final String ARTIFACT_PREFIX = "dev.jgrad:jgrad-backend-";

    private Devices() {}

    /**
     * Every backend on the class path, found with {@link ServiceLoader}, highest priority first (ties by name).
     *
     * @return a new mutable list of the backends found; empty when no backend artifact is on the class path
     */
    public static List<Backend> backends() {
        List<Backend> all = new ArrayList<>();
        for (Backend b : ServiceLoader.load(Backend.class)) all.add(b);
        all.sort(Comparator.comparingInt(Backend::priority).reversed().thenComparing(Backend::name));
        return all;
    }

    /**
     * The device spec in force when the caller gave {@code explicit}: {@code explicit} itself when it is not
     * blank, else the system property {@value #PROPERTY}, else the environment variable {@value #ENVIRONMENT},
     * else {@code auto}.
     *
     * @param explicit the spec the program passed; may be null or blank to fall back to the property,
     *                 the environment and then {@code auto}
     * @return the spec to open, trimmed and never null or blank (it is not validated here)
     */
    public static String requested(String explicit) {
        if (explicit != null && !explicit.isBlank()) return explicit.trim();
        String prop = System.getProperty(PROPERTY);
        if (prop != null && !prop.isBlank()) return prop.trim();
        String env = System.getenv(ENVIRONMENT);
        if (env != null && !env.isBlank()) return env.trim();
        return "auto";
    }

    /**
     * Opens a device with {@link DeviceConfig#defaults()}.
     *
     * @param spec {@code auto}, {@code cpu}, {@code opencl[:N]}, {@code cuda[:N]}, or null for {@link #requested}
     * @return the open device; the caller owns it and must close it
     * @throws DeviceUnavailableException when the device cannot be opened; the message says why in one line
     * @throws IllegalArgumentException when {@code spec} is malformed or a system property or environment
     *         variable read by {@link DeviceConfig#defaults()} is malformed
     */
    public static Device open(String spec) {
        return open(spec, DeviceConfig.defaults(), line -> {});
    }

    /**
     * Opens a device with the given options.
     *
     * @param spec   as for {@link #open(String)}
     * @param config the device's options; a backend rejects one it cannot honour with an
     *               {@link IllegalArgumentException}; must not be null
     * @return the open device; the caller owns it and must close it
     * @throws DeviceUnavailableException when the device cannot be opened; the message says why in one line
     * @throws IllegalArgumentException when {@code spec} is malformed, {@code config} is null or the backend
     *         rejects an option in it
     */
    public static Device open(String spec, DeviceConfig config) {
        return open(spec, config, line -> {});
    }

    /**
     * Opens a device with {@link DeviceConfig#defaults()}, telling {@code log} which device it opened and
     * why {@code auto} passed over the others (one line each).
     *
     * @param spec as for {@link #open(String)}
     * @param log  receives one human-readable line per event (device opened, backend skipped); must not be null
     * @return the open device; the caller owns it and must close it
     * @throws DeviceUnavailableException when the device cannot be opened; the message says why in one line
     * @throws IllegalArgumentException when {@code spec} or a configuration property is malformed
     */
    public static Device open(String spec, Consumer<String> log) {
        return open(spec, DeviceConfig.defaults(), log);
    }

    /**
     * Opens a device with the given options, telling {@code log} which device it opened and why {@code auto}
     * passed over the others. Every other {@code open(String, ...)} overload delegates here.
     *
     * @param spec   as for {@link #open(String)}
     * @param config the device's options; must not be null
     * @param log    receives one human-readable line per event (device opened, backend skipped); must not be null
     * @return the open device; the caller owns it and must close it
     * @throws DeviceUnavailableException when the device cannot be opened; the message says why in one line
     * @throws IllegalArgumentException when {@code spec} is malformed, {@code config} is null or the backend
     *         rejects an option in it
     */
    public static Device open(String spec, DeviceConfig config, Consumer<String> log) {
        return openSpec(requested(spec), backends(), config, log);
    }

    /**
     * Opens device {@code index} of a backend given directly (one not on the class path, or in tests).
     *
     * The backend is not probed first, and nothing is logged.
     *
     * @param backend the backend to open a device of; must not be null
     * @param index   the position, from 0, among the devices its probe lists
     * @param config  the device's options; must not be null
     * @return the open device, with id {@code backend.name() + ":" + index} in error messages; the caller owns it
     * @throws DeviceUnavailableException when the backend fails to link (a missing native library)
     * @throws IllegalArgumentException when {@code config} is null or the backend rejects an option in it
     */
    public static Device open(Backend backend, int index, DeviceConfig config) {
        return Device.of(openKernels(backend, backend.name() + ":" + index, index, config), config);
    }

    /**
     * {@link #openSpec(String, List, DeviceConfig, Consumer)} with {@link DeviceConfig#defaults()}.
     *
     * @param spec     a device spec as for {@link #open(String)}, but not null: it is used as given, without
     *                 consulting {@link #requested}
     * @param backends the backends to choose among, highest priority first (as {@link #backends()} orders them)
     * @param log      receives one human-readable line per event (device opened, backend skipped)
     * @return the open device; the caller owns it and must close it
     * @throws DeviceUnavailableException when the device cannot be opened; the message says why in one line
     * @throws IllegalArgumentException when {@code spec} or a configuration property is malformed
     */
    public static Device openSpec(String spec, List<Backend> backends, Consumer<String> log) {
        return openSpec(spec, backends, DeviceConfig.defaults(), log);
    }

    /**
     * Opens {@code spec} among an explicit list of backends (for tests and tools that assemble their own list).
     * {@code auto} tries each backend in list order and opens device 0 of the first that is available, suits
     * {@code auto} and opens without error, logging why it skipped the others; a named backend must be in the
     * list, available and have the requested device index.
     *
     * @param spec     a device spec ({@code auto}, {@code cpu}, {@code opencl[:N]}, {@code cuda[:N]}); not null,
     *                 used as given without consulting {@link #requested}
     * @param backends the backends to choose among, highest priority first (as {@link #backends()} orders them)
     * @param config   the device's options; must not be null
     * @param log      receives one human-readable line per event (device opened, backend skipped)
     * @return the open device; the caller owns it and must close it
     * @throws DeviceUnavailableException when the named backend is not in the list, is unavailable or lacks
     *         the device index, or when {@code auto} finds no usable backend; the message says why
     * @throws IllegalArgumentException when {@code spec} is malformed, {@code config} is null or the backend
     *         rejects an option in it
     */
    public static Device openSpec(String spec, List<Backend> backends, DeviceConfig config, Consumer<String> log) {
        DeviceSpec parsed = DeviceSpec.parse(spec);
        if (parsed.isAuto()) return openAuto(backends, config, log);
        Backend backend = backends.stream().filter(b -> b.name().equals(parsed.backend())).findFirst()
                .orElseThrow(() -> new DeviceUnavailableException(notOnClassPath(spec, parsed.backend(), backends)));
        Probe probe = probeSafely(backend);
        if (!probe.available()) {
            throw new DeviceUnavailableException("device '" + spec + "' is unavailable: " + probe.unavailableReason());
        }
        int index = parsed.index();
        if (index >= probe.devices().size()) {
            throw new DeviceUnavailableException("device '" + spec + "' does not exist: " + backend.name() + " has "
                    + probe.devices().size() + " device(s), numbered from 0");
        }
        Device device = Device.of(openKernels(backend, spec, index, config), config);
        log.accept("using device " + device.info().id() + " (" + device.info().name() + ")");
        return device;
    }

    private static DeviceKernels openKernels(Backend backend, String spec, int index, DeviceConfig config) {
        if (config == null) throw new IllegalArgumentException("config must not be null (use DeviceConfig.defaults())");
        try {
            return backend.open(index, config);
        } catch (LinkageError e) {
            throw new DeviceUnavailableException("device '" + spec + "' is unavailable: " + oneLine(e), e);
        }
    }

    private static String notOnClassPath(String spec, String name, List<Backend> backends) {
        if (backends.isEmpty()) {
            return "device '" + spec + "': no jgrad backend is on the class path; add the artifact "
                    + ARTIFACT_PREFIX + (KNOWN.contains(name) ? name : "cpu");
        }
        String present = String.join(", ", backends.stream().map(Backend::name).toList());
        if (KNOWN.contains(name)) {
            return "device '" + spec + "': the " + name + " backend is not on the class path (found: " + present
                    + "); add the artifact " + ARTIFACT_PREFIX + name;
        }
        return "unknown device '" + spec + "': expected auto or one of "
                + String.join(", ", backends.stream().map(b -> b.name() + "[:N]").toList());
    }

    private static final List<String> KNOWN = List.of("cpu", "opencl", "cuda");

    private static Device openAuto(List<Backend> backends, DeviceConfig config, Consumer<String> log) {
        if (backends.isEmpty()) {
            throw new DeviceUnavailableException("no usable device: no jgrad backend is on the class path; add the artifact "
                    + ARTIFACT_PREFIX + "cpu (or -opencl, -cuda)");
        }
        List<String> skipped = new ArrayList<>();
        for (Backend backend : backends) {
            String reason;
            Probe probe = probeSafely(backend);
            if (!probe.available()) {
                reason = probe.unavailableReason();
            } else if ((reason = autoSkipReasonSafely(backend)) == null) {
                try {
                    Device device = Device.of(backend.open(0, config), config);
                    log.accept("using device " + device.info().id() + " (" + device.info().name() + ")");
                    return device;
                } catch (RuntimeException | LinkageError e) {
                    reason = oneLine(e);
                }
            }
            log.accept("auto: skipping " + backend.name() + ": " + reason);
            skipped.add(backend.name() + ": " + reason);
        }
        throw new DeviceUnavailableException("no usable device (auto skipped every backend): " + String.join("; ", skipped));
    }

    /**
     * Probes a backend, turning anything a buggy backend throws (or a null probe) into an unavailable result,
     * so that listing or choosing devices never fails because of one backend.
     *
     * @param backend the backend to probe; must not be null
     * @return the backend's probe, or an unavailable probe whose reason says what went wrong; never null
     */
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

    /**
     * A parsed device spec: {@code auto}, or a backend name with a device index.
     *
     * @param backend the backend name in lower case ({@code cpu}, {@code opencl}, {@code cuda}, or any other
     *                name a backend may use), or {@code auto}
     * @param index   the device index within the backend, from 0; 0 when the spec has none and for {@code auto}
     */
    public record DeviceSpec(String backend, int index) {
        /**
         * Whether this spec asks for the best available device rather than a named one.
         *
         * @return true when {@link #backend()} is {@code auto}
         */
        public boolean isAuto() {
            return backend.equals("auto");
        }

        /**
         * Parses a device spec such as {@code auto}, {@code cpu}, {@code cuda:1} or {@code OpenCL:0}
         * (case-insensitive, surrounding blanks ignored). Only the syntax is checked: whether a backend of
         * that name exists is decided when the device is opened.
         *
         * @param spec the text to parse; must not be null
         * @return the backend name in lower case and the index ({@code 0} when the spec has no {@code :N})
         * @throws IllegalArgumentException when the name is not a lower-case identifier or the index is not a
         *         non-negative integer
         */
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
