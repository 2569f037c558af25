package dev.jgrad.cli;

import dev.jgrad.backend.Device;
import dev.jgrad.backend.Devices;
import picocli.CommandLine.Option;

import java.util.function.Consumer;

/** {@code --device} and {@code --threads}, shared by every command that computes on a device. */
final class DeviceOptions {
    @Option(names = "--device", paramLabel = "DEVICE",
            description = "auto, cpu, cuda[:N] or opencl[:N]; else -Djgrad.device, else $JGRAD_DEVICE, else auto.")
    String device;

    @Option(names = "--threads", description = "CPU threads (default: all cores).")
    Integer threads;

    /** Rejects a bad --threads before any work is done. */
    void validate() {
        if (threads != null && threads < 1) throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
    }

    /** Opens the requested device (auto logs its choices to {@code log}) with the requested CPU threads. */
    Device open(Consumer<String> log) {
        validate();
        if (threads != null) System.setProperty("jgrad.cpu.threads", threads.toString());
        return Devices.open(device, log);
    }
}
