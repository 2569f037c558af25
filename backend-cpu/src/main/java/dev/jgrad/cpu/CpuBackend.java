package dev.jgrad.cpu;

import dev.jgrad.spi.Backend;
import dev.jgrad.device.Device;
import dev.jgrad.device.DeviceInfo;
import dev.jgrad.device.DeviceUnavailableException;
import dev.jgrad.spi.Probe;

import java.util.List;

/** The reference backend, always available: Java Vector API kernels on a pool of threads. */
public final class CpuBackend implements Backend {
    /** System property for the number of threads; defaults to the available processors. */
    public static final String THREADS_PROPERTY = "jgrad.cpu.threads";

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public Probe probe() {
        try {
            return Probe.available(name(), List.of(info(threads())));
        } catch (RuntimeException | LinkageError e) {
            return Probe.unavailable(name(), "Vector API unusable: " + e);
        }
    }

    @Override
    public Device open(int index) {
        if (index != 0) throw new DeviceUnavailableException("device 'cpu:" + index + "' does not exist: the CPU is cpu:0");
        return new CpuDevice(info(threads()), threads());
    }

    static int threads() {
        String p = System.getProperty(THREADS_PROPERTY);
        int n = Runtime.getRuntime().availableProcessors();
        if (p != null && !p.isBlank()) {
            try {
                n = Integer.parseInt(p.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(THREADS_PROPERTY + "='" + p + "' is not a number");
            }
            if (n < 1) throw new IllegalArgumentException(THREADS_PROPERTY + " must be at least 1, got " + n);
        }
        return n;
    }

    static DeviceInfo info(int threads) {
        int bits = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize();
        return new DeviceInfo("cpu", CpuModel.name(), Runtime.getRuntime().maxMemory(),
                threads + " thread(s), " + bits + "-bit vectors (" + (bits / 32) + " floats)");
    }
}
