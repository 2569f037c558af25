package dev.jgrad.cpu;

import dev.jgrad.spi.Backend;
import dev.jgrad.device.DeviceConfig;
import dev.jgrad.device.DeviceInfo;
import dev.jgrad.device.DeviceUnavailableException;
import dev.jgrad.spi.DeviceKernels;
import dev.jgrad.spi.Probe;

import java.util.List;

/** The reference backend, always available: Java Vector API kernels on a pool of threads. */
public final class CpuBackend implements Backend {
    /**
     * Why the backend is unusable when the JVM was started without the incubating Vector API module: the
     * one flag to add, and where it goes for the usual launchers.
     */
    static final String NO_VECTOR_API = "the Vector API is not loaded: start the JVM with --add-modules jdk.incubator.vector"
            + " (for mvn exec:java put it in .mvn/jvm.config or MAVEN_OPTS; for tests, in Surefire's argLine)";

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
            return Probe.available(name(), List.of(info(Runtime.getRuntime().availableProcessors())));
        } catch (RuntimeException | LinkageError e) {
            return Probe.unavailable(name(), whyUnusable(e));
        }
    }

    /** Its devices' kernels are Vector API code that C2 compiles while they run ({@link CpuDevice#compiledWhileRunning()}). */
    @Override
    public boolean compiledWhileRunning() {
        return true;
    }

    /** Rejects {@code tf32}; ignores the GEMM options, which only GPU backends have. */
    @Override
    public DeviceKernels open(int index, DeviceConfig config) {
        if (index != 0) throw new DeviceUnavailableException("device 'cpu:" + index + "' does not exist: the CPU is cpu:0");
        if (config.tf32()) throw config.tf32Unsupported("cpu");
        int threads = config.threadsOrProcessors();
        try {
            return new CpuDevice(info(threads), threads);
        } catch (LinkageError e) {
            throw new DeviceUnavailableException("device 'cpu' is unavailable: " + whyUnusable(e), e);
        }
    }

    static String whyUnusable(Throwable e) {
        if (e instanceof NoClassDefFoundError && String.valueOf(e.getMessage()).contains("jdk/incubator/vector")) {
            return NO_VECTOR_API;
        }
        return "Vector API unusable: " + e;
    }

    static DeviceInfo info(int threads) {
        int bits = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize();
        return new DeviceInfo("cpu", CpuModel.name(), Runtime.getRuntime().maxMemory(),
                threads + " thread(s), " + bits + "-bit vectors (" + (bits / 32) + " floats)");
    }
}
