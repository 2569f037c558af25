package dev.jgrad.cli;

import dev.jgrad.device.Device;
import dev.jgrad.device.DeviceConfig;
import dev.jgrad.device.DeviceUnavailableException;
import dev.jgrad.device.Devices;
import picocli.CommandLine.Option;

import java.util.function.Consumer;

/** {@code --device}, {@code --threads} and {@code --tf32}, shared by every command that computes on a device. */
final class DeviceOptions {
    @Option(names = "--device", paramLabel = "DEVICE",
            description = "auto, cpu, cuda[:N] or opencl[:N]; else -Djgrad.device, else $JGRAD_DEVICE, else auto.")
    String device;

    @Option(names = "--threads", description = "CPU threads (default: all cores).")
    Integer threads;

    @Option(names = "--tf32",
            description = "CUDA only: run large matrix products on TF32 tensor cores (inputs rounded to 10 mantissa bits; "
                    + "error bound in backend-cuda/README.md). An error on any other device.")
    boolean tf32;

    /** More threads than this many per core only add switching: a typo, not a setting. */
    static final int MAX_THREADS_PER_CORE = 4;

    /** Rejects a bad --threads, and --tf32 with a device that is not CUDA, before any work is done. */
    void validate() {
        int cores = Runtime.getRuntime().availableProcessors();
        if (threads != null && !(threads >= 1 && threads <= MAX_THREADS_PER_CORE * cores)) {
            throw new IllegalArgumentException("--threads must be in [1, " + MAX_THREADS_PER_CORE * cores + "] (" + MAX_THREADS_PER_CORE
                    + " per core; this machine has " + cores + "), got " + threads);
        }
        if (tf32) {
            String requested = Devices.requested(device);
            Devices.DeviceSpec spec;
            try {
                spec = Devices.DeviceSpec.parse(requested);
            } catch (RuntimeException e) {
                throw namingTheSource(e);
            }
            if (!spec.isAuto() && !spec.backend().equals("cuda")) throw notCuda(requested);
        }
    }

    /** The device options these flags ask for, over the defaults that system properties and the environment give. */
    DeviceConfig config() {
        DeviceConfig c = DeviceConfig.defaults();
        if (threads != null) c = c.withThreads(threads);
        if (tf32) c = c.withTf32(true);
        return c;
    }

    /** The device spec in force: the flag's, else the system property's or the environment's, else auto. */
    String requested() {
        return Devices.requested(device);
    }

    /** Opens the requested device (auto logs its choices to {@code log}) with the requested CPU threads and TF32 choice. */
    Device open(Consumer<String> log) {
        validate();
        int cores = Runtime.getRuntime().availableProcessors();
        if (threads != null && threads > cores) {
            log.accept("warning: --threads " + threads + " is more than the " + cores + " cores; the extra threads wait for a core");
        }
        DeviceConfig config = config();
        String requested = Devices.requested(device);
        try {
            return Devices.open(requested, config, log);
        } catch (IllegalArgumentException | DeviceUnavailableException e) {
            // a backend refused TF32 (auto tries each in turn): say it with the flag that asked for it
            boolean autoFoundNoCuda = e instanceof DeviceUnavailableException && Devices.DeviceSpec.parse(requested).isAuto();
            if (config.tf32() && (autoFoundNoCuda || String.valueOf(e.getMessage()).startsWith("TF32"))) throw notCuda(requested);
            throw namingTheSource(e);
        }
    }

    /** A bad device request that came from the system property or the environment says so: the user typed no flag. */
    private RuntimeException namingTheSource(RuntimeException e) {
        if (device != null && !device.isBlank()) return e;
        String prop = System.getProperty(Devices.PROPERTY);
        String env = System.getenv(Devices.ENVIRONMENT);
        String source = prop != null && !prop.isBlank() ? "-D" + Devices.PROPERTY + "=" + prop.trim()
                : env != null && !env.isBlank() ? "environment variable " + Devices.ENVIRONMENT + "=" + env.trim() : null;
        if (source == null) return e;
        String message = source + ": " + e.getMessage();
        if (e instanceof DeviceUnavailableException) return new DeviceUnavailableException(message);
        if (e instanceof IllegalArgumentException) return new IllegalArgumentException(message);
        return e;
    }

    private static IllegalArgumentException notCuda(String device) {
        return new IllegalArgumentException("--tf32 needs a CUDA device (--device cuda[:N]), but the device is '" + device + "'");
    }
}
