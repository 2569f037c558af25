package dev.jgrad.bench.jmh;

import dev.jgrad.device.Device;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Square SGEMM C = A B through the CPU device, n = 128 ... 2048. GFLOP/s = 2n^3 / time; the score is
 * microseconds per product. Threads: -jvmArgsAppend -Djgrad.cpu.threads=N.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class SgemmBenchmark {
    @Param({"128", "256", "512", "1024", "2048"})
    public int n;

    private Device device;
    private GemmCheck gemm;

    @Setup(Level.Trial)
    public void setUp() {
        device = CpuDeviceState.open();
        gemm = new GemmCheck(device, n, n, n, false, false, n);
        gemm.verify(device);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        device.close();
    }

    @Benchmark
    public void sgemm() {
        gemm.run(device);
    }
}
