package dev.jgrad.cli;

import dev.jgrad.device.Device;
import dev.jgrad.device.Devices;
import dev.jgrad.cuda.CudaDevice;
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

    /** Opens the requested device (auto logs its choices to {@code log}) with the requested CPU threads and TF32 choice. */
    Device open(Consumer<String> log) {
        validate();
        if (threads != null) System.setProperty("jgrad.cpu.threads", threads.toString());
        if (!tf32) return Devices.open(device, log);
        // the CUDA device reads its opt-in when it opens; the property is put back so nothing else opens with it
        String previous = System.getProperty(CudaDevice.TF32_PROPERTY);
        Device opened;
        System.setProperty(CudaDevice.TF32_PROPERTY, "true");
        try {
            opened = Devices.open(device, log);
        } finally {
            if (previous == null) System.clearProperty(CudaDevice.TF32_PROPERTY);
            else System.setProperty(CudaDevice.TF32_PROPERTY, previous);
        }
        if (!(opened instanceof CudaDevice)) {
            String id = opened.info().id();
            opened.close();
            throw notCuda(id);
        }
        return opened;
    }

    private static IllegalArgumentException notCuda(String device) {
        return new IllegalArgumentException("--tf32 needs a CUDA device (--device cuda[:N]), but the device is '" + device + "'");
    }
}
