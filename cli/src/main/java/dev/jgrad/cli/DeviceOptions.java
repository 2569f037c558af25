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

    /** Rejects a bad --threads, and --tf32 with a device that is not CUDA, before any work is done. */
    void validate() {
        if (threads != null && threads < 1) throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
        if (tf32) {
            String requested = Devices.requested(device);
            Devices.DeviceSpec spec = Devices.DeviceSpec.parse(requested);
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

    /** Opens the requested device (auto logs its choices to {@code log}) with the requested CPU threads and TF32 choice. */
    Device open(Consumer<String> log) {
        validate();
        DeviceConfig config = config();
        String requested = Devices.requested(device);
        try {
            return Devices.open(requested, config, log);
        } catch (IllegalArgumentException | DeviceUnavailableException e) {
            // a backend refused TF32 (auto tries each in turn): say it with the flag that asked for it
            boolean autoFoundNoCuda = e instanceof DeviceUnavailableException && Devices.DeviceSpec.parse(requested).isAuto();
            if (config.tf32() && (autoFoundNoCuda || String.valueOf(e.getMessage()).startsWith("TF32"))) throw notCuda(requested);
            throw e;
        }
    }

    private static IllegalArgumentException notCuda(String device) {
        return new IllegalArgumentException("--tf32 needs a CUDA device (--device cuda[:N]), but the device is '" + device + "'");
    }
}
